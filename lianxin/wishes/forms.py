from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.permissions import roster_scope
from lianxin.core.forms import BoundedIntegerField
from lianxin.organizations.models import Organization
from lianxin.wishes.models import Wish


def _organizations_for(user: Any) -> Any:
    """Admins post for their subtree; residents choose among the community and village branches."""
    qs = Organization.objects.filter(status=Organization.Status.ACTIVE)
    scope = roster_scope(user)
    if scope.is_empty:
        qs = qs.filter(sector__in=(Organization.Sector.COMMUNITY, Organization.Sector.VILLAGE))
    else:
        qs = qs.filter(scope.q("path"))
    return qs.order_by("path")


class WishForm(forms.Form):
    title = forms.CharField(label=_("What is wished for"), max_length=100)
    category = forms.ChoiceField(label=_("Category"), choices=Wish.Category.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    beneficiary_name = forms.CharField(label=_("For whom (name)"), max_length=50)
    beneficiary_phone = forms.CharField(label=_("Their phone (optional, never public)"), max_length=20, required=False)
    amount = forms.DecimalField(label=_("Amount in yuan (optional)"), max_digits=9, decimal_places=2, required=False)
    organization = forms.ModelChoiceField(label=_("Community organization"), queryset=Organization.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _organizations_for(user)  # type: ignore[attr-defined]
        if not roster_scope(user).is_empty:
            self.fields["kind"] = forms.ChoiceField(label=_("Kind"), choices=Wish.Kind.choices)
            self.fields["capacity"] = BoundedIntegerField(
                label=_("Participants needed (warm-heart task)"), min_value=1, initial=1, required=False
            )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("publish", _("Publish to the wall")), ("reject", _("Reject"))]
    )
    reason = forms.CharField(label=_("Reason (needed to reject)"), max_length=200, required=False)


class ClaimForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Claim for (leave empty to claim as yourself)"), queryset=Organization.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = roster_scope(user)
        qs = Organization.objects.none() if scope.is_empty else Organization.objects.filter(scope.q("path"))
        self.fields["organization"].queryset = qs.filter(status=Organization.Status.ACTIVE).order_by("path")  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

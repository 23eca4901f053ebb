"""The forms of wishes: post, review, claim, and the note the other actions take."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Viewer
from lianxin.core.forms import BoundedIntegerField, IdsChoiceField
from lianxin.core.picker import PickerField
from lianxin.wishes.models import Wish
from lianxin.wishes.selectors import organizations_to_claim_for, organizations_to_post_for, wishes_reviewed_by


class WishForm(forms.Form):
    title = forms.CharField(label=_("What is wished for"), max_length=100)
    category = forms.ChoiceField(label=_("Category"), choices=Wish.Category.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    beneficiary_name = forms.CharField(label=_("For whom (name)"), max_length=50)
    beneficiary_phone = forms.CharField(label=_("Their phone (optional, never public)"), max_length=20, required=False)
    amount = forms.DecimalField(label=_("Amount in yuan (optional)"), max_digits=9, decimal_places=2, required=False)
    # Found by name, pinyin initials or code among organizations_to_post_for (wishes/pickers.py).
    organization = PickerField("wish_organization", label=_("Community organization"))

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations_to_post_for(user=user)  # type: ignore[attr-defined]
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


class BulkReviewForm(forms.Form):
    """The review list: the ticked wishes (`ids`) and what to do with all of them; one row's rejection too."""

    ids: IdsChoiceField[Wish] = IdsChoiceField(
        queryset=Wish.objects.none(),
        error_messages={
            "required": _("Tick at least one wish."),
            # Out of scope and unknown read the same: the page never confirms a wish it will not show.
            "invalid_choice": _("Some of the ticked wishes are not among those you may review; nothing was changed."),
        },
    )
    action = forms.ChoiceField(choices=[("publish", _("Publish to the wall")), ("reject", _("Reject"))])
    reason = forms.CharField(label=_("Reason (needed to reject)"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ids"].queryset = wishes_reviewed_by(user=user)  # type: ignore[attr-defined]


class ClaimForm(forms.Form):
    organization = PickerField(
        "managed_organization", label=_("Claim for (leave empty to claim as yourself)"), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations_to_claim_for(user=user)  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

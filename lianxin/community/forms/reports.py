"""The forms of community reporting: report, decide, note, publish a post, record service."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.types import Viewer
from lianxin.community.models import CommunityReport, PostClaim, ServicePost
from lianxin.community.selectors.reports import managed_communities, reports_decided_by
from lianxin.core.forms import BoundedIntegerField, IdsChoiceField, SaneDateField
from lianxin.core.picker import PickerField, scope_pickers
from lianxin.organizations.models import Organization


class ReportForm(forms.Form):
    # Communities are public facts: any community or village organization, found by name,
    # pinyin initials or code (the `community` picker of lianxin/organizations/pickers.py).
    community = PickerField(
        "community",
        label=_("Community"),
        error_messages={
            "invalid_choice": _(
                "%(value)s is not a community or village organization. Type part of its name and choose it "
                "from the list."
            )
        },
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope_pickers(self, None)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    reason = forms.CharField(label=_("Reason (needed to reject)"), max_length=200, required=False)


class BulkDecideForm(forms.Form):
    """The queue: the ticked reports (`ids`) and what to do with all of them; one row's rejection too."""

    ids: IdsChoiceField[CommunityReport] = IdsChoiceField(
        queryset=CommunityReport.objects.none(),
        error_messages={
            "required": _("Tick at least one report."),
            # Out of scope and unknown read the same: the page never confirms a report it will not show.
            "invalid_choice": _("Some of the ticked reports are not among those you may decide; nothing was changed."),
        },
    )
    action = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    reason = forms.CharField(label=_("Reason (needed to reject)"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ids"].queryset = reports_decided_by(user=user)  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class PostForm(forms.Form):
    community: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(label=_("Community"), queryset=None)
    title = forms.CharField(label=_("Service position"), max_length=100)
    category = forms.ChoiceField(label=_("Category"), choices=ServicePost.Category.choices)
    # Text inputs with a numeric keyboard: styled like the other fields, and the service says what is wrong.
    capacity = BoundedIntegerField(
        label=_("Members needed"), initial=1, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        communities = managed_communities(user=user)
        self.fields["community"].queryset = communities  # type: ignore[attr-defined]
        only = list(communities[:2])
        if len(only) == 1:  # the usual case: a community's own secretary
            self.fields["community"].initial = only[0].pk


class RecordForm(forms.Form):
    claim: forms.ModelChoiceField[PostClaim] = forms.ModelChoiceField(
        label=_("For the post (optional)"),
        queryset=None,
        required=False,
        empty_label=_("Not for a particular post"),
    )
    served_on = SaneDateField(
        label=_("Date of service"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    hours = forms.DecimalField(
        label=_("Hours"), max_digits=5, decimal_places=1, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    description = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args: Any, claims: QuerySet[PostClaim], **kwargs: Any) -> None:
        """`claims`: the member's own claims not withdrawn in the community (selectors.reports.active_claims_in)."""
        super().__init__(*args, **kwargs)
        self.fields["claim"].queryset = claims  # type: ignore[attr-defined]
        self.fields["claim"].label_from_instance = lambda c: c.post.title  # type: ignore[attr-defined]

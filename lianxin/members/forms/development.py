from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import BoundedIntegerField
from lianxin.members.models.development import PoliticalReview
from lianxin.organizations.forms import ChineseDateField


class AdvanceForm(forms.Form):
    on = ChineseDateField(label=_("Date of the step"), error_messages={"required": _("Enter the date of the step.")})
    talker = forms.CharField(label=_("Talked with by"), max_length=100, required=False)
    contacts = forms.CharField(label=_("Cultivation contacts"), max_length=200, required=False)
    sponsors = forms.CharField(label=_("Sponsors"), max_length=200, required=False)
    publicity_from = ChineseDateField(label=_("Publicity from"), required=False)
    publicity_to = ChineseDateField(label=_("Publicity to"), required=False)
    votes_for = BoundedIntegerField(label=_("Votes in favour"), min_value=0, required=False)
    voters_entitled = BoundedIntegerField(label=_("Full members entitled to vote"), min_value=1, required=False)
    approved_by = forms.CharField(label=_("Approved by (Party committee above)"), max_length=100, required=False)
    approved_on = ChineseDateField(label=_("Approved on"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, to: str, **kwargs: Any) -> None:
        """Only the fields the step `to` asks for: people, publicity, vote, approval."""
        super().__init__(*args, **kwargs)
        keep = {"on", "note"}
        keep |= {
            "activist": {"talker", "contacts"},
            "candidate": {"contacts", "publicity_from", "publicity_to"},
            "probationary": {"sponsors", "publicity_from", "publicity_to", "votes_for", "voters_entitled"},
            "full": {"publicity_from", "publicity_to"},
        }.get(to, set())
        if to in ("probationary", "full"):
            keep |= {"approved_by", "approved_on"}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]


class ReviewForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=PoliticalReview.Result.choices)
    reviewed_on = ChineseDateField(label=_("Concluded on"))
    reviewer = forms.CharField(label=_("Concluded by"), max_length=100)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class TickForm(forms.Form):
    step = forms.CharField(max_length=14)
    item = forms.CharField(max_length=40)


class TrainingClassForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    starts_on = ChineseDateField(label=_("Starts on"))
    ends_on = ChineseDateField(label=_("Ends on"))


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    held_on = ChineseDateField(label=_("Held on"))
    hours = forms.DecimalField(label=_("Class hours"), max_digits=4, decimal_places=1)


class IdsForm(forms.Form):
    """Member ids ticked in a list (attendance, oath)."""

    members = forms.TypedMultipleChoiceField(coerce=int, choices=[], required=True)

    def __init__(self, *args: object, member_ids: list[int], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["members"].choices = [(i, i) for i in member_ids]  # type: ignore[attr-defined]


class ScoreForm(forms.Form):
    member = BoundedIntegerField()
    score = BoundedIntegerField(label=_("Score"))


class OathForm(forms.Form):
    held_on = ChineseDateField(label=_("Held on"))
    place = forms.CharField(label=_("Place"), max_length=120)


class TalkForm(forms.Form):
    """The talk with an applicant (prefix "talk" on the person page)."""

    talked_on = ChineseDateField(label=_("Talked on"))
    talker = forms.CharField(label=_("Talked with by"), max_length=100)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ActivistReviewForm(forms.Form):
    """A half-yearly review of an activist (prefix "areview" on the person page)."""

    reviewed_on = ChineseDateField(label=_("Reviewed on"))
    reviewer = forms.CharField(label=_("Reviewed by"), max_length=100)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ExtensionForm(forms.Form):
    """Extended probation (prefix "ext" on the person page)."""

    decided_on = ChineseDateField(label=_("Decided by the branch congress on"))
    months = BoundedIntegerField(label=_("Extended by (months)"), min_value=1, max_value=24)
    reason = forms.CharField(label=_("Reason"), max_length=500)
    approved_by = forms.CharField(label=_("Approved by (Party committee above)"), max_length=100)
    approved_on = ChineseDateField(label=_("Approved on"))

"""The forms of briefings: a new draft (subtree, period, template) and the draft's text."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.types import Viewer
from lianxin.briefings.models import BriefingSection
from lianxin.briefings.services import HEADING_MAX, TEXT_MAX, TITLE_MAX
from lianxin.briefings.textfiles import BriefingText
from lianxin.core.forms import SaneDateField
from lianxin.core.picker import PickerField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NewBriefingForm(forms.Form):
    # The figures pages' picker: the organizations whose figures the viewer sees (roster scope).
    org = PickerField("roster_organization", label=_("Organization (and everything under it)"))
    starts_on = SaneDateField(label=_("First day"), widget=DATE)
    ends_on = SaneDateField(label=_("Last day"), widget=DATE)
    template = forms.ChoiceField(
        label=_("Template"),
        error_messages={"invalid_choice": _("There is no briefing template “%(value)s”.")},
    )

    def __init__(self, *args: Any, user: Viewer, templates: dict[str, BriefingText], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].scope_to(user)  # type: ignore[attr-defined]
        self.fields["template"].choices = [(key, text.name) for key, text in templates.items()]  # type: ignore[attr-defined]


def heading_field(position: int) -> str:
    return f"heading_{position}"


def text_field(position: int) -> str:
    return f"text_{position}"


class BriefingTextForm(forms.Form):
    """The draft's title, then each section's heading (none for the lead) and its text, a paragraph a line."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)

    def __init__(self, *args: Any, sections: list[BriefingSection], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.positions = [s.position for s in sections]
        for section in sections:
            if section.heading or section.position:
                self.fields[heading_field(section.position)] = forms.CharField(
                    label=_("Heading"), max_length=HEADING_MAX, required=False, initial=section.heading
                )
            self.fields[text_field(section.position)] = forms.CharField(
                label=section.heading or _("Lead"),
                max_length=TEXT_MAX,
                required=False,
                strip=False,
                initial=section.text,
                widget=forms.Textarea(attrs={"rows": max(4, min(14, len(section.text) // 40 + 2))}),
            )

    def sections_data(self) -> dict[int, tuple[str, str]]:
        """The cleaned headings and texts by section position."""
        data = self.cleaned_data
        return {p: (data.get(heading_field(p), ""), data.get(text_field(p), "")) for p in self.positions}

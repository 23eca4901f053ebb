"""Forms of the public part: a resident's submission, the lookup, the resident's follow-up,
and the staff forms for merging and hot spots."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import BoundedIntegerField
from lianxin.core.params import id_or_none
from lianxin.core.picker import PickerField
from lianxin.demands.models import Demand
from lianxin.demands.selectors.handling import active_categories
from lianxin.organizations.models import Area


class PublicDemandForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Kind of problem"), queryset=active_categories())
    # Typed by name or pinyin initials, or browsed district → street → community; the city as a
    # whole is too broad to handle a demand.
    area = PickerField(
        "area",
        label=_("Town or community"),
        queryset=Area.objects.filter(depth__gt=1),
        error_messages={"required": _("Choose the town or community.")},
    )
    address = forms.CharField(label=_("Where exactly (street, building, place)"), max_length=200, required=False)
    title = forms.CharField(label=_("The problem in a few words"), max_length=60)
    description = forms.CharField(
        label=_("What is the problem"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    submitter_name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    submitter_phone = forms.CharField(
        label=_("Your mobile number (never shown publicly)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    # A field people never see; software filling every field fills it too.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("This submission could not be accepted."), code="honeypot")
        return ""


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Lookup code"), max_length=12, widget=forms.TextInput(attrs={"autocapitalize": "characters"})
    )
    digits = forms.CharField(
        label=_("Last four digits of your mobile number"),
        max_length=4,
        min_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class ResidentFollowUpForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Are you satisfied with how it was handled?"),
        choices=Demand.Satisfaction.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything to add (optional)"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MergeForm(forms.Form):
    into = BoundedIntegerField(label=_("Number of the demand to merge into"), min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class HotSpotForm(forms.Form):
    title = forms.CharField(label=_("What the complaints are about"), max_length=120)
    category = forms.ModelChoiceField(label=_("Category"), queryset=active_categories())
    demands = forms.CharField(label=_("Numbers of the demands, separated by commas"), max_length=2000)

    def clean_demands(self) -> list[int]:
        return demand_numbers(self.cleaned_data["demands"])


class HotSpotAddForm(forms.Form):
    demands = forms.CharField(label=_("Numbers of the demands, separated by commas"), max_length=2000)

    def clean_demands(self) -> list[int]:
        return demand_numbers(self.cleaned_data["demands"])


def demand_numbers(text: str) -> list[int]:
    """Demand numbers typed or ticked: "12, 15 19" or "12，15" (Chinese comma) → [12, 15, 19]."""
    parts = [p for p in text.replace("，", ",").replace(" ", ",").split(",") if p.strip()]
    numbers: list[int] = []
    for part in parts:
        number = id_or_none(part)
        if number is None:
            raise forms.ValidationError(
                _("%(value)s is not a demand number.") % {"value": part.strip()}, code="demand_number"
            )
        numbers.append(number)
    if not numbers:
        raise forms.ValidationError(_("Choose at least one demand."), code="no_demands")
    return numbers

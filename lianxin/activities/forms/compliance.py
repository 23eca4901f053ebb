"""The form that sets a local frequency rule or exemption."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.activities.models import FrequencyRule, Kind
from lianxin.activities.rules.frequency import NATIONAL_RULES
from lianxin.core.forms import SaneDateField
from lianxin.organizations.models import Organization


class FrequencyRuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[(k, label) for k, label in Kind.choices if k in NATIONAL_RULES])
    frequency = forms.ChoiceField(
        label=_("Frequency"), choices=[("", _("— exempt —")), *FrequencyRule.Frequency.choices], required=False
    )
    exempt = forms.BooleanField(label=_("Exempt for these dates"), required=False)
    sector = forms.ChoiceField(
        label=_("Only for the sector"), choices=[("", _("every sector")), *Organization.Sector.choices], required=False
    )
    valid_from = SaneDateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = SaneDateField(label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.CharField(label=_("Document it rests on"), max_length=200)

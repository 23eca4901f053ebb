"""Input of the 50-year medal: confirming good standing, recording issuance."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import SaneDateField
from lianxin.honours.models import MedalAward


class ConfirmForm(forms.Form):
    note = forms.CharField(label=_("Note on good standing"), max_length=300, required=False)


class IssueForm(forms.Form):
    way = forms.ChoiceField(label=_("How issued"), choices=MedalAward.Way.choices, widget=forms.RadioSelect)
    issued_on = SaneDateField(
        label=_("Medal issued on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ceremony = forms.CharField(label=_("Ceremony (at a ceremony)"), max_length=120, required=False)
    place = forms.CharField(label=_("Place (at a ceremony)"), max_length=120, required=False)
    presented_by = forms.CharField(label=_("Presented by (at a ceremony)"), max_length=60, required=False)
    delivered_by = forms.CharField(label=_("Delivered by (at home)"), max_length=60, required=False)
    photo = forms.FileField(label=_("Photo (optional, kept private)"), required=False)

"""The feedback page's choice: which organization, which quarter."""

from django import forms
from django.utils.translation import gettext_lazy as _


class FeedbackForm(forms.Form):
    org = forms.CharField(label=_("Party organization (code)"), max_length=32)
    quarter = forms.CharField(label=_("Quarter (e.g. 2026Q3)"), max_length=8)

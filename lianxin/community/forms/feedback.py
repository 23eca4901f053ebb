"""The feedback page's choice: which organization, which quarter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.core.picker import PickerField
from lianxin.organizations.models import Organization


class FeedbackForm(forms.Form):
    # The picker offers the organizations in the viewer's roster scope; the view's lookup
    # (access_feedback_organization) answers 404 for any other, as it did for a typed code.
    org = PickerField("roster_organization", label=_("Party organization"), queryset=Organization.objects.all())
    quarter = forms.CharField(label=_("Quarter (e.g. 2026Q3)"), max_length=8)

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.core.picker import PickerField
from lianxin.members.models import Member
from lianxin.organizations.forms import ChineseDateField, ScopedForm


class TransferForm(ScopedForm):
    # A transfer may go anywhere in the city (关系转出 to another district), not only into scope.
    to_organization = PickerField("public_organization", label=_("To organization"))
    transferred_on = ChineseDateField(label=_("Date"))
    letter_number = forms.CharField(label=_("Letter number"), max_length=60, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class LeaveForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Member.LeaveReason.choices)
    left_on = ChineseDateField(label=_("Date"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ContactForm(forms.Form):
    """The fields a branch secretary corrects most often, without a full re-import."""

    mobile = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    work_unit = forms.CharField(label=_("Work unit"), max_length=120, required=False)
    post = forms.CharField(label=_("Post"), max_length=60, required=False)
    # Changes with retiring or leaving school; the Party statistics count members by it.
    occupation = forms.ChoiceField(
        label=_("Occupation"), choices=[("", _("not recorded")), *Member.Occupation.choices], required=False
    )
    home_address = forms.CharField(label=_("Home address"), max_length=200, required=False)
    is_mobile = forms.BooleanField(label=_("Mobile member"), required=False)
    is_abroad = forms.BooleanField(label=_("Abroad"), required=False)
    is_at_sea = forms.BooleanField(label=_("At sea"), required=False)
    is_lost_contact = forms.BooleanField(label=_("Lost contact"), required=False)
    lost_contact_since = ChineseDateField(label=_("Lost contact since"), required=False)

"""Input of the notification pages: a person's choices, and an organization's group robots.

The services check the rules (known kinds, the robot's host); these only shape the input and refuse
what is not even a value (a time of 25:99, a list longer than any form has)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lianxin.core.picker import PickerField
from lianxin.notifications.kinds import Kind
from lianxin.notifications.models import GroupRobot
from lianxin.notifications.robots import MAX_SECRET, MAX_WEBHOOK
from lianxin.notifications.services import MAX_CHOICES

TIME_FORMATS = ["%H:%M", "%H:%M:%S"]
TIME_ERROR = _("Enter a time as HH:MM, e.g. 22:00.")


class KindsField(forms.MultipleChoiceField):
    """Kind codes ticked on a page; an unknown code is named (shortened) in the error, a list
    longer than any page has is refused before anything looks at it."""

    def __init__(self, kind_list: list[Kind], **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(choices=[(kind.code, kind.label) for kind in kind_list], **kwargs)
        self.known = {kind.code for kind in kind_list}

    def validate(self, value: Any) -> None:
        if len(value) > MAX_CHOICES:
            raise ValidationError(_("Too many choices in one form."), code="too_many")
        unknown = [str(code)[:60] for code in value if str(code) not in self.known]
        if unknown:
            raise ValidationError(
                _("Not a kind of notification you can choose: %(codes)s."),
                code="unknown_kind",
                params={"codes": ", ".join(unknown[:3])},
            )


def time_field(label: Any) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        input_formats=TIME_FORMATS,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": TIME_ERROR, "required": TIME_ERROR},
    )


class PreferencesForm(forms.Form):
    """Channels per kind (e-mail and text message as ticked codes), quiet hours and the digest.

    A channel the account cannot use (no e-mail address, no mobile number) is shown but disabled:
    its ticks stay as they were, kept for the day the account has it."""

    quiet_start = time_field(_("Quiet hours from"))
    quiet_end = time_field(_("Quiet hours until"))
    digest = forms.BooleanField(label=_("One daily digest instead of single messages"), required=False)
    digest_at = time_field(_("Digest sent at"))

    def __init__(self, *args: Any, kind_list: list[Kind], email_ok: bool, sms_ok: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"] = KindsField(kind_list, label=_("E-mail"), disabled=not email_ok)
        self.fields["sms"] = KindsField(kind_list, label=_("Text message"), disabled=not sms_ok)


class RobotForm(forms.Form):
    """A group robot: where it posts (kept encrypted, never shown again) and which kinds it posts."""

    organization = PickerField("managed_organization", label=_("Organization"))
    platform = forms.ChoiceField(label=_("Platform"), choices=GroupRobot.Platform.choices)
    name = forms.CharField(label=_("Name (e.g. the group chat's name)"), max_length=60)
    webhook_url = forms.CharField(
        label=_("Webhook address"),
        max_length=MAX_WEBHOOK,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "url"}),
    )
    secret = forms.CharField(
        label=_("Signing secret (DingTalk, when the robot signs: SEC…)"),
        max_length=MAX_SECRET,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    clear_secret = forms.BooleanField(label=_("Remove the signing secret"), required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, kind_list: list[Kind], editing: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kinds"] = KindsField(kind_list, label=_("Kinds it posts (none ticked: all of them)"))
        if editing:
            del self.fields["organization"], self.fields["platform"]
            self.fields["webhook_url"].required = False
            self.fields["webhook_url"].label = _("New webhook address (empty: keep the one kept)")
            self.fields["secret"].label = _("New signing secret (empty: keep the one kept)")
        else:
            del self.fields["clear_secret"], self.fields["active"]

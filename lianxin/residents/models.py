"""Residents' own accounts: the profile a registered resident keeps, and the one-time codes
sent to a mobile number to register or to log in without a password.

A code is never stored, only its keyed hash; it lasts CODE_MINUTES, allows CODE_TRIES wrong
tries, and a new one for the same number waits RESEND_SECONDS (services.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.organizations.models import Area

# The version of the privacy notice (templates/residents/privacy.html) a resident consents to;
# raise it when the notice changes in substance.
PRIVACY_VERSION = "2026-12"
# The areas a resident lives in: a community (社区) in a town, a village (村) in the countryside.
COMMUNITY_KINDS = (Area.Kind.COMMUNITY, Area.Kind.VILLAGE)


class ResidentVerb(models.TextChoices):
    """What a resident profile's timeline records."""

    REGISTERED = "registered", _("registered")
    PROFILE_CREATED = "profile_created", _("resident profile created")


class Resident(models.Model):
    """One account's life as a resident: where they live and the privacy notice they agreed to."""

    timeline_verbs = ResidentVerb

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resident", verbose_name=_("user")
    )
    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="residents", verbose_name=_("community"))
    privacy_version = models.CharField(_("privacy notice consented to"), max_length=20)
    consented_at = models.DateTimeField(_("consented at"))
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")

    def __str__(self) -> str:
        return str(self.user)


class MobileCode(models.Model):
    """A one-time code sent to a mobile number; the newest unused one of a number and purpose counts."""

    class Purpose(models.TextChoices):
        REGISTER = "register", _("registration")
        LOGIN = "login", _("login")

    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    mobile_hash = models.CharField(max_length=64, editable=False)
    code_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("expires at"))
    tries = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["mobile_hash", "purpose", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"

"""Users and the roles they hold, each role scoped to an organization subtree."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.core.crypto import EncryptedTextField
from lianxin.core.parsing import mask_phone


class UserVerb(models.TextChoices):
    """What an account's timeline records: the roles granted to it and taken from it."""

    ROLE_GRANTED = "role_granted", _("role granted")
    ROLE_REVOKED = "role_revoked", _("role revoked")


class User(AbstractUser):
    timeline_verbs = UserVerb

    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    mobile = EncryptedTextField(_("mobile phone"), blank=True)
    # Unique where present: the mobile number is a login name.
    mobile_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["mobile_hash"], condition=~models.Q(mobile_hash=""), name="user_mobile_unique"
            )
        ]

    # The roles read once per request by lianxin.accounts.permissions (never stored).
    _role_cache: list[tuple[str, str | None]]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def mobile_masked(self) -> str:
        return mask_phone(self.mobile)


class RoleAssignment(models.Model):
    class Role(models.TextChoices):
        CITY_ADMIN = "city_admin", _("city administrator")
        ORG_ADMIN = "org_admin", _("organization administrator")
        MEMBER = "member", _("Party member")
        HANDLER = "handler", _("responsible-unit handler")
        TEAM_LEADER = "team_leader", _("volunteer team leader")
        RESIDENT = "resident", _("resident")

    # Roles whose scope is an organization subtree; a resident has none.
    SCOPED_ROLES = (Role.ORG_ADMIN, Role.HANDLER, Role.TEAM_LEADER)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name=_("organization"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "organization"], name="role_assignment_unique"),
            models.CheckConstraint(
                condition=~models.Q(role__in=["org_admin", "handler", "team_leader"])
                | models.Q(organization__isnull=False),
                name="scoped_role_has_organization",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()}"


class ApiToken(models.Model):
    """A bearer token for the API; only its hash is stored, the value is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=60)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

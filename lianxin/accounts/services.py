"""Accounts: login throttling, users, and the roles that scope what a user reaches."""

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.backends import login_name_mobile, user_for_login_name
from lianxin.accounts.models import ApiToken, RoleAssignment, User, UserVerb
from lianxin.accounts.permissions import roles_forget
from lianxin.accounts.types import Actor, RoleScope
from lianxin.core.crypto import lookup_hash
from lianxin.core.parsing import normalize_mobile
from lianxin.core.services import audit_record, event_record
from lianxin.core.throttling import Rule, throttle_clear, throttle_give_back, throttle_minutes_left, throttle_take

# Failed logins per account, and per address against trying many accounts.
LOGIN_ACCOUNT = Rule("login", "LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS = Rule("login-address", "LOGIN_ADDRESS_FAILURE_LIMIT", 1000)


@dataclass(frozen=True)
class LoginAttempt:
    """The account and address a login attempt took a try from."""

    account: str
    address: str


def login_account_key(username: str) -> str:
    """Whom a login name means: the account it resolves to, else the name normalized (a mobile
    number to its 11 digits), so that every spelling of one account shares one count."""
    user = user_for_login_name(username)
    if user is not None:
        return f"user:{user.pk}"
    mobile = login_name_mobile(username)
    return f"mobile:{mobile}" if mobile else f"name:{username.strip().lower()}"


def login_attempt_begin(*, username: str, ip_address: str | None) -> LoginAttempt:
    """Take a try from the account and from the address before the password is checked.

    Raises ValidationError (code "locked" or "address_locked"), using no try, when either has
    none left. A failed attempt needs nothing more; a successful one calls `login_attempt_succeeded`."""
    attempt = LoginAttempt(account=login_account_key(username), address=ip_address or "")
    if not throttle_take(rule=LOGIN_ACCOUNT, key=attempt.account):
        raise ValidationError(
            _("Too many failed attempts. Try again in %(minutes)s minutes."),
            code="locked",
            params={"minutes": throttle_minutes_left(rule=LOGIN_ACCOUNT, key=attempt.account)},
        )
    if not throttle_take(rule=LOGIN_ADDRESS, key=attempt.address):
        throttle_give_back(rule=LOGIN_ACCOUNT, key=attempt.account)
        raise ValidationError(
            _("Too many failed logins from your network. Try again in %(minutes)s minutes."),
            code="address_locked",
            params={"minutes": throttle_minutes_left(rule=LOGIN_ADDRESS, key=attempt.address)},
        )
    return attempt


def login_attempt_succeeded(*, attempt: LoginAttempt) -> None:
    """The password was right: the account starts afresh and the address gets its try back."""
    throttle_clear(rule=LOGIN_ACCOUNT, key=attempt.account)
    throttle_give_back(rule=LOGIN_ADDRESS, key=attempt.address)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    display_name: str = "",
    mobile: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    user = User(username=username, display_name=display_name, is_staff=is_staff, is_superuser=is_superuser)
    user_set_mobile(user=user, mobile=mobile, save=False)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


def user_set_mobile(*, user: User, mobile: str, save: bool = True) -> None:
    normalized = normalize_mobile(mobile)
    user.mobile = normalized
    user.mobile_hash = lookup_hash(normalized)
    if save:
        user.save(update_fields=["mobile", "mobile_hash"])


# ------------------------------------------------------------------ roles


def _check_role(role: str, organization: RoleScope | None) -> None:
    if role not in RoleAssignment.Role.values:
        raise ValidationError(_("Choose a role from the list."), code="bad_role")
    if role in RoleAssignment.SCOPED_ROLES and organization is None:
        raise ValidationError(
            _("This role reaches an organization and everything below it: choose the organization."),
            code="needs_organization",
        )


def _role_recorded(
    *, verb: UserVerb, user: User, actor: Actor | None, role: str, organization: RoleScope | None
) -> None:
    """A role granted or revoked is on the user's timeline and in the audit log."""
    detail = {"role": role, "organization": organization.code if organization else ""}
    event_record(subject=user, actor=actor, verb=verb, note=organization.name if organization else "", data=detail)
    audit_record(actor=actor, action=verb, target=f"accounts.user:{user.pk}", detail=detail)


@transaction.atomic
def role_assign(
    *, user: User, role: str, organization: RoleScope | None = None, actor: Actor | None = None
) -> RoleAssignment:
    """Grant `role` to `user`, over `organization` and its subtree for a scoped role.

    Granting a role the user holds changes and records nothing."""
    _check_role(role, organization)
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, organization_id=organization.pk if organization else None
    )
    if created:
        _role_recorded(verb=UserVerb.ROLE_GRANTED, user=user, actor=actor, role=role, organization=organization)
    roles_forget(user)
    return assignment


@transaction.atomic
def role_revoke(*, actor: Actor | None, assignment: RoleAssignment) -> None:
    """Take a role back; revoking one already gone changes and records nothing."""
    deleted, _counts = RoleAssignment.objects.filter(pk=assignment.pk).delete()
    if deleted:
        _role_recorded(
            verb=UserVerb.ROLE_REVOKED,
            user=assignment.user,
            actor=actor,
            role=assignment.role,
            organization=assignment.organization,
        )
    roles_forget(assignment.user)


# ------------------------------------------------------------------ API tokens


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; the plain value is returned once and never stored."""
    value = "lx_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, key_hash=lookup_hash(value), prefix=value[:8])
    return token, value


def api_token_used(*, api_token: ApiToken) -> None:
    ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())


def api_tokens_revoke(*, tokens: QuerySet[ApiToken]) -> int:
    """Revoke the tokens not revoked yet; how many were."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())

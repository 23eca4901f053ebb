from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lianxin.accounts.models import LoginFailure, RoleAssignment, User
from lianxin.core.crypto import lookup_hash
from lianxin.core.parsing import normalize_mobile
from lianxin.organizations.models import Organization


def _username_key(username: str) -> str:
    return lookup_hash(username.strip().lower())


def login_is_locked(*, username: str, ip_address: str | None) -> bool:
    """Too many recent failures for this name or from this address."""
    since = timezone.now() - timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    recent = LoginFailure.objects.filter(at__gte=since)
    limit = settings.LOGIN_FAILURE_LIMIT
    if recent.filter(username_key=_username_key(username)).count() >= limit:
        return True
    # An address may try several accounts (a shared office), so it gets more room.
    return bool(ip_address) and recent.filter(ip_address=ip_address).count() >= limit * 4


def login_failure_record(*, username: str, ip_address: str | None) -> None:
    LoginFailure.objects.create(username_key=_username_key(username), ip_address=ip_address)
    # Old rows have no further use; prune them as we go so the table stays small.
    LoginFailure.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()


def login_failures_clear(*, username: str) -> None:
    LoginFailure.objects.filter(username_key=_username_key(username)).delete()


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


@transaction.atomic
def role_assign(
    *, user: User, role: str, organization: Organization | None = None, actor: Any = None
) -> RoleAssignment:
    assignment, _created = RoleAssignment.objects.get_or_create(user=user, role=role, organization=organization)
    if hasattr(user, "_role_cache"):
        del user._role_cache
    return assignment

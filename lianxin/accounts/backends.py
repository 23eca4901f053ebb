from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from lianxin.accounts.models import User
from lianxin.core.crypto import lookup_hash
from lianxin.core.parsing import ParseError, normalize_mobile


def login_name_mobile(username: str) -> str:
    """The mobile number a login name spells (its 11 digits), or "" when it is not one."""
    try:
        return normalize_mobile(username)
    except ParseError:
        return ""


def user_for_login_name(username: str) -> User | None:
    """The account a login name means: the username, else the mobile number however it is written."""
    user = User.objects.filter(username=username).first()
    if user is None and (mobile := login_name_mobile(username)):
        user = User.objects.filter(mobile_hash=lookup_hash(mobile)).first()
    return user


class UsernameOrMobileBackend(ModelBackend):
    """Log in with a username or with the mobile number on the account."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if not username or password is None:
            return None
        user = user_for_login_name(username)
        if user is None:
            # Run the hasher anyway so that timing does not reveal unknown accounts.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id: Any) -> User | None:
        """The account of a session, with its person's member record read in the same query (the
        navigation of every page asks whether there is one: `own_member`). Its personal numbers are
        left unread (the account's own too, read when a page asks for it): no page needs them from the
        session, and each would be decrypted on every request."""
        try:
            user = (
                User._default_manager.select_related("member")
                .defer("mobile", "member__id_number", "member__mobile")
                .get(pk=user_id)
            )
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

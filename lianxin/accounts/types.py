"""Who reads and who acts, as types: every view, selector and service says which it takes.

- `Actor`: a signed-in account that changes something; services take `actor: Actor`.
- `Viewer`: whoever reads, signed in or not; selectors and `access_*` take `user: Viewer`
  and scope by it (an anonymous viewer sees only what is public).
- `AuthenticatedHttpRequest`: the request of a view behind `login_required`, whose
  `request.user` is an `Actor`.

A service that commands, tasks or the demo also run takes `actor: Actor | None`: None is the
system, recorded as nobody.
"""

from typing import Protocol, TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from lianxin.accounts.models import User

Actor: TypeAlias = User
Viewer: TypeAlias = User | AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    user: User


class RoleScope(Protocol):
    """The organization a role reaches, with its subtree: an organizations.Organization, which
    accounts (the app below organizations) names by this shape only."""

    @property
    def pk(self) -> int: ...

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...

"""The kernel's view of a person: any Django account (the accounts app's User is one).

The kernel imports no app, so its writers (timeline events, audit entries, transitions)
take a `Person`; the apps' own services take the narrower `lianxin.accounts.types.Actor`.
"""

from typing import TypeAlias

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

Person: TypeAlias = AbstractBaseUser | AnonymousUser | None

"""Builders for wishes at any point of their life, going through the services."""

from decimal import Decimal
from typing import Any

from conftest import PASSWORD
from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.services import user_create
from lianxin.accounts.tests.factories import given_role
from lianxin.members.tests.factories import make_member
from lianxin.organizations.models import Organization
from lianxin.wishes.models import Wish
from lianxin.wishes.services import wish_post, wish_review


def make_wish(
    organization: Organization,
    *,
    posted_by: User,
    reviewer: User | None = None,
    **overrides: Any,
) -> Wish:
    """A wish posted by `posted_by`; published when a `reviewer` is given."""
    values: dict[str, Any] = {
        "title": "给独居老人买一台电饭煲",
        "category": Wish.Category.DAILY_NEEDS,
        "beneficiary_name": "王秀英",
        "beneficiary_phone": "13912345678",
        "amount": Decimal("200"),
    }
    values.update(overrides)
    wish = wish_post(actor=posted_by, organization=organization, **values)
    if reviewer is not None:
        wish_review(wish=wish, actor=reviewer, approve=True)
    return wish


def make_member_user(organization: Organization, username: str) -> User:
    """A logged-in Party member: an account linked to a roster record."""
    user = user_create(username=username, password=PASSWORD, display_name=username)
    given_role(user=user, role=RoleAssignment.Role.MEMBER, organization=None)
    member = make_member(organization)
    member.user = user
    member.save(update_fields=["user"])
    return user

"""Builders for community reporting: a government unit whose member lives in 东社区, going through the services."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from conftest import PASSWORD, City
from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.services import user_create
from lianxin.accounts.tests.factories import given_role
from lianxin.community.models import CommunityReport, PostClaim, ServicePost
from lianxin.community.services.reports import post_claim, post_create, report_create, report_decide
from lianxin.members.tests.factories import make_member
from lianxin.organizations.models import Organization
from lianxin.organizations.tests.factories import make_organization


def make_member_user(organization: Organization, username: str, name: str = "") -> User:
    """A logged-in Party member: an account linked to a roster record in `organization`."""
    user = user_create(username=username, password=PASSWORD, display_name=username)
    given_role(user=user, role=RoleAssignment.Role.MEMBER, organization=None)
    member = make_member(organization, **({"name": name} if name else {}))
    member.user = user
    member.save(update_fields=["user"])
    return user


@dataclass
class Bureau:
    """岛县住建局机关党支部 (a government organ under the other district) and its people.

    Its secretary's scope does not hold 东社区, and 东社区's secretary's scope does not hold
    the bureau: the community approves, the bureau receives the feedback.
    """

    unit: Organization
    secretary: User
    worker: User  # a member of the bureau who lives in 东社区


def make_bureau(city: City, *, worker_name: str = "张工") -> Bureau:
    unit = make_organization(
        name="岛县住建局机关党支部", parent=city.other_district, sector=Organization.Sector.ORGAN, code="D2J"
    )
    secretary = user_create(username="bureau_secretary", password=PASSWORD, display_name="bureau_secretary")
    given_role(user=secretary, role=RoleAssignment.Role.ORG_ADMIN, organization=unit)
    return Bureau(unit=unit, secretary=secretary, worker=make_member_user(unit, "worker", worker_name))


def make_report(
    member_user: User, community: Organization, *, approver: User | None = None, today: date | None = None
) -> CommunityReport:
    """A report by `member_user`; approved when an `approver` is given."""
    report = report_create(actor=member_user, community=community, today=today)
    if approver is not None:
        report_decide(report=report, actor=approver, approve=True)
    return report


def make_post(community: Organization, admin: User, **overrides: Any) -> ServicePost:
    values: dict[str, Any] = {"title": "周末垃圾分类督导", "category": ServicePost.Category.ENVIRONMENT, "capacity": 2}
    values.update(overrides)
    return post_create(actor=admin, community=community, **values)


def make_claim(post: ServicePost, member_user: User) -> PostClaim:
    return post_claim(post=post, actor=member_user)

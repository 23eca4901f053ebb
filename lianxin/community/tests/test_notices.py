"""Who hears of a community report: the community's admins when it waits, the member when it is decided."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import PASSWORD, City
from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.services import user_create
from lianxin.accounts.tests.factories import given_role
from lianxin.community.models import CommunityReport
from lianxin.community.notices import REPORT_APPROVED, REPORT_REJECTED, REPORT_SUBMITTED
from lianxin.community.services import reports as services
from lianxin.community.tests.factories import make_bureau, make_member_user
from lianxin.notifications.models import Notification
from lianxin.notifications.tests.conftest import CommitCallbacks
from lianxin.organizations.models import Organization

pytestmark = pytest.mark.django_db


def _admin(username: str, organization: Organization) -> User:
    user = user_create(username=username, password=PASSWORD, display_name=username)
    given_role(user=user, role=RoleAssignment.Role.ORG_ADMIN, organization=organization)
    return user


def _told(kind: str) -> list[tuple[str, str]]:
    """(recipient, link) of every notification of `kind`."""
    return list(Notification.objects.filter(kind=kind).order_by("recipient__username").values_list(
        "recipient__username", "url"))  # fmt: skip


def _url(report: CommunityReport) -> str:
    return reverse("community:report_detail", args=[report.pk])


def test_a_report_reaches_the_communitys_admins_and_nobody_else(
    city: City, branch_secretary: User, district_admin: User, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    bureau = make_bureau(city)  # its secretary's scope does not hold 东社区
    _admin("west_secretary", city.west)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_create(actor=bureau.worker, community=city.east)

    # 东社区 has an admin of its own, so the district above is not bothered.
    assert _told(REPORT_SUBMITTED.code) == [("branch_secretary", _url(report))]
    told = Notification.objects.get(kind=REPORT_SUBMITTED.code)
    assert told.event_key == f"community_report:{report.pk}:submitted"
    assert told.organization == city.east  # its group robots post it
    assert told.params == {"community": "东社区党支部"}
    assert "张工" not in told.text  # the member's name stays on the page
    assert not Notification.objects.filter(recipient=bureau.worker).exists()


def test_a_community_without_an_admin_of_its_own_is_served_by_the_organization_above(
    city: City, district_admin: User, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    bureau = make_bureau(city)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_create(actor=bureau.worker, community=city.west)

    assert _told(REPORT_SUBMITTED.code) == [("district_admin", _url(report))]


def test_an_approval_reaches_the_member_who_reported_only(
    city: City, branch_secretary: User, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    bureau = make_bureau(city)
    report = services.report_create(actor=bureau.worker, community=city.east)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_decide(report=report, actor=branch_secretary, approve=True)

    assert _told(REPORT_APPROVED.code) == [("worker", _url(report))]
    assert not Notification.objects.filter(kind=REPORT_REJECTED.code).exists()
    assert Notification.objects.get(kind=REPORT_APPROVED.code).event_key == f"community_report:{report.pk}:approved"


def test_a_rejection_reaches_the_member_without_the_reason_in_the_message(
    city: City, branch_secretary: User, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    bureau = make_bureau(city)
    report = services.report_create(actor=bureau.worker, community=city.east)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_decide(report=report, actor=branch_secretary, approve=False, reason="不住在本社区（王某说明）")

    told = Notification.objects.get(kind=REPORT_REJECTED.code)
    assert (told.recipient, told.url) == (bureau.worker, _url(report))
    assert "王某" not in told.text
    assert not Notification.objects.filter(kind=REPORT_APPROVED.code).exists()


def test_a_refused_decision_tells_nobody(
    city: City, branch_secretary: User, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    bureau = make_bureau(city)
    report = services.report_create(actor=bureau.worker, community=city.east)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError, match="Say why"):
        services.report_decide(report=report, actor=branch_secretary, approve=False, reason=" ")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError, match="not allowed"):
        services.report_decide(report=report, actor=bureau.secretary, approve=True)

    assert not Notification.objects.filter(recipient=bureau.worker).exists()


def test_a_bulk_decision_tells_each_member_once(
    city: City, branch_secretary: User, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    bureau = make_bureau(city)
    neighbour = make_member_user(bureau.unit, "neighbour")
    reports = [services.report_create(actor=user, community=city.east) for user in (bureau.worker, neighbour)]
    with django_capture_on_commit_callbacks(execute=True):
        services.report_decide_bulk(actor=branch_secretary, report_ids=[r.pk for r in reports], approve=True)

    assert _told(REPORT_APPROVED.code) == [("neighbour", _url(reports[1])), ("worker", _url(reports[0]))]

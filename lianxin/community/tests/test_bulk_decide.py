"""Deciding community reports in bulk: the community's secretary approves every ticked report in
one step and rejects the exceptions with a reason; a list holding a report to another community,
or one decided meanwhile, is refused whole and nothing is written."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.community.models import CommunityReport, ReportVerb
from lianxin.community.services.reports import report_decide, report_decide_bulk
from lianxin.community.tests.factories import make_member_user, make_report
from lianxin.core.models import Event

pytestmark = pytest.mark.django_db

Status = CommunityReport.Status


@pytest.fixture(autouse=True)
def english() -> None:
    translation.activate("en")


def _reports(city: City, n: int, *, community: str = "east") -> list[CommunityReport]:
    home = city.other_branch
    return [
        make_report(make_member_user(home, f"{community}{i}", f"成员{community}{i}"), getattr(city, community))
        for i in range(n)
    ]


def _statuses(reports: list[CommunityReport]) -> list[str]:
    return [CommunityReport.objects.get(pk=r.pk).status for r in reports]


def test_every_ticked_report_is_approved_each_with_its_own_event(city: City, branch_secretary: User) -> None:
    reports = _reports(city, 3)
    report_decide_bulk(actor=branch_secretary, report_ids=[r.pk for r in reports], approve=True)
    assert _statuses(reports) == [Status.APPROVED] * 3
    assert all(CommunityReport.objects.get(pk=r.pk).decided_by == branch_secretary for r in reports)
    assert Event.objects.filter(verb=ReportVerb.APPROVED, actor=branch_secretary).count() == 3


def test_the_exceptions_are_rejected_with_their_reason_and_the_rest_approved(
    city: City, branch_secretary: User
) -> None:
    lives_here, moved_away = _reports(city, 2)
    report_decide_bulk(actor=branch_secretary, report_ids=[moved_away.pk], approve=False, reason="已搬离本社区")
    report_decide_bulk(actor=branch_secretary, report_ids=[lives_here.pk], approve=True)
    assert _statuses([lives_here, moved_away]) == [Status.APPROVED, Status.REJECTED]
    moved_away.refresh_from_db()
    assert moved_away.reject_reason == "已搬离本社区"


def test_rejecting_without_a_reason_is_refused_and_nothing_is_written(city: City, branch_secretary: User) -> None:
    reports = _reports(city, 2)
    events = Event.objects.count()
    with pytest.raises(ValidationError, match="Say why"):
        report_decide_bulk(actor=branch_secretary, report_ids=[r.pk for r in reports], approve=False)
    assert _statuses(reports) == [Status.PENDING] * 2
    assert Event.objects.count() == events


def test_a_report_to_another_community_refuses_the_whole_list(city: City, branch_secretary: User) -> None:
    ours = _reports(city, 2)
    (theirs,) = _reports(city, 1, community="west")
    events = Event.objects.count()
    with pytest.raises(ValidationError, match="1 of the ticked reports are not among those you may decide") as exc:
        report_decide_bulk(actor=branch_secretary, report_ids=[*(r.pk for r in ours), theirs.pk], approve=True)
    assert exc.value.code == "out_of_scope" and "成员west0" not in str(exc.value)
    assert _statuses([*ours, theirs]) == [Status.PENDING] * 3
    assert Event.objects.count() == events


def test_a_report_decided_meanwhile_refuses_the_whole_list_and_names_the_member(
    city: City, branch_secretary: User, district_admin: User
) -> None:
    first, second = _reports(city, 2)
    report_decide(report=second, actor=district_admin, approve=False, reason="重复报到")
    events = Event.objects.count()
    with pytest.raises(ValidationError, match="No longer awaiting approval: 成员east1") as exc:
        report_decide_bulk(actor=branch_secretary, report_ids=[first.pk, second.pk], approve=True)
    assert exc.value.code == "not_pending"
    assert _statuses([first, second]) == [Status.PENDING, Status.REJECTED]
    assert Event.objects.count() == events


def test_an_empty_list_is_refused(branch_secretary: User) -> None:
    with pytest.raises(ValidationError, match="Tick at least one report"):
        report_decide_bulk(actor=branch_secretary, report_ids=[], approve=True)


# ------------------------------------------------------------------------------ the page


def _as(client: Client, user: User) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_an_htmx_approval_returns_the_queue_in_place_with_what_was_done(
    client: Client, city: City, branch_secretary: User
) -> None:
    approved, left = _reports(city, 2)
    response = _as(client, branch_secretary).post(
        reverse("community:report_decide_bulk"),
        {"ids": [approved.pk], "action": "approve"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<div id="pending">') and "<html" not in html
    assert "1 report is approved." in html
    assert f'value="{left.pk}"' in html and f'value="{approved.pk}"' not in html
    assert _statuses([approved, left]) == [Status.APPROVED, Status.PENDING]


def test_an_htmx_rejection_of_one_row_returns_that_row_decided(
    client: Client, city: City, branch_secretary: User
) -> None:
    (report,) = _reports(city, 1)
    data = {"ids": [report.pk], "row": report.pk, "action": "reject", "reason": "已搬离本社区"}
    response = _as(client, branch_secretary).post(
        reverse("community:report_decide_bulk"), data, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="report-row-{report.pk}">')
    assert "已搬离本社区" in html and 'name="ids"' not in html
    assert _statuses([report]) == [Status.REJECTED]


def test_a_ticked_report_to_another_community_is_refused_on_the_page_and_nothing_written(
    client: Client, city: City, branch_secretary: User
) -> None:
    (ours,) = _reports(city, 1)
    (theirs,) = _reports(city, 1, community="west")
    response = _as(client, branch_secretary).post(
        reverse("community:report_decide_bulk"),
        {"ids": [ours.pk, theirs.pk], "action": "approve"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "not among those you may decide; nothing was changed" in html and "成员west0" not in html
    assert _statuses([ours, theirs]) == [Status.PENDING, Status.PENDING]


def test_without_htmx_the_outcome_is_flashed_on_the_queue(client: Client, city: City, branch_secretary: User) -> None:
    (report,) = _reports(city, 1)
    response = _as(client, branch_secretary).post(
        reverse("community:report_decide_bulk"), {"ids": [report.pk], "action": "approve"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("community:manage")
    assert "1 report is approved." in response.content.decode()


def test_a_member_finds_no_bulk_decision(client: Client, city: City, member_user: User) -> None:
    (report,) = _reports(city, 1)
    response = _as(client, member_user).post(
        reverse("community:report_decide_bulk"), {"ids": [report.pk], "action": "approve"}
    )
    assert response.status_code == 404
    assert _statuses([report]) == [Status.PENDING]

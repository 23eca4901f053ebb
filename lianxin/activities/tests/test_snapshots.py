"""The board and coverage of large subtrees, read from snapshots computed in the background (ADR 17).

The test city's root has three branches and its first district two; the threshold is set to two."""

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.activities.models import Attendance, Kind
from lianxin.activities.selectors.compliance import compliance_board
from lianxin.activities.selectors.snapshots import BOARD, COVERAGE, large_subtrees, packed, unpacked
from lianxin.activities.services.planning import attendance_record
from lianxin.activities.tests.factories import make_activity
from lianxin.activities.views import compliance as compliance_views
from lianxin.core.models import FigureSnapshot
from lianxin.core.snapshots import snapshots_refresh
from lianxin.members.tests.factories import make_member

SHANGHAI = timezone.get_default_timezone()
MORNING = datetime(2026, 5, 15, 9, 0, tzinfo=SHANGHAI)  # in the second quarter
CONGRESS = Kind.BRANCH_CONGRESS


@pytest.fixture
def morning() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def low_threshold() -> Iterator[None]:
    with override_settings(LIANXIN_SNAPSHOT_MIN_BRANCHES=2):
        yield


def logged_in(user: User, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.login(username=user.username, password=PASSWORD)
    return client


def board(client: Client, **query: str) -> tuple[int, dict[str, int], str, list[str]]:
    """The board's status, congress totals, its page and the codes of the organizations listed."""
    response = client.get(reverse("activities:compliance"), {"org": "ROOT", **query})
    codes = [row.organization.code for row in response.context["page"].object_list]
    return response.status_code, dict(response.context["board"].totals[CONGRESS]), response.content.decode(), codes


def test_snapshots_are_kept_for_subtrees_with_enough_branches(city: City, morning: time_machine.Traveller) -> None:
    runs = {run.name: run for run in snapshots_refresh(names=[BOARD, COVERAGE])}

    assert large_subtrees() == [city.root.pk, city.district.pk]
    assert (runs[BOARD].computed, runs[COVERAGE].computed) == (2 * 2, 2 * 4)
    stored = FigureSnapshot.objects.get(name=BOARD, organization_id=city.root.pk, start="2026-04-01")
    live = compliance_board(organization=city.root, start=date(2026, 4, 1), end=date(2026, 6, 30))
    every = [city.east.pk, city.west.pk, city.other_branch.pk]
    assert [row.organization.pk for row in live.rows] == every and [row.missed for row in live.rows] == [1, 1, 1]
    assert unpacked(bytes(stored.items)) == every + every  # every branch, then those with a window missed
    assert (stored.payload["branches"], stored.payload["missing"]) == (3, 3)
    assert stored.payload["totals"][CONGRESS] == {"due": 3}
    assert set(FigureSnapshot.objects.values_list("start", "end").distinct()) == {
        (date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 1, 1), date(2026, 5, 15)),
        (date(2026, 1, 1), date(2026, 12, 31)),
        (date(2025, 1, 1), date(2025, 12, 31)),
    }


def test_below_the_threshold_nothing_is_stored(city: City, morning: time_machine.Traveller) -> None:
    with override_settings(LIANXIN_SNAPSHOT_MIN_BRANCHES=5000):
        runs = snapshots_refresh(names=[BOARD, COVERAGE])

    assert [run.computed for run in runs] == [0, 0]
    assert not FigureSnapshot.objects.exists()


def test_the_board_reads_its_totals_from_the_snapshot_until_the_next_refresh(
    city: City, city_admin: User, morning: time_machine.Traveller
) -> None:
    snapshots_refresh(names=[BOARD])
    make_activity(city.east, planner=city_admin, starts_at=MORNING - timedelta(days=5), held=True)
    client = logged_in(city_admin)

    morning.shift(timedelta(minutes=5))
    status, totals, html, codes = board(client)
    assert status == 200 and totals == {"due": 3}  # as of 09:00, before the congress was recorded
    assert "The totals and the list of organizations are as of 09:00" in html
    assert "every 10 minutes" in html
    assert 'data-org="D1E"' in html and 'data-kind="branch_congress" data-state="held"' in html  # the row is current
    assert codes == ["D1E", "D1W", "D2V"]

    morning.shift(timedelta(minutes=6))
    snapshots_refresh(names=[BOARD])
    status, totals, html, _codes = board(client)
    assert totals == {"held": 1, "due": 2}
    assert "are as of 09:11" in html


def test_a_stale_snapshot_is_ignored_and_the_board_computed_live(
    city: City, city_admin: User, morning: time_machine.Traveller
) -> None:
    snapshots_refresh(names=[BOARD])
    make_activity(city.east, planner=city_admin, starts_at=MORNING - timedelta(days=5), held=True)

    morning.shift(timedelta(minutes=31))
    status, totals, html, _codes = board(logged_in(city_admin))

    assert status == 200 and totals == {"held": 1, "due": 2}
    assert 'id="figures-as-of"' not in html


def test_a_subtree_below_the_threshold_is_computed_live(
    city: City, city_admin: User, morning: time_machine.Traveller
) -> None:
    snapshots_refresh(names=[BOARD])
    response = logged_in(city_admin).get(reverse("activities:compliance"), {"org": "D2"})

    assert response.status_code == 200 and response.context["as_of"] is None


def test_pages_and_the_missing_only_list_are_slices_of_the_stored_list(
    city: City, city_admin: User, morning: time_machine.Traveller, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshots_refresh(names=[BOARD])
    stored = FigureSnapshot.objects.get(name=BOARD, organization_id=city.root.pk, start="2026-04-01")
    stored.items = packed([city.east.pk, city.west.pk, city.other_branch.pk, city.other_branch.pk])
    stored.payload["missing"] = 1  # what the snapshot says, not what the rows hold now
    stored.payload["due_soon"] = 7
    stored.save()
    client = logged_in(city_admin)

    _status, _totals, html, codes = board(client, missing="1")
    assert codes == ["D2V"]
    assert "7 required activities end their period within the next days" in html
    monkeypatch.setattr(compliance_views, "BOARD_PAGE_SIZE", 2)
    _status, _totals, _html, second = board(client, page="2")
    assert second == ["D2V"]


def test_the_api_gives_the_snapshots_totals_and_time(
    city: City, city_admin: User, morning: time_machine.Traveller
) -> None:
    snapshots_refresh(names=[BOARD])
    make_activity(city.east, planner=city_admin, starts_at=MORNING - timedelta(days=5), held=True)

    query = {"org": "ROOT", "from": "2026-04-01", "to": "2026-06-30"}
    body = logged_in(city_admin).get("/api/v1/activities/compliance", query)

    data = body.json()
    assert data["totals"][CONGRESS] == {"due": 3}
    assert datetime.fromisoformat(data["as_of"]) == MORNING and data["count"] == 3
    assert [o["code"] for o in data["organizations"]] == ["D1E", "D1W", "D2V"]


def test_coverage_reads_the_snapshot_and_its_rows_stay_live(
    city: City, city_admin: User, morning: time_machine.Traveller
) -> None:
    member = make_member(city.east, name="甲")
    snapshots_refresh(names=[COVERAGE])
    congress = make_activity(city.east, planner=city_admin, starts_at=MORNING - timedelta(days=5), held=True)
    attendance_record(activity=congress, actor=city_admin, member=member, status=Attendance.Status.PRESENT)
    client = logged_in(city_admin)

    page = client.get(reverse("activities:coverage"), {"org": "ROOT"})
    rows = client.get(reverse("activities:coverage_rows", args=["members"]), {"org": "ROOT"})
    assert (page.context["coverage"].activities, page.context["coverage"].members) == (0, 0)
    assert "These figures are as of 09:00" in page.content.decode()
    assert list(rows.context["page"].object_list) == [member]

    morning.shift(timedelta(minutes=11))
    snapshots_refresh(names=[COVERAGE])
    page = client.get(reverse("activities:coverage"), {"org": "ROOT"})
    figures = page.context["coverage"]
    assert (figures.activities, figures.members, figures.party_members, str(figures.share)) == (1, 1, 1, "100.0")
    assert {line.kind: line.members for line in figures.lines}[CONGRESS] == 1
    assert "as of 09:11" in page.content.decode()


def test_the_time_of_the_figures_reads_in_chinese(
    city: City, city_admin: User, morning: time_machine.Traveller
) -> None:
    snapshots_refresh(names=[BOARD, COVERAGE])
    client = logged_in(city_admin, "zh-hans")

    board_html = client.get(reverse("activities:compliance"), {"org": "ROOT"}).content.decode()
    coverage_html = client.get(reverse("activities:coverage"), {"org": "ROOT"}).content.decode()

    assert "合计和组织名单截至 09:00" in board_html
    assert "以下数据截至 09:00" in coverage_html


def test_scope_is_checked_as_before_whatever_the_snapshots(
    city: City, district_admin: User, branch_secretary: User, morning: time_machine.Traveller
) -> None:
    snapshots_refresh(names=[BOARD, COVERAGE])

    for user in (district_admin, branch_secretary):
        client = logged_in(user)
        assert client.get(reverse("activities:compliance"), {"org": "ROOT"}).status_code == 404
        assert client.get(reverse("activities:coverage"), {"org": "ROOT"}).status_code == 404
        assert client.get("/api/v1/activities/compliance", {"org": "ROOT"}).status_code == 404
    allowed = logged_in(district_admin).get(reverse("activities:compliance"), {"org": "D1"})
    assert allowed.status_code == 200 and allowed.context["as_of"] is not None

import threading
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import City
from lianxin.accounts.models import User
from lianxin.activities.models import Activity, FrequencyRule, Kind
from lianxin.activities.selectors.compliance import (
    DUE,
    EXEMPT,
    HELD,
    MISSED,
    UPCOMING,
    Board,
    Cell,
    compliance_board,
)
from lianxin.activities.services.compliance import compliance_remind
from lianxin.activities.tasks import remind_compliance_task
from lianxin.core.models import Event
from lianxin.core.testing import all_at_once
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member
from lianxin.organizations.models import Organization, OrganizationVerb
from lianxin.organizations.tests.factories import make_organization


def held_activity(org: Organization, kind: str, day: date, status: str = Activity.Status.HELD) -> Activity:
    starts = datetime(day.year, day.month, day.day, 9, tzinfo=timezone.get_default_timezone())
    return Activity.objects.create(
        organization=org,
        kind=kind,
        title=str(kind),
        status=status,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )


def cells(board: Board, org: Organization, kind: str) -> list[Cell]:
    row = next(r for r in board.rows if r.organization.pk == org.pk)
    return row.cells.get(kind, [])


def test_a_quarter_without_a_congress_is_missed_and_one_held_is_green(city: City) -> None:
    held_activity(city.west, Kind.BRANCH_CONGRESS, date(2026, 5, 20))

    board = compliance_board(
        organization=city.district, start=date(2026, 4, 1), end=date(2026, 6, 30), today=date(2026, 8, 1)
    )

    [east] = cells(board, city.east, Kind.BRANCH_CONGRESS)
    [west] = cells(board, city.west, Kind.BRANCH_CONGRESS)
    assert (east.state, east.label) == (MISSED, "2026 Q2")
    assert (west.state, west.held) == (HELD, 1)
    assert "第十一条" in east.rule.source
    assert board.totals[Kind.BRANCH_CONGRESS][HELD] == 1


def test_only_branch_level_organizations_of_the_subtree_are_on_the_board(city: City) -> None:
    board = compliance_board(organization=city.district, start=date(2026, 4, 1), end=date(2026, 6, 30))

    assert [r.organization.pk for r in board.rows] == [city.east.pk, city.west.pk]


def test_planned_or_cancelled_activities_do_not_count_as_held(city: City) -> None:
    held_activity(city.east, Kind.THEME_DAY, date(2026, 5, 28), status=Activity.Status.PLANNED)
    held_activity(city.east, Kind.THEME_DAY, date(2026, 5, 27), status=Activity.Status.CANCELLED)

    board = compliance_board(
        organization=city.east, start=date(2026, 5, 1), end=date(2026, 5, 31), today=date(2026, 7, 1)
    )

    assert [c.state for c in cells(board, city.east, Kind.THEME_DAY)] == [MISSED]


def test_monthly_kinds_have_a_window_per_month_and_future_months_are_upcoming(city: City) -> None:
    held_activity(city.east, Kind.THEME_DAY, date(2026, 4, 10))

    board = compliance_board(
        organization=city.east, start=date(2026, 4, 1), end=date(2026, 6, 30), today=date(2026, 5, 10)
    )

    assert [(c.label, c.state) for c in cells(board, city.east, Kind.THEME_DAY)] == [
        ("2026-04", HELD),
        ("2026-05", DUE),
        ("2026-06", UPCOMING),
    ]


def test_a_committee_meeting_is_required_only_of_a_branch_with_seven_full_members_or_a_general_branch(
    city: City,
) -> None:
    for n in range(7):
        make_member(city.east, name=f"正式{n}", category=Member.Category.FULL)
    for n in range(6):
        make_member(city.west, name=f"正式{n}", category=Member.Category.FULL)
    make_member(city.west, name="预备", category=Member.Category.PROBATIONARY, full_on=None, joined_on=date(2026, 3, 1))
    general = make_organization(name="总支", parent=city.district, code="D1G", kind=Organization.Kind.GENERAL_BRANCH)

    board = compliance_board(
        organization=city.district, start=date(2026, 4, 1), end=date(2026, 6, 30), today=date(2026, 8, 1)
    )

    assert len(cells(board, city.east, Kind.COMMITTEE_MEETING)) == 3
    assert cells(board, city.west, Kind.COMMITTEE_MEETING) == []
    assert len(cells(board, general, Kind.COMMITTEE_MEETING)) == 3
    assert "第十二条" in cells(board, city.east, Kind.COMMITTEE_MEETING)[0].rule.source
    assert board.totals[Kind.COMMITTEE_MEETING][MISSED] == 6
    # West, without a committee, misses only its congress, lecture and three theme days.
    assert next(r.missed for r in board.rows if r.organization.pk == city.west.pk) == 5


def test_a_party_group_meeting_is_required_only_of_a_branch_with_party_groups(city: City) -> None:
    make_organization(name="第一党小组", parent=city.east, code="D1EG1", kind=Organization.Kind.GROUP)
    closed = make_organization(name="旧党小组", parent=city.west, code="D1WG1", kind=Organization.Kind.GROUP)
    Organization.objects.filter(pk=closed.pk).update(status=Organization.Status.DISSOLVED)
    held_activity(city.east, Kind.GROUP_MEETING, date(2026, 5, 20))

    board = compliance_board(
        organization=city.district, start=date(2026, 4, 1), end=date(2026, 6, 30), today=date(2026, 8, 1)
    )

    assert [c.state for c in cells(board, city.east, Kind.GROUP_MEETING)] == [MISSED, HELD, MISSED]
    assert cells(board, city.west, Kind.GROUP_MEETING) == []
    assert "第十三条" in cells(board, city.east, Kind.GROUP_MEETING)[0].rule.source


def test_a_local_frequency_changes_the_windows_of_the_branches_it_reaches_only(city: City) -> None:
    FrequencyRule.objects.create(
        kind=Kind.PARTY_LECTURE,
        organization=city.east,
        frequency=FrequencyRule.Frequency.MONTHLY,
        valid_from=date(2026, 4, 1),
        source="东社区党课月月讲",
    )
    held_activity(city.east, Kind.PARTY_LECTURE, date(2026, 5, 9))
    held_activity(city.east, Kind.PARTY_LECTURE, date(2026, 5, 19))
    held_activity(city.west, Kind.PARTY_LECTURE, date(2026, 5, 9))

    board = compliance_board(
        organization=city.district, start=date(2026, 4, 1), end=date(2026, 6, 30), today=date(2026, 8, 1)
    )

    east = [(c.label, c.state, c.held) for c in cells(board, city.east, Kind.PARTY_LECTURE)]
    assert east == [("2026-04", MISSED, 0), ("2026-05", HELD, 2), ("2026-06", MISSED, 0)]
    assert cells(board, city.east, Kind.PARTY_LECTURE)[1].rule.source == "东社区党课月月讲"
    assert [(c.label, c.state, c.held) for c in cells(board, city.west, Kind.PARTY_LECTURE)] == [("2026 Q2", HELD, 1)]
    assert board.totals[Kind.PARTY_LECTURE] == {HELD: 2, MISSED: 2}


def test_a_board_over_many_years_keeps_every_month_apart(city: City) -> None:
    for year in range(2020, 2027):
        held_activity(city.east, Kind.THEME_DAY, date(year, 3, 28))

    board = compliance_board(
        organization=city.east, start=date(2020, 1, 1), end=date(2026, 12, 31), today=date(2027, 2, 1)
    )

    theme_days = cells(board, city.east, Kind.THEME_DAY)
    assert len(theme_days) == 84
    assert [c.label for c in theme_days if c.state == HELD] == [f"{year}-03" for year in range(2020, 2027)]
    assert board.totals[Kind.THEME_DAY] == {HELD: 7, MISSED: 77}


def test_an_exempted_quarter_shows_exempt_with_the_source(city: City) -> None:
    FrequencyRule.objects.create(
        kind=Kind.BRANCH_CONGRESS,
        organization=city.east,
        exempt=True,
        valid_from=date(2026, 4, 1),
        valid_until=date(2026, 6, 30),
        source="街道党工委批复",
    )

    board = compliance_board(
        organization=city.east, start=date(2026, 1, 1), end=date(2026, 9, 30), today=date(2026, 12, 1)
    )

    states = [(c.label, c.state, c.rule.source) for c in cells(board, city.east, Kind.BRANCH_CONGRESS)]
    assert states[1] == ("2026 Q2", EXEMPT, "街道党工委批复")
    assert [s[1] for s in states] == [MISSED, EXEMPT, MISSED]


def test_an_activity_late_on_the_last_day_of_a_quarter_counts_in_local_time(city: City) -> None:
    starts = datetime(2026, 6, 30, 23, 30, tzinfo=timezone.get_default_timezone())
    Activity.objects.create(
        organization=city.east,
        kind=Kind.BRANCH_CONGRESS,
        title="congress",
        status=Activity.Status.HELD,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=20),
    )

    board = compliance_board(
        organization=city.east, start=date(2026, 4, 1), end=date(2026, 9, 30), today=date(2026, 12, 1)
    )

    assert [c.state for c in cells(board, city.east, Kind.BRANCH_CONGRESS)] == [HELD, MISSED]


def test_the_board_costs_a_fixed_number_of_queries_however_many_branches(city: City) -> None:
    for i in range(5):
        org = make_organization(name=f"支部{i}", parent=city.district, code=f"D1X{i}")
        held_activity(org, Kind.THEME_DAY, date(2026, 5, 2))

    with CaptureQueriesContext(connection) as queries:
        board = compliance_board(organization=city.root, start=date(2026, 1, 1), end=date(2026, 12, 31))

    assert len(board.rows) == 8
    assert len(queries) <= 5


def test_a_reminder_is_recorded_for_the_secretary_of_a_branch_with_a_congress_due_soon(
    city: City, city_admin: User
) -> None:
    secretary = make_member(city.east, name="张书记")
    Organization.objects.filter(pk=city.east.pk).update(secretary=secretary)
    held_activity(city.west, Kind.BRANCH_CONGRESS, date(2026, 6, 2))

    recorded = compliance_remind(organization=city.district, actor=city_admin, today=date(2026, 6, 25))
    again = compliance_remind(organization=city.district, actor=city_admin, today=date(2026, 6, 25))

    east_events = Event.objects.filter(verb=OrganizationVerb.COMPLIANCE_REMINDED, subject_id=city.east.pk)
    assert [e.subject_id for e in recorded if "branch_congress" in e.note] == [city.east.pk]
    assert again == []
    assert east_events.count() == 1
    assert east_events.get().data["secretary_id"] == secretary.pk
    board = compliance_board(
        organization=city.district, start=date(2026, 4, 1), end=date(2026, 6, 30), today=date(2026, 6, 25)
    )
    assert next(r.reminders for r in board.rows if r.organization.pk == city.east.pk)


def test_nothing_is_reminded_when_no_window_ends_soon(city: City) -> None:
    assert compliance_remind(organization=city.district, today=date(2026, 5, 2)) == []
    assert not Event.objects.filter(verb=OrganizationVerb.COMPLIANCE_REMINDED).exists()


def test_the_command_and_the_task_remind_branches_with_a_window_ending_soon(city: City) -> None:
    out = StringIO()
    call_command("remind_compliance", "--org", "D1", stdout=out)
    # Every branch has at least its yearly rules open; whether one ends within the warning days
    # depends on today, so the command's count must equal the reminders it recorded.
    recorded = Event.objects.filter(verb=OrganizationVerb.COMPLIANCE_REMINDED).count()
    assert out.getvalue().strip() == f"{recorded} branch(es) reminded."
    assert remind_compliance_task.call(org="D1") == 0
    assert Event.objects.filter(verb=OrganizationVerb.COMPLIANCE_REMINDED).count() == recorded


def test_the_command_refuses_an_unknown_organization_and_records_nothing(city: City) -> None:
    with pytest.raises(CommandError, match="No organization has the code NOPE"):
        call_command("remind_compliance", "--org", "NOPE")
    assert not Event.objects.filter(verb=OrganizationVerb.COMPLIANCE_REMINDED).exists()


@pytest.mark.django_db(transaction=True)
def test_four_reminder_runs_at_once_remind_each_branch_once(city: City) -> None:
    def remind(barrier: threading.Barrier) -> None:
        barrier.wait()
        compliance_remind(organization=city.district, today=date(2026, 6, 25))

    wins, refusals = all_at_once([remind] * 4)

    assert (wins, refusals) == (4, [])
    reminded = Event.objects.filter(verb=OrganizationVerb.COMPLIANCE_REMINDED).values_list("subject_id", flat=True)
    assert sorted(reminded) == sorted([city.east.pk, city.west.pk])

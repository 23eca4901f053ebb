"""Each figure counts exactly the rows it says, for a subtree and a period, and nothing else."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.periods import Period, period_from
from lianxin.dashboards import figures as f
from lianxin.dashboards.tests.factories import YEAR_2025, make_service_record
from lianxin.organizations.selectors import access_subtree
from lianxin.organizations.services import organization_move
from lianxin.volunteering.models import Order, SignUp
from lianxin.volunteering.selectors import figures as vf

pytestmark = pytest.mark.django_db

PERIOD = Period(*YEAR_2025)


def test_every_figure_of_a_district_for_a_year_counts_its_own_rows(city: City) -> None:
    # given the hand-counted record of 城区 with decoys in other districts, years and states
    make_service_record(city)
    # when the figures of 城区 for 2025 are computed
    figures = f.service_figures(organization=city.district, period=PERIOD)
    # then each one is the hand count
    assert figures.sessions_held == 3
    assert figures.participations == 4
    assert figures.volunteers == 2
    assert figures.signup_hours == Decimal("8.5")
    assert figures.record_hours == Decimal("4.5")
    assert figures.hours == Decimal("13.0")
    assert figures.service_records == 2
    assert (figures.orders_served, figures.order_beneficiaries) == (4, 62)
    assert figures.session_beneficiaries == 50
    assert (figures.tour_stops, figures.tour_beneficiaries) == (1, 100)
    assert figures.beneficiaries == 212
    assert figures.orders_by_state == {
        "ordered": 1,
        "dispatched": 0,
        "accepted": 0,
        "served": 0,
        "rated": 2,
        "unrated": 1,
        "cancelled": 1,
    }
    assert figures.orders_placed == 5
    assert (figures.wishes_posted, figures.wishes_claimed, figures.wishes_fulfilled) == (4, 3, 2)
    assert figures.reports_by_community == 3
    assert figures.reports_by_home == 2
    assert figures.post_claims == 1


def test_a_person_at_several_sessions_is_one_volunteer_but_several_participations(city: City) -> None:
    record = make_service_record(city)
    figures = f.service_figures(organization=city.district, period=PERIOD)
    rows = list(vf.participations(city.district, PERIOD))
    assert [r.user_id for r in rows].count(record.volunteer_one.pk) == 2
    assert figures.volunteers == len({r.user_id for r in rows}) == 2
    assert list(vf.volunteers(city.district, PERIOD)) == [record.volunteer_one, record.volunteer_two]


def test_unrated_orders_are_left_out_of_the_average_rating_not_counted_as_five(city: City) -> None:
    make_service_record(city)
    figures = f.service_figures(organization=city.district, period=PERIOD)
    # rated 5 and 2; the unrated order would make it 4.00 if it counted as 5
    assert figures.rated_orders == 2
    assert figures.average_rating == Decimal("3.50")
    assert all(o.rating is not None for o in vf.rated_orders(city.district, PERIOD))


def test_a_period_without_rated_orders_has_no_average_rather_than_zero(city: City) -> None:
    make_service_record(city)
    figures = f.service_figures(organization=city.district, period=Period(date(2023, 1, 1), date(2023, 12, 31)))
    assert figures.rated_orders == 0 and figures.average_rating is None
    assert figures.sessions_held == 0 and figures.hours == Decimal("0")


def test_a_session_that_serves_an_order_adds_its_beneficiaries_only_through_the_order(city: City) -> None:
    record = make_service_record(city)
    rows = list(vf.session_beneficiary_rows(city.district, PERIOD))
    assert record.sessions["of_order"] not in rows
    assert record.sessions["free"] in rows
    assert record.orders["rated_5"] in list(vf.orders_served(city.district, PERIOD))


def test_community_reports_count_under_the_community_and_under_the_members_own_organization(city: City) -> None:
    make_service_record(city)
    east = f.service_figures(organization=city.east, period=PERIOD)
    island = f.service_figures(organization=city.other_district, period=PERIOD)
    whole_city = f.service_figures(organization=city.root, period=PERIOD)
    assert (east.reports_by_community, east.reports_by_home) == (2, 1)
    assert (island.reports_by_community, island.reports_by_home) == (1, 2)
    assert (whole_city.reports_by_community, whole_city.reports_by_home) == (4, 4)


def test_a_branch_sees_only_its_own_subtree(city: City) -> None:
    make_service_record(city)
    east = f.service_figures(organization=city.east, period=PERIOD)
    west = f.service_figures(organization=city.west, period=PERIOD)
    assert (east.sessions_held, west.sessions_held) == (3, 0)
    assert (east.wishes_posted, west.wishes_posted) == (2, 2)
    assert (east.service_records, west.service_records) == (1, 1)


def test_the_year_starts_and_ends_at_midnight_in_the_sites_time_zone(city: City) -> None:
    record = make_service_record(city)
    held = list(vf.sessions_held(city.district, PERIOD))
    assert record.sessions["new_year"] in held
    assert record.sessions["after"] not in held


def test_a_withdrawn_or_unattended_signup_is_no_participation(city: City) -> None:
    make_service_record(city)
    rows = vf.participations(city.district, PERIOD)
    assert not rows.filter(left_at__isnull=False).exists()
    not_attended = SignUp.objects.filter(checked_in_at__isnull=True, hours=0)
    assert not rows.filter(pk__in=not_attended.values("pk")).exists()


def test_every_drilldown_lists_as_many_rows_as_its_figure_counts(city: City) -> None:
    make_service_record(city)
    figures = f.service_figures(organization=city.district, period=PERIOD)
    expected = {
        "sessions": figures.sessions_held,
        "participations": figures.participations,
        "volunteers": figures.volunteers,
        "served-orders": figures.orders_served,
        "tour-stops": figures.tour_stops,
        "service-records": figures.service_records,
        "orders": figures.orders_placed,
        "rated-orders": figures.rated_orders,
        "wishes-posted": figures.wishes_posted,
        "wishes-claimed": figures.wishes_claimed,
        "wishes-fulfilled": figures.wishes_fulfilled,
        "reports-by-community": figures.reports_by_community,
        "reports-by-home": figures.reports_by_home,
        "post-claims": figures.post_claims,
        **{f"orders-{s}": n for s, n in figures.orders_by_state.items()},
    }
    for key, count in expected.items():
        assert f.ROWS[key](city.district, PERIOD).count() == count, key
    rows = vf.session_beneficiary_rows(city.district, PERIOD)
    assert sum(s.beneficiaries or 0 for s in rows) == figures.session_beneficiaries
    assert sum(o.beneficiaries or 0 for o in vf.orders_served(city.district, PERIOD)) == figures.order_beneficiaries
    assert set(f.ROWS) == set(expected) | {"session-beneficiaries"}


def test_all_figures_take_eight_queries(city: City, django_assert_num_queries: object) -> None:
    make_service_record(city)
    # and on PostgreSQL the SET LOCAL of their work_mem (lianxin.core.statements)
    with django_assert_num_queries(8 + (connection.vendor == "postgresql")):  # type: ignore[operator]
        f.service_figures(organization=city.district, period=PERIOD)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2025-13-01", "", "First day: “2025-13-01” is not a date; write it as YYYY-MM-DD."),
        ("", "next week", "Last day: “next week” is not a date; write it as YYYY-MM-DD."),
        ("2025-06-01", "2025-05-31", "The period ends before it starts."),
        ("2000-01-01", "2025-01-01", "A period may be at most ten years long."),
    ],
)
def test_a_bad_period_is_refused_with_a_clear_message(start: str, end: str, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        period_from(start, end)
    assert exc.value.messages == [message]


def test_an_empty_period_means_this_year_so_far() -> None:
    period = period_from("", None)
    assert period == Period.year_so_far()
    assert period.start.month == 1 and period.start.day == 1


def test_the_subtree_is_found_only_within_the_viewers_roster_scope(
    city: City, city_admin: User, district_admin: User, branch_secretary: User, member_user: User
) -> None:
    assert access_subtree(city_admin, "") == city.root
    assert access_subtree(district_admin, "") == city.district
    assert access_subtree(district_admin, "D1E") == city.east
    assert access_subtree(branch_secretary, "D1E") == city.east
    for user, code in (
        (district_admin, "D2"),
        (district_admin, "ROOT"),
        (branch_secretary, "D1"),
        (branch_secretary, "D1W"),
        (member_user, "D1E"),
        (city_admin, "NO-SUCH-CODE"),
    ):
        with pytest.raises(Http404):
            access_subtree(user, code)


def test_order_states_cover_every_state_of_the_model(city: City) -> None:
    figures = f.service_figures(organization=city.root, period=PERIOD)
    assert set(figures.orders_by_state) == set(Order.Status.values)


def test_a_moved_community_brings_its_rows_to_its_new_district(city: City) -> None:
    # given the record of 城区, whose 东社区 then moves to the other district
    make_service_record(city)
    east = f.service_figures(organization=city.east, period=PERIOD)
    here = f.service_figures(organization=city.district, period=PERIOD)
    there = f.service_figures(organization=city.other_district, period=PERIOD)
    organization_move(actor=None, organization=city.east, new_parent=city.other_district)
    # then each figure that adds up moves with it, and 城区 keeps only 西社区's
    moved_there = f.service_figures(organization=city.other_district, period=PERIOD)
    moved_here = f.service_figures(organization=city.district, period=PERIOD)
    additive = (
        "sessions_held",
        "participations",
        "orders_served",
        "orders_placed",
        "tour_stops",
        "service_records",
        "wishes_posted",
        "reports_by_community",
        "reports_by_home",
        "post_claims",
    )
    for name in additive:
        assert getattr(moved_there, name) == getattr(there, name) + getattr(east, name), name
        assert getattr(moved_here, name) == getattr(here, name) - getattr(east, name), name
    assert east.orders_placed > 0 and east.wishes_posted > 0

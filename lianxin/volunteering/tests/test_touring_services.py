"""Touring services (巡回服务): organizers plan stops inside the tour's dates, in towns, with active teams.

Seed 004: from 27 June to 16 July the city organs' volunteer teams toured 15 towns and streets,
starting at 高楼镇's 发银广场, offering ten kinds of service.
"""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.selectors import event_list_for
from lianxin.organizations.models import Area
from lianxin.volunteering.models import ServiceCategory, Team, Tour, TourStop
from lianxin.volunteering.selectors.touring import tour_figures
from lianxin.volunteering.services.touring import (
    tour_create,
    tour_publish,
    tour_stop_add,
    tour_stop_record,
    tour_stop_remove,
    tour_stop_update,
    tour_unpublish,
    tour_update,
)
from lianxin.volunteering.tests.factories import make_item
from lianxin.volunteering.tests.factories_touring import make_stop, make_tour, make_tour_team, make_town

pytestmark = pytest.mark.django_db

SEED_TOWNS = [
    "高楼镇", "玉海街道", "南滨街道", "湖岭镇", "马屿镇", "陶山镇", "上望街道", "汀田街道",
    "仙降街道", "锦湖街道", "安阳街道", "东山街道", "莘塍街道", "塘下镇", "飞云街道",
]  # fmt: skip


@pytest.fixture
def town(city: City) -> Area:
    return make_town(city.district.area, "高楼镇")


@pytest.fixture
def medical_team(city: City) -> Team:
    return make_tour_team(city.district, "医疗卫生系统服务队", ("医疗义诊", "测血糖量血压"))


def _nothing_written(tour: Tour) -> None:
    assert TourStop.objects.filter(tour=tour).count() == 0


def test_an_organizer_plans_a_tour_that_stays_off_the_public_page_until_published(
    city: City, district_admin: User
) -> None:
    tour = make_tour(city.district, organizer=district_admin)
    assert not tour.is_published
    assert event_list_for(tour).filter(verb="created").count() == 1


def test_seed_004_fifteen_towns_from_27_june_to_16_july_offering_the_ten_kinds_of_service(
    city: City, district_admin: User
) -> None:
    given_teams = [
        make_tour_team(city.district, f"{c.name}服务队", (f"{c.name}咨询",))
        for c in ServiceCategory.objects.filter(parent=None)
    ]
    tour = make_tour(city.district, organizer=district_admin, starts_on=date(2014, 6, 27), days=20)
    assert tour.ends_on == date(2014, 7, 16)
    for n, name in enumerate(SEED_TOWNS):
        make_stop(
            tour,
            organizer=district_admin,
            town=make_town(city.district.area, name),
            teams=given_teams,
            on=tour.starts_on + timedelta(days=n),
        )
    tour_publish(tour=tour, actor=district_admin)
    figures = tour_figures(tour)
    assert (figures.stops, figures.towns, figures.teams) == (15, 15, 10)
    assert tour.stops.first().area.name == "高楼镇"  # type: ignore[union-attr]


def test_an_admin_outside_the_organizers_subtree_cannot_plan_a_tour_for_it(city: City, branch_secretary: User) -> None:
    with pytest.raises(ValidationError, match="not allowed to organize"):
        make_tour(city.district, organizer=branch_secretary)
    assert Tour.objects.count() == 0


def test_a_tour_whose_last_day_is_before_its_first_is_refused_and_nothing_is_written(
    city: City, district_admin: User
) -> None:
    with pytest.raises(ValidationError, match="last day of the tour is before its first day"):
        tour_create(
            actor=district_admin,
            organization=city.district,
            title="巡回服务",
            starts_on=date(2014, 7, 16),
            ends_on=date(2014, 6, 27),
        )
    assert Tour.objects.count() == 0


def test_a_stop_with_active_teams_and_their_items_goes_on_the_schedule(
    city: City, district_admin: User, town: Area, medical_team: Team
) -> None:
    tour = make_tour(city.district, organizer=district_admin)
    stop = make_stop(tour, organizer=district_admin, town=town, teams=[medical_team])
    assert list(stop.teams.all()) == [medical_team]
    assert sorted(i.title for i in stop.items.all()) == ["医疗义诊", "测血糖量血压"]
    assert event_list_for(tour).filter(verb="stop_added").count() == 1


def test_a_stop_outside_the_tours_dates_is_refused_clearly_and_nothing_is_written(
    city: City, district_admin: User, town: Area, medical_team: Team
) -> None:
    tour = make_tour(city.district, organizer=district_admin, starts_on=date(2014, 6, 27), days=20)
    with pytest.raises(ValidationError) as refused:
        make_stop(tour, organizer=district_admin, town=town, teams=[medical_team], on=date(2014, 7, 17))
    assert refused.value.messages == ["The stop on 2014-07-17 is outside the tour's dates (2014-06-27 to 2014-07-16)."]
    _nothing_written(tour)


def test_an_unknown_team_is_refused_clearly_and_nothing_is_written(
    city: City, district_admin: User, town: Area
) -> None:
    tour = make_tour(city.district, organizer=district_admin)
    with pytest.raises(ValidationError) as refused:
        tour_stop_add(tour=tour, actor=district_admin, area=town, date=tour.starts_on, place="广场", team_ids=[987654])
    assert refused.value.messages == ["Unknown team: 987654."]
    _nothing_written(tour)


def test_a_team_that_is_no_longer_active_cannot_be_sent_to_a_stop(
    city: City, district_admin: User, town: Area, medical_team: Team
) -> None:
    Team.objects.filter(pk=medical_team.pk).update(is_active=False)
    tour = make_tour(city.district, organizer=district_admin)
    with pytest.raises(ValidationError, match="医疗卫生系统服务队 is no longer active"):
        make_stop(tour, organizer=district_admin, town=town, teams=[medical_team], with_items=False)
    _nothing_written(tour)


def test_a_stop_needs_a_town_not_a_whole_district(city: City, district_admin: User, medical_team: Team) -> None:
    tour = make_tour(city.district, organizer=district_admin)
    with pytest.raises(ValidationError, match="a stop is in a town or street"):
        make_stop(tour, organizer=district_admin, town=city.district.area, teams=[medical_team])
    _nothing_written(tour)


def test_a_stop_cannot_list_an_item_that_none_of_its_teams_offers(
    city: City, district_admin: User, town: Area, medical_team: Team
) -> None:
    legal = make_tour_team(city.district, "司法系统服务队")
    advice = make_item(legal, title="法律咨询", category_code="legal_advice")
    tour = make_tour(city.district, organizer=district_admin)
    with pytest.raises(ValidationError, match="法律咨询 is offered by a team that is not at this stop"):
        tour_stop_add(
            tour=tour,
            actor=district_admin,
            area=town,
            date=tour.starts_on,
            place="西村桥头路口",
            team_ids=[medical_team.pk],
            item_ids=[advice.pk],
        )
    _nothing_written(tour)


def test_an_admin_of_another_subtree_cannot_add_stops(
    city: City, district_admin: User, branch_secretary: User, town: Area, medical_team: Team
) -> None:
    tour = make_tour(city.district, organizer=district_admin)
    with pytest.raises(ValidationError, match="not allowed"):
        make_stop(tour, organizer=branch_secretary, town=town, teams=[medical_team])
    _nothing_written(tour)


def test_a_stop_can_be_moved_to_another_day_and_town_within_the_dates(
    city: City, district_admin: User, town: Area, medical_team: Team
) -> None:
    tour = make_tour(city.district, organizer=district_admin)
    stop = make_stop(tour, organizer=district_admin, town=town, teams=[medical_team])
    other = make_town(city.district.area, "玉海街道")
    tour_stop_update(
        stop=stop,
        actor=district_admin,
        area=other,
        date=tour.starts_on + timedelta(days=1),
        place="玉海广场",
        team_ids=[medical_team.pk],
    )
    stop.refresh_from_db()
    assert (stop.area, stop.place, stop.items.count()) == (other, "玉海广场", 0)
    with pytest.raises(ValidationError, match="outside the tour's dates"):
        tour_stop_update(
            stop=stop,
            actor=district_admin,
            area=other,
            date=tour.ends_on + timedelta(days=1),
            place="玉海广场",
            team_ids=[medical_team.pk],
        )
    stop.refresh_from_db()
    assert stop.date == tour.starts_on + timedelta(days=1)


def test_the_tours_dates_cannot_shrink_past_a_planned_stop(
    city: City, district_admin: User, town: Area, medical_team: Team
) -> None:
    tour = make_tour(city.district, organizer=district_admin)
    make_stop(tour, organizer=district_admin, town=town, teams=[medical_team], on=tour.ends_on)
    with pytest.raises(ValidationError, match="would fall outside the new dates"):
        tour_update(
            tour=tour,
            actor=district_admin,
            title=tour.title,
            starts_on=tour.starts_on,
            ends_on=tour.ends_on - timedelta(days=1),
        )
    tour.refresh_from_db()
    assert (tour.ends_on - tour.starts_on).days == 19


def test_publishing_needs_a_stop_and_happens_once(
    city: City, district_admin: User, town: Area, medical_team: Team
) -> None:
    tour = make_tour(city.district, organizer=district_admin)
    with pytest.raises(ValidationError, match="at least one stop"):
        tour_publish(tour=tour, actor=district_admin)
    make_stop(tour, organizer=district_admin, town=town, teams=[medical_team])
    tour_publish(tour=tour, actor=district_admin)
    stale = Tour.objects.get(pk=tour.pk)
    stale.is_published = False  # another organizer's page still shows the draft
    with pytest.raises(ValidationError, match="already public"):
        tour_publish(tour=stale, actor=district_admin)
    assert event_list_for(tour).filter(verb="published").count() == 1
    tour_unpublish(tour=tour, actor=district_admin)
    assert not Tour.objects.get(pk=tour.pk).is_published


def test_after_a_stop_the_organizer_records_the_people_served_and_the_tour_sums_them(
    city: City, district_admin: User, town: Area, medical_team: Team
) -> None:
    tour = make_tour(city.district, organizer=district_admin, starts_on=timezone.localdate() - timedelta(days=3))
    first = make_stop(tour, organizer=district_admin, town=town, teams=[medical_team], on=tour.starts_on)
    second = make_stop(tour, organizer=district_admin, town=town, teams=[medical_team], on=tour.starts_on)
    tour_stop_record(stop=first, actor=district_admin, beneficiaries=120)
    tour_stop_record(stop=second, actor=district_admin, beneficiaries=80)
    figures = tour_figures(tour)
    assert (figures.beneficiaries, figures.stops_recorded, figures.towns, figures.teams) == (200, 2, 1, 1)


def test_people_served_cannot_be_recorded_before_the_stop_or_be_negative(
    city: City, district_admin: User, town: Area, medical_team: Team
) -> None:
    tour = make_tour(city.district, organizer=district_admin, starts_on=timezone.localdate() + timedelta(days=1))
    later = make_stop(tour, organizer=district_admin, town=town, teams=[medical_team])
    with pytest.raises(ValidationError, match="has not happened yet"):
        tour_stop_record(stop=later, actor=district_admin, beneficiaries=10)
    past_tour = make_tour(city.district, organizer=district_admin, starts_on=date(2014, 6, 27))
    past = make_stop(past_tour, organizer=district_admin, town=town, teams=[medical_team])
    with pytest.raises(ValidationError, match="cannot be negative"):
        tour_stop_record(stop=past, actor=district_admin, beneficiaries=-1)
    assert TourStop.objects.filter(beneficiaries__isnull=False).count() == 0


def test_a_stop_comes_off_the_schedule_unless_people_served_were_recorded(
    city: City, district_admin: User, town: Area, medical_team: Team
) -> None:
    tour = make_tour(city.district, organizer=district_admin, starts_on=date(2014, 6, 27))
    planned = make_stop(tour, organizer=district_admin, town=town, teams=[medical_team])
    served = make_stop(tour, organizer=district_admin, town=town, teams=[medical_team])
    tour_stop_record(stop=served, actor=district_admin, beneficiaries=300)
    tour_stop_remove(stop=planned, actor=district_admin)
    with pytest.raises(ValidationError, match="Beneficiaries were recorded"):
        tour_stop_remove(stop=served, actor=district_admin)
    assert list(tour.stops.all()) == [served]

"""The branch committee (支部委员会, 支部工作条例 第六章): seats filled and ended through the services,
shown on the organization's page, with a small form for those who manage its roster."""

from datetime import date, timedelta

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.core.models import Event
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member
from lianxin.organizations.models import CommitteeSeat, Organization
from lianxin.organizations.services import committee_seat_end, committee_seat_fill

pytestmark = pytest.mark.django_db

SINCE = date(2024, 3, 1)


def _as(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _full(city: City, count: int = 7) -> list[Member]:
    return [make_member(city.east, name=f"东{i}") for i in range(count)]


def _seat(actor: User, member: Member, role: str, organization: Organization | None = None) -> CommitteeSeat:
    return committee_seat_fill(
        actor=actor, organization=organization or member.organization, member=member, role=role, since=SINCE
    )


def _verbs(org: Organization) -> list[str]:
    return list(
        Event.objects.filter(subject_id=org.pk, verb__startswith="committee")
        .order_by("pk")
        .values_list("verb", flat=True)
    )


def test_a_branch_of_seven_full_members_seats_its_committee_and_the_secretary_becomes_its_secretary(
    city: City, branch_secretary: User
) -> None:
    people = _full(city)
    _seat(branch_secretary, people[0], "secretary")
    _seat(branch_secretary, people[1], "organization")
    _seat(branch_secretary, people[2], "propaganda")

    seats = CommitteeSeat.objects.filter(organization=city.east, until__isnull=True)
    assert set(seats.values_list("member__name", "role")) == {
        ("东0", "secretary"),
        ("东1", "organization"),
        ("东2", "propaganda"),
    }
    city.east.refresh_from_db()
    assert city.east.secretary == people[0]
    event = Event.objects.filter(subject_id=city.east.pk, verb="committee_seated").first()
    assert event is not None and event.actor == branch_secretary
    assert _verbs(city.east) == ["committee_seated"] * 3


def test_only_a_full_member_of_the_branch_takes_a_seat(city: City, branch_secretary: User) -> None:
    _full(city)
    probationary = make_member(city.east, name="预备", category=Member.Category.PROBATIONARY, full_on=None)
    west = make_member(city.west, name="西边人")
    for member in (probationary, west):
        with pytest.raises(ValidationError, match="is not a full member of 东社区党支部"):
            _seat(branch_secretary, member, "organization", organization=city.east)
    assert not CommitteeSeat.objects.exists() and not _verbs(city.east)


def test_a_committee_has_one_current_secretary(city: City, branch_secretary: User) -> None:
    people = _full(city)
    _seat(branch_secretary, people[0], "secretary")
    with pytest.raises(ValidationError, match="already has a secretary; end that seat first"):
        _seat(branch_secretary, people[1], "secretary")
    assert CommitteeSeat.objects.count() == 1


def test_a_member_holds_one_current_seat(city: City, branch_secretary: User) -> None:
    people = _full(city)
    _seat(branch_secretary, people[0], "organization")
    with pytest.raises(ValidationError, match="already holds a seat"):
        _seat(branch_secretary, people[0], "propaganda")
    assert CommitteeSeat.objects.count() == 1


def test_a_committee_has_at_most_seven_seats(city: City, branch_secretary: User) -> None:
    people = _full(city, 9)
    roles = ["secretary", "deputy_secretary", "organization", "propaganda", "discipline", "youth", "other"]
    for person, role in zip(people, roles, strict=False):
        _seat(branch_secretary, person, role)
    with pytest.raises(ValidationError, match="at most 7 members"):
        _seat(branch_secretary, people[7], "other")
    assert CommitteeSeat.objects.filter(until__isnull=True).count() == 7


def test_a_branch_under_seven_full_members_seats_a_secretary_and_one_deputy_only(
    city: City, branch_secretary: User
) -> None:
    people = _full(city, 6)
    _seat(branch_secretary, people[0], "secretary")
    _seat(branch_secretary, people[1], "deputy_secretary")
    with pytest.raises(ValidationError, match="fewer than 7 full members has no committee"):
        _seat(branch_secretary, people[2], "organization")
    with pytest.raises(ValidationError, match="at most one deputy secretary"):
        _seat(branch_secretary, people[2], "deputy_secretary")
    assert CommitteeSeat.objects.count() == 2


def test_seats_are_for_branches_and_start_no_later_than_today(city: City, district_admin: User) -> None:
    people = _full(city)
    district_member = make_member(city.district)
    with pytest.raises(ValidationError, match="Only a Party branch has a branch committee"):
        _seat(district_admin, district_member, "secretary")
    with pytest.raises(ValidationError, match="cannot start in the future"):
        committee_seat_fill(
            actor=district_admin,
            organization=city.east,
            member=people[0],
            role="secretary",
            since=timezone.localdate() + timedelta(days=1),
        )
    with pytest.raises(ValidationError, match="Choose a committee role"):
        _seat(district_admin, people[0], "chairman")
    assert not CommitteeSeat.objects.exists()


def test_only_who_manages_the_branch_roster_fills_its_seats(
    city: City, branch_secretary: User, member_user: User
) -> None:
    west = [make_member(city.west) for _ in range(7)]
    for outsider in (branch_secretary, member_user):
        with pytest.raises(ValidationError, match="not allowed"):
            _seat(outsider, west[0], "secretary")
    assert not CommitteeSeat.objects.exists()


def test_ending_a_seat_keeps_its_record_and_frees_the_secretary(city: City, branch_secretary: User) -> None:
    people = _full(city)
    seat = _seat(branch_secretary, people[0], "secretary")
    today = timezone.localdate()

    committee_seat_end(actor=branch_secretary, seat=seat, until=today)

    seat.refresh_from_db()
    city.east.refresh_from_db()
    assert seat.until == today and city.east.secretary is None
    assert _verbs(city.east) == ["committee_seated", "committee_unseated"]
    _seat(branch_secretary, people[1], "secretary")
    assert CommitteeSeat.objects.count() == 2


def test_a_seat_ends_once_not_before_it_started_and_not_in_the_future(city: City, branch_secretary: User) -> None:
    people = _full(city)
    seat = _seat(branch_secretary, people[0], "organization")
    with pytest.raises(ValidationError, match="cannot end before it started"):
        committee_seat_end(actor=branch_secretary, seat=seat, until=SINCE - timedelta(days=1))
    with pytest.raises(ValidationError, match="cannot end in the future"):
        committee_seat_end(actor=branch_secretary, seat=seat, until=timezone.localdate() + timedelta(days=1))
    seat.refresh_from_db()
    assert seat.until is None
    committee_seat_end(actor=branch_secretary, seat=seat, until=SINCE)
    with pytest.raises(ValidationError, match="already ended"):
        committee_seat_end(actor=branch_secretary, seat=seat, until=SINCE)
    assert _verbs(city.east) == ["committee_seated", "committee_unseated"]


def test_only_who_manages_the_branch_roster_ends_its_seats(
    city: City, branch_secretary: User, district_admin: User
) -> None:
    west = [make_member(city.west) for _ in range(7)]
    seat = _seat(district_admin, west[0], "secretary")
    with pytest.raises(ValidationError, match="not allowed"):
        committee_seat_end(actor=branch_secretary, seat=seat, until=timezone.localdate())
    seat.refresh_from_db()
    assert seat.until is None


# ------------------------------------------------------------------ the organization's page


def test_the_page_lists_the_committee_and_a_manager_seats_someone_from_it(city: City, branch_secretary: User) -> None:
    people = _full(city)
    _seat(branch_secretary, people[0], "secretary")
    client = _as(branch_secretary)
    page = client.get(reverse("organizations:detail", args=[city.east.pk])).content.decode()
    assert "Branch committee" in page and "东0" in page and "Seat on the committee" in page

    response = client.post(
        reverse("organizations:seat_fill", args=[city.east.pk]),
        {"member": people[1].pk, "role": "propaganda", "since": "2024年3月1日"},
        follow=True,
    )

    html = response.content.decode()
    assert "东1 was seated on the branch committee." in html
    assert "propaganda member" in html and "seated on the branch committee" in html
    assert CommitteeSeat.objects.get(member=people[1]).since == SINCE


def test_the_page_shows_the_services_refusal_and_seats_nobody(city: City, branch_secretary: User) -> None:
    people = _full(city, 3)
    response = _as(branch_secretary).post(
        reverse("organizations:seat_fill", args=[city.east.pk]),
        {"member": people[0].pk, "role": "organization", "since": "2024-03-01"},
        follow=True,
    )
    assert "fewer than 7 full members has no committee" in response.content.decode()
    assert not CommitteeSeat.objects.exists()


def test_a_seat_is_ended_from_the_page(city: City, branch_secretary: User) -> None:
    people = _full(city)
    seat = _seat(branch_secretary, people[0], "organization")
    response = _as(branch_secretary).post(
        reverse("organizations:seat_end", args=[city.east.pk]), {"seat": seat.pk, "until": "2025-01-01"}, follow=True
    )
    assert "东0 no longer sits on the branch committee." in response.content.decode()
    seat.refresh_from_db()
    assert seat.until == date(2025, 1, 1)


def test_a_seat_of_another_organization_cannot_be_ended_through_this_one(
    city: City, district_admin: User, branch_secretary: User
) -> None:
    west = [make_member(city.west) for _ in range(7)]
    seat = _seat(district_admin, west[0], "secretary")
    response = _as(branch_secretary).post(
        reverse("organizations:seat_end", args=[city.east.pk]), {"seat": seat.pk, "until": "2025-01-01"}, follow=True
    )
    assert "This seat is not on this organization&#x27;s committee." in response.content.decode()
    seat.refresh_from_db()
    assert seat.until is None


def test_those_who_only_browse_see_the_committee_without_the_form(
    city: City, branch_secretary: User, handler: User
) -> None:
    people = _full(city)
    _seat(branch_secretary, people[0], "secretary")
    page = _as(handler).get(reverse("organizations:detail", args=[city.east.pk])).content.decode()
    assert "东0" in page and "Seat on the committee" not in page
    response = _as(handler).post(
        reverse("organizations:seat_fill", args=[city.east.pk]),
        {"member": people[1].pk, "role": "propaganda", "since": "2024-03-01"},
    )
    assert response.status_code == 404
    assert CommitteeSeat.objects.count() == 1


def test_a_secretary_cannot_seat_anyone_in_another_branch(city: City, branch_secretary: User) -> None:
    west = [make_member(city.west) for _ in range(7)]
    response = _as(branch_secretary).post(
        reverse("organizations:seat_fill", args=[city.west.pk]),
        {"member": west[0].pk, "role": "secretary", "since": "2024-03-01"},
    )
    assert response.status_code == 404
    assert not CommitteeSeat.objects.exists()


def test_a_committee_above_the_branches_has_no_committee_card(city: City, district_admin: User) -> None:
    page = _as(district_admin).get(reverse("organizations:detail", args=[city.district.pk])).content.decode()
    assert "Branch committee" not in page


def test_seats_are_registered_in_the_admin(city: City) -> None:
    assert CommitteeSeat in site._registry
    admin = User.objects.create_superuser(username="root", password=PASSWORD)
    response = _as(admin).get(reverse("admin:organizations_committeeseat_changelist"))
    assert response.status_code == 200

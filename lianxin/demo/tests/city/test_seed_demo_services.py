"""The demo city's service work: teams, menu, orders, sessions, the tour, appointments,
community reporting and wishes, each keeping the rules the services enforce.

The small city is built once for the package (conftest) inside a transaction rolled back at the end.
"""

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone

from lianxin.accounts.models import RoleAssignment, User
from lianxin.community.models import CommunityReport, PostClaim, ServicePost, ServiceRecord
from lianxin.core.crypto import lookup_hash
from lianxin.core.models import Event
from lianxin.demo.builder import demo_build
from lianxin.demo.tests.city.city import DemoCity
from lianxin.organizations.models import Area, Organization
from lianxin.volunteering.models import (
    AppointmentService,
    Booking,
    Order,
    ServiceItem,
    Session,
    SignUp,
    Team,
    Tour,
)
from lianxin.volunteering.models.orders import rating_days
from lianxin.volunteering.rules.hours import rounded_hours
from lianxin.volunteering.services.orders import order_close_unrated
from lianxin.wishes.models import Wish, WishClaim

pytestmark = pytest.mark.django_db

TEN_CATEGORIES = {
    "结对帮扶",
    "党课教育",
    "济困扶弱",
    "医疗卫生",
    "文体竞技",
    "生态环保",
    "治安维稳",
    "技术信息",
    "党员关爱",
    "公益志愿",
}


@pytest.fixture(scope="module")
def today(demo_city: DemoCity) -> date:
    """The small demo city, built once for the package; the fixture's value is the day it was built for."""
    return demo_city.today


def _last_states(model: type[models.Model]) -> dict[int, str]:
    """Each object's latest state on its timeline."""
    subject_type = ContentType.objects.get_for_model(model)
    states: dict[int, str] = {}
    for subject_id, to_state in (
        Event.objects.filter(subject_type=subject_type).exclude(to_state="").order_by("at", "id")
    ).values_list("subject_id", "to_state"):
        states[subject_id] = to_state
    return states


# ---------------------------------------------------------------- teams and the menu


def test_the_city_organs_corps_groups_ten_teams(today: date) -> None:
    corps = Team.objects.get(kind=Team.Kind.CORPS)
    assert corps.name == "舟山市直机关党员志愿服务总队"
    assert corps.organization.short_name == "市直机关工委"
    assert corps.teams.count() == 10
    assert Team.objects.filter(kind=Team.Kind.VANGUARD).exists()
    assert Team.objects.exclude(kind=Team.Kind.CORPS).values("organization").distinct().count() > 20


def test_the_leader_account_leads_a_team_and_holds_the_role_on_its_organization(today: date) -> None:
    leader = User.objects.get(username="leader")
    team = Team.objects.get(leader=leader)
    assert team.name == "海宇社区党员志愿服务队"
    assert RoleAssignment.objects.filter(
        user=leader, role=RoleAssignment.Role.TEAM_LEADER, organization=team.organization
    ).exists()
    assert team.memberships.filter(user__username="member", left_on__isnull=True).exists()


def test_every_team_has_a_leader_with_the_role_and_active_volunteers(today: date) -> None:
    for team in Team.objects.annotate(n=Count("memberships")).select_related("leader"):
        assert team.leader is not None, team
        assert team.n >= 3, team
        assert RoleAssignment.objects.filter(
            user=team.leader, role=RoleAssignment.Role.TEAM_LEADER, organization=team.organization_id
        ).exists(), team


def test_volunteer_accounts_belong_to_members_and_cannot_log_in_with_a_password(today: date) -> None:
    volunteers = User.objects.filter(username__startswith="zs").select_related("member")
    assert 300 <= volunteers.count() <= 500
    for user in volunteers:
        assert user.member is not None and user.display_name == user.member.name
        assert user.mobile == user.member.mobile and user.mobile_hash == lookup_hash(user.mobile)
        assert not user.has_usable_password()


def test_the_menu_has_items_in_all_ten_categories_and_the_named_sub_kinds(today: date) -> None:
    top = {
        (item.category.parent or item.category).name
        for item in ServiceItem.objects.select_related("category__parent").filter(is_active=True)
    }
    assert top == TEN_CATEGORIES
    sub_kinds = set(ServiceItem.objects.values_list("category__name", flat=True))
    assert {"义医义诊", "法律咨询", "惠农政策宣传", "防汛预警", "隐患排查", "爱心按摩"} <= sub_kinds
    for team in Team.objects.exclude(kind=Team.Kind.CORPS).prefetch_related("items", "categories"):
        offered = {c.pk for c in team.categories.all()}
        assert team.items.exists() and {i.category_id for i in team.items.all()} <= offered


# ---------------------------------------------------------------- orders


def test_orders_are_in_every_state_and_their_timeline_ends_in_that_state(today: date) -> None:
    orders = list(Order.objects.select_related("team", "item__team"))
    assert {o.status for o in orders} == set(Order.Status.values)
    last = _last_states(Order)
    for order in orders:
        assert last[order.pk] == order.status, order
        assert order.owner_id == order.item.team.organization_id
        if order.status in (Order.Status.ORDERED, Order.Status.CANCELLED):
            continue
        assert order.team is not None and order.dispatched_at is not None


def test_order_dates_and_stamps_run_in_order_and_never_into_the_future(today: date) -> None:
    now = timezone.now()
    for order in Order.objects.all():
        assert order.starts_on <= order.ends_on
        stamps = [order.created_at, order.dispatched_at, order.accepted_at, order.served_at, order.closed_at]
        present = [s for s in stamps if s is not None]
        assert present == sorted(present) and present[-1] <= now, order
        if order.status in Order.OPEN_STATUSES:
            assert order.starts_on > today


def test_served_orders_are_rated_or_closed_unrated_never_given_five_stars(today: date) -> None:
    window = timezone.now() - timedelta(days=rating_days())
    # The daily closing finds nothing overdue: served orders still wait inside their rating window.
    assert order_close_unrated() == 0
    for order in Order.objects.filter(status__in=Order.DONE_STATUSES):
        assert order.beneficiaries and order.served_at
        if order.status == Order.Status.RATED:
            assert order.rating is not None and 1 <= order.rating <= 5
        else:
            assert order.rating is None
        if order.status == Order.Status.SERVED:
            # Still inside the rating window, so the daily closing leaves it to the orderer.
            assert order.served_at > window
        if order.status == Order.Status.UNRATED:
            assert order.closed_at is not None and order.closed_at - order.served_at >= timedelta(days=rating_days())


def test_a_team_declined_an_order_and_another_waits_for_a_new_dispatch(today: date) -> None:
    declined = Event.objects.filter(subject_type=ContentType.objects.get_for_model(Order), verb="declined")
    assert declined.exists() and all(e.note and e.to_state == Order.Status.ORDERED for e in declined)
    waiting = Order.objects.filter(status=Order.Status.ORDERED).exclude(decline_reason="")
    assert waiting.exists() and all(o.team_id is None for o in waiting)


def test_the_leader_has_orders_to_accept_and_to_serve(today: date) -> None:
    statuses = set(Order.objects.filter(team__leader__username="leader").values_list("status", flat=True))
    assert {Order.Status.DISPATCHED, Order.Status.ACCEPTED, Order.Status.RATED} <= statuses


def test_the_resident_ordered_services_and_has_one_to_rate(today: date) -> None:
    mine = Order.objects.filter(ordered_by__username="resident", ordering_organization__isnull=True)
    assert mine.filter(status=Order.Status.SERVED).exists()
    assert mine.filter(status=Order.Status.RATED).exists()


# ---------------------------------------------------------------- sessions


def test_session_counters_equal_active_sign_ups_within_the_slots(today: date) -> None:
    sessions = Session.objects.annotate(active=Count("signups", filter=Q(signups__left_at__isnull=True)))
    assert sessions.count() > 100
    for session in sessions:
        assert session.signed_up_count == session.active <= session.slots, session
        assert session.starts_at < session.ends_at


def test_past_sessions_are_held_and_upcoming_ones_planned(demo_city: DemoCity) -> None:
    now = demo_city.now
    assert set(Session.objects.values_list("status", flat=True)) == set(Session.Status.values)
    for session in Session.objects.exclude(status=Session.Status.CANCELLED):
        assert (session.status == Session.Status.HELD) == (session.ends_at < now), session
        assert (session.beneficiaries is not None) == (session.status == Session.Status.HELD)
    assert not SignUp.objects.filter(session__status=Session.Status.CANCELLED).exists()


def test_hours_follow_the_rounding_rule_and_need_a_check_in(today: date) -> None:
    signups = SignUp.objects.select_related("session")
    assert signups.filter(hours__gt=0).count() > 500
    for signup in signups:
        session = signup.session
        assert (signup.starts_at, signup.ends_at) == (session.starts_at, session.ends_at)
        if signup.checked_in_at is None:
            assert signup.hours == 0 and signup.checked_out_at is None
            continue
        assert signup.checked_out_at is not None and signup.left_at is None
        assert session.starts_at - timedelta(hours=1) <= signup.checked_in_at <= session.ends_at
        worked = signup.checked_out_at - signup.checked_in_at
        assert signup.hours == rounded_hours(worked, cap=session.ends_at - session.starts_at)
        assert signup.hours % Decimal("0.5") == 0


def test_nobody_is_signed_up_for_two_overlapping_sessions(today: date) -> None:
    by_user: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for user_id, starts, ends in SignUp.objects.filter(left_at__isnull=True).values_list(
        "user_id", "starts_at", "ends_at"
    ):
        by_user[user_id].append((starts, ends))
    for spans in by_user.values():
        spans.sort()
        for (_s1, e1), (s2, _e2) in pairwise(spans):
            assert e1 <= s2


def test_the_member_account_has_past_hours_and_an_upcoming_sign_up(today: date) -> None:
    member = User.objects.get(username="member")
    mine = SignUp.objects.filter(user=member, left_at__isnull=True)
    assert mine.filter(session__status=Session.Status.HELD, hours__gt=0).count() >= 2
    assert mine.filter(session__status=Session.Status.PLANNED, starts_at__gt=timezone.now()).exists()


def test_served_and_accepted_orders_have_their_session(today: date) -> None:
    for order in Order.objects.filter(status__in=[Order.Status.ACCEPTED, *Order.DONE_STATUSES]):
        session = order.sessions.get()
        assert session.team_id == order.team_id
        if order.status != Order.Status.ACCEPTED:
            assert session.status == Session.Status.HELD and session.beneficiaries == order.beneficiaries


# ---------------------------------------------------------------- touring and appointments


def test_the_red_july_tour_calls_at_fifteen_places_with_ten_kinds_of_service(today: date) -> None:
    tour = Tour.objects.get()
    assert tour.title == "红七月·服务月 巡回服务" and tour.is_published
    assert (tour.starts_on, tour.ends_on) == (date(today.year, 6, 27), date(today.year, 7, 16))
    stops = list(tour.stops.prefetch_related("teams", "items__category__parent").select_related("area"))
    assert len(stops) == 15 and len({s.area_id for s in stops}) == 15
    assert stops[0].date == tour.starts_on and stops[-1].date == tour.ends_on
    assert all(tour.starts_on <= s.date <= tour.ends_on for s in stops)
    assert sum(s.area.kind == Area.Kind.TOWN for s in stops) >= 12
    kinds = {(i.category.parent or i.category).name for s in stops for i in s.items.all()}
    assert kinds == TEN_CATEGORIES
    assert all(s.teams.count() == 3 for s in stops)
    assert all((s.beneficiaries is not None) == (s.date < today) for s in stops)


def test_the_tidal_service_serves_islands_with_slots_some_booked(today: date) -> None:
    tidal = AppointmentService.objects.get(title__startswith="潮汐式服务")
    assert tidal.is_published and {a.kind for a in tidal.areas.all()} == {Area.Kind.ISLAND}
    slots = tidal.slots.all()
    assert slots.filter(is_booked=True).exists() and slots.filter(is_booked=False).exists()
    assert Booking.objects.filter(slot__service=tidal, booked_by__username="resident", status="booked").exists()
    assert AppointmentService.objects.filter(title__contains="走访企业").exists()


def test_a_slot_is_booked_exactly_when_it_has_one_live_booking(today: date) -> None:
    now = timezone.now()
    for service in AppointmentService.objects.all():
        slots = service.slots.annotate(live=Count("bookings", filter=~Q(bookings__status="cancelled")))
        for slot in slots:
            assert slot.live == (1 if slot.is_booked else 0), slot
    for booking in Booking.objects.select_related("slot"):
        assert booking.contact_name and booking.contact_phone
        if booking.status == Booking.Status.DONE:
            assert booking.slot.ends_at < now
        if booking.status == Booking.Status.BOOKED:
            assert booking.slot.starts_at > now
    assert Booking.objects.filter(status=Booking.Status.CANCELLED).exists()
    assert _last_states(Booking) == dict(Booking.objects.values_list("pk", "status"))


# ---------------------------------------------------------------- community


def test_in_service_members_reported_to_the_community_they_live_in(today: date) -> None:
    reports = CommunityReport.objects.select_related("member", "community")
    statuses = {r.status for r in reports}
    assert {CommunityReport.Status.APPROVED, CommunityReport.Status.PENDING} <= statuses
    assert reports.filter(status=CommunityReport.Status.APPROVED).count() > 100
    for report in reports:
        assert report.community.sector in (Organization.Sector.COMMUNITY, Organization.Sector.VILLAGE)
        assert report.community.area_id == report.member.community_id
        assert report.home_organization_id == report.member.organization_id
        assert report.reported_on <= today
        if report.decided_at is not None:
            assert report.decided_at.date() >= report.reported_on
    active = reports.filter(status__in=CommunityReport.ACTIVE_STATUSES)
    assert active.values("member").distinct().count() == active.count()
    assert _last_states(CommunityReport) == dict(CommunityReport.objects.values_list("pk", "status"))


def test_posts_are_claimed_within_capacity_by_members_reported_there(today: date) -> None:
    assert len(set(ServicePost.objects.values_list("category", flat=True))) >= 5
    posts = ServicePost.objects.annotate(active=Count("claims", filter=Q(claims__withdrawn_at__isnull=True)))
    for post in posts:
        assert post.active <= post.capacity
    approved = set(
        CommunityReport.objects.filter(status=CommunityReport.Status.APPROVED).values_list("member", "community")
    )
    for claim in PostClaim.objects.select_related("post"):
        assert (claim.member_id, claim.post.community_id) in approved
    assert PostClaim.objects.filter(withdrawn_at__isnull=False).exists()


def test_service_records_hold_hours_this_quarter_and_last(today: date) -> None:
    quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    records = ServiceRecord.objects.select_related("claim")
    if quarter < today:
        assert records.filter(served_on__gte=quarter).exists()
    assert records.filter(served_on__lt=quarter, served_on__gte=quarter - timedelta(days=92)).exists()
    for record in records:
        assert record.claim is not None and record.claim.withdrawn_at is None
        assert record.claim.claimed_at.date() < record.served_on < today
        assert Decimal("0") < record.hours <= 24 and record.hours % Decimal("0.5") == 0
        assert record.community_id == record.claim.post.community_id and record.description


# ---------------------------------------------------------------- wishes


def test_wishes_and_warm_heart_tasks_are_in_every_state(today: date) -> None:
    wishes = set(Wish.objects.filter(kind=Wish.Kind.WISH).values_list("status", flat=True))
    assert wishes == set(Wish.Status.values)
    tasks = set(Wish.objects.filter(kind=Wish.Kind.WARM_TASK).values_list("status", flat=True))
    assert tasks >= set(Wish.Status.values) - {Wish.Status.REJECTED}
    assert _last_states(Wish) == dict(Wish.objects.values_list("pk", "status"))


def test_claimed_counts_equal_active_claims_and_nobody_claims_their_own_wish(today: date) -> None:
    wishes = Wish.objects.annotate(active=Count("claims", filter=Q(claims__withdrawn_at__isnull=True)))
    for wish in wishes:
        assert wish.claimed_count == wish.active <= wish.capacity, wish
        if wish.status in Wish.CLAIMED_STATUSES:
            assert wish.claimed_count == wish.capacity
        elif wish.status == Wish.Status.PUBLISHED:
            assert wish.claimed_count < wish.capacity
        else:
            assert wish.claimed_count == 0
        assert wish.amount is None or 0 <= wish.amount <= 500
    assert not WishClaim.objects.filter(claimer=models.F("wish__posted_by")).exists()
    assert WishClaim.objects.filter(withdrawn_at__isnull=False).exists()


def test_the_resident_posted_wishes_and_the_member_claimed_one_to_fulfil(today: date) -> None:
    posted = set(Wish.objects.filter(posted_by__username="resident").values_list("status", flat=True))
    places = set(Wish.objects.filter(posted_by__username="resident").values_list("organization__short_name", flat=True))
    assert places == {"怡岛社区党支部"}
    assert {Wish.Status.SUBMITTED, Wish.Status.PUBLISHED, Wish.Status.CLAIMED, Wish.Status.CONFIRMED} <= posted
    member = User.objects.get(username="member")
    assert WishClaim.objects.filter(claimer=member, withdrawn_at__isnull=True, wish__status="claimed").exists()


# ---------------------------------------------------------------- the timeline


def test_no_timeline_event_lies_in_the_future(today: date) -> None:
    assert not Event.objects.filter(at__gt=timezone.now()).exists()
    assert Event.objects.filter(subject_type=ContentType.objects.get_for_model(Session), verb="checked_out").exists()


def test_an_unknown_scale_is_refused_and_writes_nothing(today: date) -> None:
    before = (Team.objects.count(), Order.objects.count(), Wish.objects.count(), User.objects.count())
    with pytest.raises(ValueError, match="unknown scale 'huge'"):
        demo_build(scale="huge", today=today)
    assert (Team.objects.count(), Order.objects.count(), Wish.objects.count(), User.objects.count()) == before

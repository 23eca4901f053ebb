"""Residents' demands in the demo city: every source and state, each keeping the rules the
demand services enforce, with the timeline they would have written.

The small city is built once for the package (conftest) inside a transaction rolled back at the end.
"""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from lianxin.accounts.models import User
from lianxin.core.models import Event
from lianxin.core.workdays import add_working_days
from lianxin.demands.models import Demand, FollowUp, HotSpot, PublicNotice, ResearchTopic
from lianxin.demands.selectors.handling import demand_to_handle
from lianxin.demands.selectors.mine import demand_list_own
from lianxin.demands.selectors.stats import demand_stats
from lianxin.demands.services.board import looks_personal
from lianxin.demands.services.mine import demand_claim
from lianxin.demo.tests.city.city import DemoCity
from lianxin.organizations.models import Organization
from lianxin.residents.models import COMMUNITY_KINDS, Resident

pytestmark = pytest.mark.django_db
S = Demand.Status


@pytest.fixture(scope="module")
def today(demo_city: DemoCity) -> date:
    """The small demo city, built once for the package; the fixture's value is the day it was built for."""
    return demo_city.today


def _timelines() -> dict[int, list[Event]]:
    events: dict[int, list[Event]] = {}
    subject_type = ContentType.objects.get_for_model(Demand)
    for event in Event.objects.filter(subject_type=subject_type).order_by("at", "id"):
        events.setdefault(event.subject_id, []).append(event)
    return events


def test_demands_come_from_every_source_and_stand_in_every_state(today: date) -> None:
    sources = set(Demand.objects.values_list("source", flat=True))
    statuses = set(Demand.objects.values_list("status", flat=True))
    assert {"visit", "research", "face_to_face", "hotline", "public"} <= sources
    assert statuses == set(S.values)
    assert Demand.objects.count() >= 300


def test_demands_link_back_to_the_record_they_came_from(today: date) -> None:
    for source in ("visit", "research", "face_to_face"):
        demands = Demand.objects.filter(source=source)
        assert demands.exists()
        assert not demands.filter(source_id__isnull=True).exists()
        for demand in demands[:5]:
            assert demand.source_type is not None
            assert demand.source_type.get_object_for_this_type(pk=demand.source_id) is not None
    hotline = Demand.objects.filter(source="hotline")
    assert not hotline.filter(hotline_number="").exists()
    assert all(number.startswith("ZS12345-") for number in hotline.values_list("hotline_number", flat=True))


def test_research_topics_include_key_topics(today: date) -> None:
    assert ResearchTopic.objects.filter(is_key=True).exists()
    assert ResearchTopic.objects.filter(is_key=False).exists()


def test_each_demands_timeline_ends_in_its_status_and_its_times_are_in_order(today: date) -> None:
    timelines = _timelines()
    now = timezone.now()
    for demand in Demand.objects.all():
        events = timelines[demand.pk]
        assert events[0].verb == "collected"
        assert events[-1].at <= now
        states = [e.to_state for e in events if e.to_state]
        assert states[-1] == demand.status, demand.pk
        moments = [t for t in (demand.created_at, demand.accepted_at, demand.assigned_at) if t]
        assert moments == sorted(moments)
        for later in (demand.resolved_at, demand.closed_at):
            assert later is None or moments[-1] <= later <= now


def test_handled_demands_have_a_unit_and_a_deadline_in_working_days(today: date) -> None:
    handled = Demand.objects.filter(status__in=(S.ASSIGNED, S.RESOLVED, S.CLOSED, S.UNRESOLVABLE))
    assert handled.exists()
    for demand in handled.select_related("category"):
        assert demand.responsible_unit_id is not None and demand.deadline is not None
        if demand.rework_count == 0:
            assigned_on = timezone.localdate(demand.assigned_at)
            assert demand.deadline == add_working_days(assigned_on, demand.category.deadline_days)


def test_overdue_demands_are_escalated_to_the_units_parent(today: date) -> None:
    # The nightly escalation runs in the small hours: a deadline of yesterday may not be escalated yet.
    overdue = Demand.objects.filter(status=S.ASSIGNED, deadline__lt=today - timedelta(days=1))
    assert overdue.exists()
    assert not overdue.filter(escalated_at__isnull=True).exists()
    for demand in Demand.objects.filter(escalated_at__isnull=False).select_related("responsible_unit"):
        assert demand.responsible_unit is not None
        assert demand.escalated_to == Organization.objects.get_parent(demand.responsible_unit)
        assert demand.escalated_at is not None and demand.deadline is not None
        assert timezone.localdate(demand.escalated_at) > demand.deadline


def test_follow_ups_close_demands_once_per_round_and_unsatisfied_ones_sent_them_back(today: date) -> None:
    for demand in Demand.objects.filter(status=S.CLOSED):
        rounds = list(FollowUp.objects.filter(demand=demand).order_by("round"))
        assert [f.round for f in rounds] == list(range(1, demand.rework_count + 2))
        assert rounds[-1].result == demand.satisfaction != Demand.Satisfaction.UNSATISFIED
        assert all(f.result == Demand.Satisfaction.UNSATISFIED for f in rounds[:-1])
    assert Demand.objects.filter(rework_count__gt=0).exists()
    waiting = Demand.objects.filter(status=S.RESOLVED)
    for demand in waiting:
        assert not FollowUp.objects.filter(demand=demand, round=demand.rework_count + 1).exists()


def test_turned_away_demands_give_a_reason_and_duplicates_name_an_original_of_the_same_place(today: date) -> None:
    for demand in Demand.objects.filter(status__in=Demand.LEFT_OUT_STATUSES):
        assert demand.reason
    duplicates = Demand.objects.filter(status=S.DUPLICATE).select_related("duplicate_of")
    assert duplicates.exists()
    for demand in duplicates:
        assert demand.duplicate_of is not None and demand.duplicate_of.area_id == demand.area_id


def test_square_dance_complaints_form_a_hot_spot(today: date) -> None:
    spot = HotSpot.objects.get()
    demands = spot.demands.all()
    assert demands.count() >= 5
    assert all("广场舞" in d.title for d in demands)
    assert {d.area_id for d in demands} == {spot.area_id}


def test_public_summaries_are_reviewed_and_free_of_personal_data(today: date) -> None:
    reviewed = Demand.objects.exclude(public_summary="")
    assert reviewed.count() > 50
    for demand in reviewed:
        assert demand.status in Demand.RESOLVED_STATUSES
        assert demand.summary_reviewed_by is not None and demand.summary_reviewed_at is not None
        assert looks_personal(demand.public_summary, demand.submitter_name) == ""


def test_last_months_notice_is_published_with_its_figures_and_items(today: date) -> None:
    notice = PublicNotice.objects.get()
    assert notice.status == PublicNotice.Status.PUBLISHED
    assert notice.ends_on < today.replace(day=1)
    assert notice.figures["items"]
    assert notice.demands.exists()


def test_the_resident_submitted_two_demands_one_resolved_and_waiting_for_their_answer(today: date) -> None:
    resident = User.objects.get(username="resident")
    theirs = Demand.objects.filter(submitted_by=resident, source="public")
    assert theirs.count() == 2
    assert set(theirs.values_list("status", flat=True)) == {S.RESOLVED, S.ASSIGNED}
    assert all(d.submitter_phone == resident.mobile for d in theirs)


def test_the_resident_has_a_profile_their_own_demands_and_one_to_claim(today: date) -> None:
    resident = User.objects.get(username="resident")
    profile = Resident.objects.get(user=resident)
    assert profile.community.name == "怡岛社区" and profile.community.kind in COMMUNITY_KINDS
    assert demand_list_own(user=resident).count() == 2
    unclaimed = Demand.objects.filter(resident__isnull=True, submitter_phone_hash=resident.mobile_hash)
    assert unclaimed.count() == 1
    demand = unclaimed.get()
    assert demand_claim(actor=resident, code=demand.lookup_code, phone_last4=resident.mobile[-4:]) == demand
    assert demand_list_own(user=resident).count() == 3


def test_the_handler_has_demands_to_handle_one_of_them_overdue(today: date) -> None:
    handler = User.objects.get(username="handler")
    inbox = list(demand_to_handle(user=handler))
    assert len(inbox) >= 2
    assert inbox[0].deadline is not None and inbox[0].deadline < today
    assert Demand.objects.filter(status__in=Demand.RESOLVED_STATUSES, responsible_unit=inbox[0].responsible_unit)


def test_the_citys_resolution_rate_counts_resolved_over_collected_less_turned_away(today: date) -> None:
    city = Organization.objects.get_root_nodes().get()
    stats = demand_stats(organization=city, start=today.replace(year=today.year - 2), end=today)
    everything = Demand.objects.all()
    resolved = everything.filter(status__in=Demand.RESOLVED_STATUSES).count()
    counted = everything.exclude(status__in=Demand.LEFT_OUT_STATUSES).count()
    assert stats.resolved == resolved
    assert 0.75 < resolved / counted < 1

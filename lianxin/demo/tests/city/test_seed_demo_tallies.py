"""The demo city ends with its tallies built, equal to counting its rows."""

from collections import Counter
from datetime import date

import pytest
from django.db.models import Count

from lianxin.activities.selectors.coverage import held_activities, present_attendance
from lianxin.activities.selectors.tallies import KindTally, held_by_kind_tallied
from lianxin.core.periods import Period
from lianxin.core.tallies import tallied_at
from lianxin.demands.models import Demand
from lianxin.demands.selectors.tallies import demand_states_tallied
from lianxin.demo.tests.city.city import DemoCity
from lianxin.members.models import Member
from lianxin.organizations.models import Organization
from lianxin.organizations.selectors import PARTY_MEMBER_CATEGORIES, member_counts

pytestmark = pytest.mark.django_db

EVER = Period(date(1990, 1, 1), date(2100, 12, 31))


def test_the_demo_ends_with_every_tally_refreshed(demo_city: DemoCity) -> None:
    times = [tallied_at(name) for name in ("members", "activities", "demands")]
    assert demo_city.built_at is not None
    # on the present's clock, not the demo's clock set back
    assert all(at is not None and at >= demo_city.built_at for at in times)


def test_the_trees_member_counts_equal_counting_the_roster(demo_city: DemoCity) -> None:
    root = Organization.objects.get(depth=1)
    nodes = [root, *Organization.objects.get_children(root)]
    counts = member_counts(nodes=nodes)
    for node in nodes:
        party = Member.objects.filter(category__in=PARTY_MEMBER_CATEGORIES)
        subtree = party.filter(organization__path__startswith=node.path).count()
        assert (counts[node.pk].direct, counts[node.pk].subtree) == (party.filter(organization=node).count(), subtree)
    assert counts[root.pk].subtree > 0


def test_activity_and_demand_tallies_equal_counting_their_rows(demo_city: DemoCity) -> None:
    root = Organization.objects.get(depth=1)
    held = Counter(held_activities(root, EVER).values_list("kind", flat=True))
    present = Counter(present_attendance(root, EVER).values_list("kind", flat=True))
    expected = {kind: KindTally(held=held[kind], present=present[kind]) for kind in held | present}
    assert held_by_kind_tallied(root, EVER.start, EVER.end) == expected
    assert held and present
    states = dict(Demand.objects.values_list("status").annotate(n=Count("id")).order_by())
    assert demand_states_tallied(root, EVER) == states

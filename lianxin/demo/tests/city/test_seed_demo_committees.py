"""The demo city records the branch committees its members' posts describe.

The small city is built once for the package (conftest) inside a transaction rolled back at the end.
"""

from collections import Counter
from datetime import date

import pytest
from django.db.models import Count, Q

from lianxin.core.models import Event
from lianxin.demo.tests.city.city import DemoCity
from lianxin.members.models import Member
from lianxin.organizations.models import CommitteeSeat, Organization

pytestmark = pytest.mark.django_db

POST_WORD = {
    "secretary": "书记",
    "organization": "组织委员",
    "propaganda": "宣传委员",
    "discipline": "纪检委员",
    "deputy_secretary": "副书记",
}


@pytest.fixture(scope="module")
def today(demo_city: DemoCity) -> date:
    """The small demo city, built once for the package; the fixture's value is the day it was built for."""
    return demo_city.today


def test_every_branch_of_seven_full_members_has_a_committee_of_three_to_five(today: date) -> None:
    branches = Organization.objects.filter(kind__in=Organization.BRANCH_KINDS).annotate(
        full=Count("members", filter=Q(members__category=Member.Category.FULL))
    )
    large = {o.pk for o in branches if o.full >= 7}
    small = {o.pk for o in branches if o.full < 7}
    assert large and small
    sizes = Counter(CommitteeSeat.objects.filter(until__isnull=True).values_list("organization_id", flat=True))
    assert set(sizes) == large
    assert set(sizes.values()) <= {3, 4, 5}


def test_each_seat_is_held_by_a_full_member_of_the_branch_whose_post_names_it(today: date) -> None:
    seats = CommitteeSeat.objects.select_related("member", "organization")
    assert seats.exists()
    for seat in seats:
        assert seat.member.organization_id == seat.organization_id
        assert seat.member.category == Member.Category.FULL
        assert seat.member.post.endswith(POST_WORD[seat.role])
        assert seat.since <= today
    secretaries = seats.filter(role="secretary")
    assert all(s.organization.secretary_id == s.member_id for s in secretaries)
    assert Counter(secretaries.values_list("organization_id", flat=True)).most_common(1)[0][1] == 1


def test_the_timeline_of_each_branch_shows_its_seats_filled(today: date) -> None:
    assert Event.objects.filter(verb="committee_seated").count() == CommitteeSeat.objects.count()

"""A wish's timeline reads the wish's own words: its verbs, and its states as the badge names them."""

import pytest
from django.utils import translation

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.selectors import event_list_for
from lianxin.core.templatetags.lianxin import from_label, to_label, verb_label
from lianxin.wishes.models import Wish, WishVerb
from lianxin.wishes.tests.factories import make_wish

pytestmark = pytest.mark.django_db


def test_a_wish_declares_every_verb_its_services_write() -> None:
    assert Wish.timeline_verbs is WishVerb
    assert set(WishVerb.values) >= {"posted", "reviewed", "rejected", "claimed", "joined", "withdrawn"}
    assert set(WishVerb.values) >= {"fulfilled", "confirmed"}


def test_a_wish_timeline_shows_the_wish_states_not_a_demands(
    city: City, resident: User, branch_secretary: User
) -> None:
    wish = make_wish(city.east, posted_by=resident, reviewer=branch_secretary)
    posted, reviewed = sorted(event_list_for(wish), key=lambda e: e.pk)
    with translation.override("zh-hans"):
        assert verb_label(posted) == str(WishVerb.POSTED.label)
        assert to_label(posted) == str(Wish.Status.SUBMITTED.label)
        assert (from_label(reviewed), to_label(reviewed)) == (
            str(Wish.Status.SUBMITTED.label),
            str(Wish.Status.PUBLISHED.label),
        )
        assert to_label(posted) != "待受理"

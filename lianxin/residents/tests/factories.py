"""Residents for tests: a community to live in, a profile, and the code a text message carried."""

import re

from lianxin.accounts.models import User
from lianxin.accounts.services import user_create
from lianxin.core import sms
from lianxin.core.crypto import lookup_hash
from lianxin.organizations.models import Area
from lianxin.organizations.tests.factories import make_area
from lianxin.residents.models import Resident
from lianxin.residents.services import resident_profile_create

PASSWORD = "sea-breeze-lantern-42"


def make_community(city_area: Area, *, name: str = "幸福社区", street: str = "城东街道") -> Area:
    district = make_area(name="城区", kind=Area.Kind.DISTRICT, parent=city_area)
    town = make_area(name=street, kind=Area.Kind.TOWN, parent=district)
    return make_area(name=name, kind=Area.Kind.COMMUNITY, parent=town)


def make_resident(community: Area, *, mobile: str = "13912345678", name: str = "张桂兰") -> Resident:
    user = user_create(username=f"r{mobile}", password=PASSWORD, display_name=name, mobile=mobile)
    return resident_profile_create(user=user, community=community, actor=None)


def code_sent_to(mobile: str) -> str:
    """The code in the latest text message to `mobile` (the tests' SMS backend keeps them)."""
    texts = [m.text for m in sms.outbox if m.mobile == mobile]
    assert texts, f"no text message to {mobile}"
    found = re.search(r"(?<!\d)(\d{6})(?!\d)", texts[-1])  # \b fails beside Chinese letters
    assert found is not None
    return found.group(1)


def user_by_mobile(mobile: str) -> User | None:
    found: User | None = User.objects.filter(mobile_hash=lookup_hash(mobile)).first()
    return found

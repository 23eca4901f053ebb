"""The public submission and lookup limits: per visitor behind the proxy, apart from logins, and exact
when many requests arrive at the same moment, on PostgreSQL and SQLite."""

import threading
from functools import partial
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from conftest import City
from lianxin.core.models import Throttle
from lianxin.core.testing import all_at_once
from lianxin.demands.categories import default_demand_categories_seed
from lianxin.demands.models import Demand, DemandCategory
from lianxin.demands.services.public import demand_lookup, demand_submit_public
from lianxin.organizations.models import Area
from lianxin.organizations.tests.factories import make_area, make_organization

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"
TOO_MANY_SUBMISSIONS = "Many demands have been sent from your network"
TOO_MANY_LOOKUPS = "Too many attempts"
NO_MATCH = "No demand matches this code"


@pytest.fixture
def community(city: City) -> Area:
    area = make_area(name="幸福社区", kind=Area.Kind.COMMUNITY, parent=city.district.area)
    make_organization(name="幸福社区党支部", parent=city.district, area=area, code="D1H")
    return area


def _visitor(address: str) -> Client:
    """A resident whose request reaches the app through the proxy, which names their address."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address, HTTP_ACCEPT_LANGUAGE="en")


def _form(community: Area) -> dict[str, Any]:
    return {
        "category": DemandCategory.objects.get(code="noise").pk,
        "area": community.code,
        "address": "幸福小区中心广场",
        "title": "广场舞噪音扰民",
        "description": "每天晚上九点后还在放音乐。",
        "submitter_name": "张桂兰",
        "submitter_phone": "13912345678",
        "website": "",
    }


def _submit(community: Area, ip: str, **overrides: Any) -> Demand:
    values: dict[str, Any] = {
        "actor": None,
        "category": "noise",
        "area": community,
        "address": "幸福小区中心广场",
        "title": "广场舞噪音扰民",
        "description": "每天晚上九点后还在放音乐。",
        "submitter_name": "张桂兰",
        "submitter_phone": "139 1234 5678",
        "ip_address": ip,
        **overrides,
    }
    return demand_submit_public(**values)


# ---------------------------------------------------------------- one proxy, many residents


@override_settings(LIANXIN_TRUSTED_PROXIES=[PROXY], DEMAND_PUBLIC_SUBMISSIONS_PER_HOUR=2)
def test_behind_the_proxy_each_resident_has_their_own_submission_limit(community: Area) -> None:
    busy, other = _visitor("203.0.113.66"), _visitor("198.51.100.20")
    for _ in range(settings.DEMAND_PUBLIC_SUBMISSIONS_PER_HOUR):
        busy.post(reverse("demands:submit"), _form(community))

    refused = busy.post(reverse("demands:submit"), _form(community))
    assert TOO_MANY_SUBMISSIONS in refused.content.decode()
    assert Demand.objects.count() == settings.DEMAND_PUBLIC_SUBMISSIONS_PER_HOUR

    accepted = other.post(reverse("demands:submit"), _form(community))
    assert accepted.status_code == 302
    assert Demand.objects.count() == settings.DEMAND_PUBLIC_SUBMISSIONS_PER_HOUR + 1


@override_settings(DEMAND_PUBLIC_SUBMISSIONS_PER_HOUR=1)
def test_a_submission_refused_for_its_content_uses_none_of_the_limit(community: Area) -> None:
    with pytest.raises(ValidationError, match="Leave a mobile number"):
        _submit(community, "203.0.113.66", submitter_phone="")
    assert not Demand.objects.exists()

    assert _submit(community, "203.0.113.66").pk


@override_settings(LIANXIN_TRUSTED_PROXIES=[PROXY], DEMAND_LOOKUP_ADDRESS_FAILURE_LIMIT=3)
def test_behind_the_proxy_each_resident_has_their_own_lookup_tries(community: Area) -> None:
    demand = _submit(community, "192.0.2.1")
    guesser, owner = _visitor("203.0.113.66"), _visitor("198.51.100.20")
    for n in range(settings.DEMAND_LOOKUP_ADDRESS_FAILURE_LIMIT):
        guesser.post(reverse("demands:lookup"), {"code": f"ZZZZZZZ{n + 2}", "digits": "0000"})

    refused = guesser.post(reverse("demands:lookup"), {"code": demand.lookup_code, "digits": "5678"})
    found = owner.post(reverse("demands:lookup"), {"code": demand.lookup_code, "digits": "5678"}, follow=True)

    assert TOO_MANY_LOOKUPS in refused.content.decode() and demand.title not in refused.content.decode()
    assert demand.title in found.content.decode()


@override_settings(DEMAND_LOOKUP_FAILURE_LIMIT=2)
def test_wrong_guesses_on_one_code_lock_that_code_from_every_address(community: Area) -> None:
    demand = _submit(community, "192.0.2.1")
    for n in range(settings.DEMAND_LOOKUP_FAILURE_LIMIT):
        Client(REMOTE_ADDR=f"203.0.113.{n + 1}").post(
            reverse("demands:lookup"), {"code": demand.lookup_code, "digits": "0000"}
        )

    refused = Client(REMOTE_ADDR="198.51.100.20", HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("demands:lookup"), {"code": demand.lookup_code, "digits": "5678"}
    )

    assert TOO_MANY_LOOKUPS in refused.content.decode() and demand.title not in refused.content.decode()


def test_failed_logins_do_not_count_toward_lookups(community: Area) -> None:
    demand = _submit(community, "192.0.2.1")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for n in range(4 * settings.LOGIN_FAILURE_LIMIT + 1):
        client.post(reverse("accounts:login"), {"username": f"someone{n}", "password": "wrong"})

    found = client.post(reverse("demands:lookup"), {"code": demand.lookup_code, "digits": "5678"}, follow=True)

    assert demand.title in found.content.decode()


def test_a_found_demand_uses_none_of_the_codes_tries(community: Area) -> None:
    demand = _submit(community, "192.0.2.1")
    for _ in range(settings.DEMAND_LOOKUP_FAILURE_LIMIT + 1):
        assert demand_lookup(code=demand.lookup_code, phone_last4="5678", ip_address="203.0.113.66") == demand

    assert demand_lookup(code=demand.lookup_code, phone_last4="0000", ip_address="203.0.113.66") is None


def test_the_lookup_refusal_reads_in_chinese(community: Area) -> None:
    demand = _submit(community, "192.0.2.1")
    for _ in range(settings.DEMAND_LOOKUP_FAILURE_LIMIT):
        demand_lookup(code=demand.lookup_code, phone_last4="0000", ip_address="203.0.113.66")
    counts = list(Throttle.objects.order_by("pk").values())

    page = Client().post(reverse("demands:lookup"), {"code": demand.lookup_code, "digits": "5678"}).content.decode()

    assert "尝试次数过多" in page and demand.title not in page
    assert list(Throttle.objects.order_by("pk").values()) == counts  # the refusal wrote nothing


# ---------------------------------------------------------------- at the same moment


@pytest.fixture
def categories() -> None:
    """A transactional test flushes what the migrations seeded; the categories come back here."""
    default_demand_categories_seed(DemandCategory)


def _submit_at_once(area_pk: int, address: str, barrier: threading.Barrier) -> None:
    area = Area.objects.get(pk=area_pk)
    barrier.wait()
    _submit(area, address)


@pytest.mark.django_db(transaction=True)
@override_settings(DEMAND_PUBLIC_SUBMISSIONS_PER_HOUR=10)
def test_simultaneous_submissions_from_one_address_let_exactly_the_limit_through(
    categories: None, community: Area
) -> None:
    limit = settings.DEMAND_PUBLIC_SUBMISSIONS_PER_HOUR
    tries = 3 * limit

    wins, refusals = all_at_once([partial(_submit_at_once, community.pk, "203.0.113.66")] * tries)

    assert wins == limit and Demand.objects.count() == limit
    assert len(refusals) == tries - limit and all(TOO_MANY_SUBMISSIONS in m for m in refusals)


def _guess(code: str, address: str, barrier: threading.Barrier) -> None:
    barrier.wait()
    assert demand_lookup(code=code, phone_last4="0000", ip_address=address) is None


@pytest.mark.django_db(transaction=True)
def test_simultaneous_wrong_guesses_on_one_code_get_exactly_the_allowed_tries(
    categories: None, community: Area
) -> None:
    demand = _submit(community, "192.0.2.1")
    limit = settings.DEMAND_LOOKUP_FAILURE_LIMIT
    tries = 3 * limit

    wins, refusals = all_at_once([partial(_guess, demand.lookup_code, f"203.0.113.{n + 1}") for n in range(tries)])

    assert wins == limit
    assert len(refusals) == tries - limit and all(TOO_MANY_LOOKUPS in m for m in refusals)


def _guess_from(address: str, n: int, barrier: threading.Barrier) -> None:
    barrier.wait()
    assert demand_lookup(code=f"ZZZZZZ{n:02d}", phone_last4="0000", ip_address=address) is None


@pytest.mark.django_db(transaction=True)
@override_settings(DEMAND_LOOKUP_ADDRESS_FAILURE_LIMIT=5)
def test_simultaneous_guesses_from_one_address_get_exactly_its_allowed_tries(db: None) -> None:
    limit = settings.DEMAND_LOOKUP_ADDRESS_FAILURE_LIMIT
    tries = 3 * limit

    wins, refusals = all_at_once([partial(_guess_from, "203.0.113.66", n) for n in range(tries)])

    assert wins == limit and len(refusals) == tries - limit

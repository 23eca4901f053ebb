"""A resident's own demands: those sent signed in, and one sent without an account added by its code."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.models import AuditEntry, Event
from lianxin.demands.models import Demand, DemandVerb, FollowUp
from lianxin.demands.services.handling import demand_accept, demand_assign, demand_resolve
from lianxin.demands.services.mine import demand_claim
from lianxin.demands.services.public import demand_submit_public
from lianxin.demands.tests.factories import category

Status = Demand.Status


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def _submit(
    city: City, actor: User | AnonymousUser, *, title: str = "楼道灯坏了", phone: str = "13912345678"
) -> Demand:
    category()
    return demand_submit_public(
        actor=actor,
        category="facilities",
        area=city.east.area,
        address="",
        title=title,
        description="三单元楼道灯不亮一周了。",
        submitter_name="张桂兰",
        submitter_phone=phone,
        ip_address=None,
    )


def _resolved(demand: Demand, by: User) -> Demand:
    demand_accept(demand=demand, actor=by)
    demand_assign(demand=demand, actor=by, unit=demand.organization)
    return demand_resolve(demand=demand, actor=by, resolution="更换了灯泡")


def _nothing_claimed(demand: Demand) -> None:
    demand.refresh_from_db()
    assert demand.resident_id is None
    assert not Event.objects.filter(verb=DemandVerb.CLAIMED).exists()
    assert not AuditEntry.objects.filter(action="demand_claimed").exists()


# ---------------------------------------------------------------- tied to the account


def test_a_demand_sent_signed_in_is_the_residents_own_and_one_sent_anonymously_is_nobodys(
    city: City, resident: User
) -> None:
    assert _submit(city, resident).resident == resident
    assert _submit(city, AnonymousUser()).resident is None


def test_my_demands_lists_my_own_newest_first_and_nobody_elses(
    client: Client, city: City, resident: User, member_user: User
) -> None:
    first, second = _submit(city, resident, title="第一件"), _submit(city, resident, title="第二件")
    other = _submit(city, member_user, title="别人的")
    client.force_login(resident)
    page = client.get(reverse("demands:mine")).content.decode()
    assert page.index("第二件") < page.index("第一件") and "别人的" not in page
    assert reverse("demands:mine_detail", args=[first.pk]) in page and second.get_status_display() in page
    assert client.get(reverse("demands:mine_detail", args=[other.pk])).status_code == 404


def test_my_demands_asks_an_anonymous_visitor_to_log_in(client: Client) -> None:
    assert client.get(reverse("demands:mine")).status_code == 302


def test_a_resident_answers_the_follow_up_in_place_without_the_code(
    client: Client, city: City, resident: User, city_admin: User
) -> None:
    demand = _resolved(_submit(city, resident), city_admin)
    client.force_login(resident)
    page = client.get(reverse("demands:mine_detail", args=[demand.pk])).content.decode()
    assert "Was your problem solved?" in page and "更换了灯泡" in page
    client.post(reverse("demands:mine_follow_up", args=[demand.pk]), {"result": "satisfied", "comment": "谢谢"})
    demand.refresh_from_db()
    assert demand.status == Status.CLOSED
    answer = FollowUp.objects.get(demand=demand)
    assert answer.by_resident and answer.recorded_by == resident


def test_a_bad_follow_up_answer_is_refused_and_nothing_is_written(
    client: Client, city: City, resident: User, city_admin: User
) -> None:
    demand = _resolved(_submit(city, resident), city_admin)
    client.force_login(resident)
    page = client.post(reverse("demands:mine_follow_up", args=[demand.pk]), {"result": "thrilled"}, follow=True)
    assert "Select a valid choice" in page.content.decode()
    assert not FollowUp.objects.exists()
    assert Demand.objects.get(pk=demand.pk).status == Status.RESOLVED


def test_nobody_follows_up_anothers_demand(client: Client, city: City, resident: User, member_user: User) -> None:
    other = _submit(city, member_user)
    client.force_login(resident)
    assert client.post(reverse("demands:mine_follow_up", args=[other.pk]), {"result": "satisfied"}).status_code == 404


# ---------------------------------------------------------------- claiming one sent without an account


def test_a_resident_claims_a_demand_with_its_code_and_the_last_four_digits(city: City, resident: User) -> None:
    demand = _submit(city, AnonymousUser())
    claimed = demand_claim(actor=resident, code=demand.lookup_code.lower(), phone_last4="5678")
    assert claimed.pk == demand.pk
    demand.refresh_from_db()
    assert demand.resident == resident
    assert Event.objects.filter(verb=DemandVerb.CLAIMED, subject_id=demand.pk, actor=resident).exists()
    assert AuditEntry.objects.filter(action="demand_claimed", target=f"demands.demand:{demand.pk}").exists()


@pytest.mark.parametrize("case", ["wrong digits", "unknown code", "someone else's", "not a code"])
def test_every_miss_gets_the_same_refusal_and_nothing_changes(
    city: City, resident: User, member_user: User, case: str
) -> None:
    demand = _submit(city, AnonymousUser())
    code, digits = demand.lookup_code, "5678"
    if case == "wrong digits":
        digits = "1234"
    elif case == "unknown code":
        code = "ZZZZZZZZ" if code != "ZZZZZZZZ" else "YYYYYYYY"
    elif case == "someone else's":
        demand_claim(actor=member_user, code=code, phone_last4=digits)
        Event.objects.filter(verb=DemandVerb.CLAIMED).delete()
        AuditEntry.objects.filter(action="demand_claimed").delete()
    else:
        code = "'; DROP"
    with pytest.raises(ValidationError) as refused:
        demand_claim(actor=resident, code=code, phone_last4=digits)
    assert refused.value.code == "no_match"
    assert refused.value.messages == [
        "No demand you can add matches this code and these digits. Check both and try again."
    ]
    demand.refresh_from_db()
    assert demand.resident != resident
    if case != "someone else's":
        _nothing_claimed(demand)


@override_settings(DEMAND_CLAIM_FAILURE_LIMIT=3)
def test_claims_are_throttled_per_account(city: City, resident: User, member_user: User) -> None:
    demand = _submit(city, AnonymousUser())
    for _n in range(3):
        with pytest.raises(ValidationError):
            demand_claim(actor=resident, code=demand.lookup_code, phone_last4="0000")
    with pytest.raises(ValidationError) as refused:
        demand_claim(actor=resident, code=demand.lookup_code, phone_last4="5678")
    assert refused.value.code == "rate_limited"
    _nothing_claimed(demand)
    # Another account has its own tries.
    assert demand_claim(actor=member_user, code=demand.lookup_code, phone_last4="5678").pk == demand.pk


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_claim_page_adds_the_demand_or_shows_one_neutral_refusal(city: City, resident: User, language: str) -> None:
    demand = _submit(city, AnonymousUser())
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(resident)
    data: dict[str, Any] = {"code": demand.lookup_code, "digits": "9999"}
    refused = client.post(reverse("demands:claim"), data)
    assert refused.status_code == 200 and 'role="alert"' in refused.content.decode()
    if language == "en":
        assert "No demand you can add matches" in refused.content.decode()
    _nothing_claimed(demand)
    done = client.post(reverse("demands:claim"), {**data, "digits": "5678"})
    assert done.headers["Location"] == reverse("demands:mine_detail", args=[demand.pk])

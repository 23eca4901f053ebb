"""Residents submit a demand without an account and follow it with their lookup code."""

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from conftest import City
from lianxin.accounts.models import User
from lianxin.accounts.services import user_set_mobile
from lianxin.core.models import Event
from lianxin.core.throttling import throttle_used
from lianxin.demands.models import Demand, DemandCategory, FollowUp
from lianxin.demands.services.public import (
    LOOKUP_ADDRESS,
    LOOKUP_CODE,
    SUBMITTED_ONLINE,
    demand_lookup,
    demand_submit_public,
    organization_for_area,
    recent_submissions_from,
)
from lianxin.demands.tests.factories import make_demand
from lianxin.organizations.models import Area, Organization
from lianxin.organizations.tests.factories import make_area, make_organization


@pytest.fixture
def client() -> Client:
    """Pages answer in English here, so assertions read the messages' msgids."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


Status = Demand.Status


@pytest.fixture
def town(city: City) -> Area:
    return make_area(name="城东街道", kind=Area.Kind.TOWN, parent=city.district.area)


@pytest.fixture
def community(town: Area) -> Area:
    return make_area(name="幸福社区", kind=Area.Kind.COMMUNITY, parent=town)


@pytest.fixture
def community_branch(city: City, community: Area) -> Organization:
    return make_organization(name="幸福社区党支部", parent=city.district, area=community, code="D1H")


def _submit(place: Area | None, *, ip: str = "203.0.113.7", **overrides: Any) -> Demand:
    values: dict[str, Any] = {
        "actor": None,
        "category": "noise",
        "area": place,
        "address": "幸福小区中心广场",
        "title": "广场舞噪音扰民",
        "description": "每天晚上九点后还在放音乐。",
        "submitter_name": "张桂兰",
        "submitter_phone": "139 1234 5678",
        "ip_address": ip,
    }
    values.update(overrides)
    return demand_submit_public(**values)


# ---------------------------------------------------------------- who collects it


def test_the_organization_of_the_chosen_community_collects_the_demand(
    city: City, community: Area, community_branch: Organization
) -> None:
    assert organization_for_area(community) == community_branch


def test_an_area_without_its_own_organization_goes_to_the_nearest_ancestor_with_one(
    city: City, town: Area, community: Area
) -> None:
    # 城东街道 and 幸福社区 have none; 城区 has the district committee and its branches: the committee answers.
    assert organization_for_area(community) == city.district


def test_a_dissolved_organization_no_longer_collects(
    city: City, community: Area, community_branch: Organization
) -> None:
    Organization.objects.filter(pk=community_branch.pk).update(status=Organization.Status.DISSOLVED)

    assert organization_for_area(community) == city.district


# ---------------------------------------------------------------- submitting


def test_a_resident_submits_a_demand_that_the_community_collects_with_an_encrypted_phone(
    city: City, community: Area, community_branch: Organization
) -> None:
    demand = _submit(community)

    assert demand.source == Demand.Source.PUBLIC and demand.status == Status.SUBMITTED
    assert demand.organization == community_branch and demand.area == community
    assert demand.submitter_phone == "13912345678" and demand.submitted_by is None
    assert len(demand.lookup_code) == 8
    event = Event.objects.get(subject_id=demand.pk, verb=SUBMITTED_ONLINE)
    assert "203.0.113.7" not in str(event.data) and event.data["client"]


def test_a_demand_without_a_phone_is_refused_and_nothing_is_written(city: City, community: Area) -> None:
    with pytest.raises(ValidationError, match="mobile number"):
        _submit(community, submitter_phone="  ")

    assert not Demand.objects.exists() and not Event.objects.filter(verb=SUBMITTED_ONLINE).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"category": "no-such-category"}, "Unknown demand category"),
        ({"submitter_phone": "12345"}, "mobile"),
        ({"title": "  "}, "in a few words"),
        ({"description": ""}, "Describe the demand"),
        ({"area": None}, "Choose the area"),
    ],
)
def test_bad_submissions_are_refused_clearly_and_nothing_is_written(
    city: City, community: Area, overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        _submit(community, **overrides)

    assert not Demand.objects.exists()
    assert not Event.objects.filter(subject_type=ContentType.objects.get_for_model(Demand)).exists()


def test_an_area_no_organization_answers_for_is_refused(db: None) -> None:
    lonely = make_area(name="无人岛", kind=Area.Kind.ISLAND)

    with pytest.raises(ValidationError, match="No organization takes demands"):
        _submit(lonely)

    assert not Demand.objects.exists()


@override_settings(DEMAND_PUBLIC_SUBMISSIONS_PER_HOUR=3)
def test_the_fourth_submission_in_an_hour_from_one_address_is_refused_but_others_may_submit(
    city: City, community: Area
) -> None:
    for _ in range(3):
        _submit(community)

    with pytest.raises(ValidationError, match="Many demands have been sent from your network"):
        _submit(community)

    assert Demand.objects.count() == 3 and recent_submissions_from("203.0.113.7") == 3
    assert _submit(community, ip="198.51.100.1").pk


# ---------------------------------------------------------------- looking up


def test_the_code_and_the_last_four_digits_find_the_demand(city: City, community: Area) -> None:
    demand = _submit(community)

    assert demand_lookup(code=demand.lookup_code.lower(), phone_last4="5678", ip_address="1.2.3.4") == demand
    spaced = f" {demand.lookup_code[:4]}-{demand.lookup_code[4:]} "
    assert demand_lookup(code=spaced, phone_last4="5678", ip_address=None) == demand


@pytest.mark.parametrize("digits", ["1234", "567", "abcd", ""])
def test_wrong_digits_find_nothing_and_count_as_a_failed_attempt(city: City, community: Area, digits: str) -> None:
    demand = _submit(community)

    assert demand_lookup(code=demand.lookup_code, phone_last4=digits, ip_address="1.2.3.4") is None
    assert throttle_used(rule=LOOKUP_CODE, key=demand.lookup_code) == 1
    assert throttle_used(rule=LOOKUP_ADDRESS, key="1.2.3.4") == 1


def test_an_unknown_code_finds_nothing(city: City, community: Area) -> None:
    _submit(community)

    assert demand_lookup(code="ZZZZZZZZ", phone_last4="5678", ip_address=None) is None


# ---------------------------------------------------------------- pages


def _form(community: Area, **overrides: str) -> dict[str, str | int]:
    data: dict[str, str | int] = {
        "category": DemandCategory.objects.get(code="noise").pk,
        "area": community.code,
        "address": "幸福小区中心广场",
        "title": "广场舞噪音扰民",
        "description": "每天晚上九点后还在放音乐。",
        "submitter_name": "张桂兰",
        "submitter_phone": "13912345678",
        "website": "",
    }
    data.update(overrides)
    return data


def test_the_submission_page_offers_the_area_picker_with_the_linked_area_chosen_and_needs_no_login(
    client: Client, city: City, community: Area
) -> None:
    response = client.get(reverse("demands:submit"), {"area": community.code})

    assert response.status_code == 200
    page = response.content.decode()
    # The area comes chosen, shown with its district; others are found by name or browsed.
    assert f'name="area" value="{community.code}"' in page and 'value="城区 › 城东街道 › 幸福社区"' in page
    assert "/pick/area/?browse=1" in page


def test_a_signed_in_resident_finds_their_name_and_mobile_filled_in(
    client: Client, resident: User, community: Area
) -> None:
    resident.display_name = "赵大妈"
    resident.save(update_fields=["display_name"])
    user_set_mobile(user=resident, mobile="13800001111")
    client.force_login(resident)

    page = client.get(reverse("demands:submit")).content.decode()

    assert 'value="赵大妈"' in page and 'value="13800001111"' in page


def test_submitting_on_the_page_shows_the_lookup_code_to_keep(
    client: Client, city: City, community: Area, community_branch: Organization
) -> None:
    response = client.post(reverse("demands:submit"), _form(community), follow=True)

    demand = Demand.objects.get()
    assert demand.organization == community_branch
    assert demand.lookup_code in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("demands:submitted")


def test_the_honeypot_refuses_software_and_nothing_is_written(client: Client, city: City, community: Area) -> None:
    response = client.post(reverse("demands:submit"), _form(community, website="http://spam.example"))

    assert response.status_code == 200 and not Demand.objects.exists()


def test_a_refused_submission_shows_the_service_message_on_the_form(
    client: Client, city: City, community: Area
) -> None:
    lonely = make_area(name="无人岛", kind=Area.Kind.ISLAND, parent=make_area(kind=Area.Kind.CITY))

    response = client.post(reverse("demands:submit"), _form(lonely))

    assert "No organization takes demands" in response.content.decode() and not Demand.objects.exists()


def test_the_done_page_without_a_submission_goes_back_to_the_form(client: Client, db: None) -> None:
    assert client.get(reverse("demands:submitted"))["Location"] == reverse("demands:submit")


def _resolved(city: City, district_admin: User, community: Area) -> Demand:
    return make_demand(
        city.east, by=district_admin, until=Status.RESOLVED, unit=city.west, area=community, source=Demand.Source.PUBLIC
    )


def test_the_lookup_page_shows_progress_and_what_was_done_but_no_staff_names_or_notes(
    client: Client, city: City, district_admin: User, community: Area
) -> None:
    demand = _resolved(city, district_admin, community)

    response = client.post(reverse("demands:lookup"), {"code": demand.lookup_code, "digits": "5678"}, follow=True)

    page = response.content.decode()
    assert demand.title in page and "联系供电所更换了两盏路灯" in page
    assert "district_admin" not in page and "13912345678" not in page and "张桂兰" not in page
    assert 'name="result"' in page


def test_wrong_digits_on_the_lookup_page_get_one_neutral_message(
    client: Client, city: City, district_admin: User, community: Area
) -> None:
    demand = _resolved(city, district_admin, community)

    wrong_digits = client.post(reverse("demands:lookup"), {"code": demand.lookup_code, "digits": "0000"})
    wrong_code = client.post(reverse("demands:lookup"), {"code": "ZZZZZZZZ", "digits": "5678"})

    message = "No demand matches this code and these digits"
    assert message in wrong_digits.content.decode() and message in wrong_code.content.decode()
    assert demand.title not in wrong_digits.content.decode()


@override_settings(DEMAND_LOOKUP_FAILURE_LIMIT=2)
def test_repeated_wrong_guesses_lock_the_code_for_a_while(
    client: Client, city: City, district_admin: User, community: Area
) -> None:
    demand = _resolved(city, district_admin, community)
    for _ in range(2):
        client.post(reverse("demands:lookup"), {"code": demand.lookup_code, "digits": "0000"})

    response = client.post(reverse("demands:lookup"), {"code": demand.lookup_code, "digits": "5678"})

    assert "Too many attempts" in response.content.decode() and demand.title not in response.content.decode()


def test_the_resident_answers_satisfied_and_the_demand_closes(
    client: Client, city: City, district_admin: User, community: Area
) -> None:
    demand = _resolved(city, district_admin, community)
    client.post(reverse("demands:lookup"), {"code": demand.lookup_code, "digits": "5678"})

    client.post(reverse("demands:lookup_follow_up"), {"result": "satisfied", "comment": "路灯亮了"})

    demand.refresh_from_db()
    follow_up = FollowUp.objects.get(demand=demand)
    assert demand.status == Status.CLOSED and follow_up.by_resident and follow_up.comment == "路灯亮了"


def test_an_unsatisfied_answer_sends_the_demand_back(
    client: Client, city: City, district_admin: User, community: Area
) -> None:
    demand = _resolved(city, district_admin, community)
    client.post(reverse("demands:lookup"), {"code": demand.lookup_code, "digits": "5678"})

    response = client.post(reverse("demands:lookup_follow_up"), {"result": "unsatisfied"}, follow=True)

    demand.refresh_from_db()
    assert demand.status == Status.ASSIGNED and demand.rework_count == 1
    assert "goes back to be handled again" in response.content.decode()


def test_a_second_follow_up_is_refused_and_nothing_more_is_written(
    client: Client, city: City, district_admin: User, community: Area
) -> None:
    demand = _resolved(city, district_admin, community)
    client.post(reverse("demands:lookup"), {"code": demand.lookup_code, "digits": "5678"})
    client.post(reverse("demands:lookup_follow_up"), {"result": "satisfied"})

    response = client.post(reverse("demands:lookup_follow_up"), {"result": "unsatisfied"}, follow=True)

    demand.refresh_from_db()
    assert demand.status == Status.CLOSED and FollowUp.objects.filter(demand=demand).count() == 1
    assert "already been followed up" in response.content.decode() or "Only a resolved demand" in (
        response.content.decode()
    )


def test_a_follow_up_without_a_lookup_writes_nothing(
    client: Client, city: City, district_admin: User, community: Area
) -> None:
    demand = _resolved(city, district_admin, community)

    response = client.post(reverse("demands:lookup_follow_up"), {"result": "satisfied"}, follow=True)

    demand.refresh_from_db()
    assert demand.status == Status.RESOLVED and not FollowUp.objects.exists()
    assert "Look up your demand first" in response.content.decode()


def test_an_unknown_follow_up_answer_is_refused(
    client: Client, city: City, district_admin: User, community: Area
) -> None:
    demand = _resolved(city, district_admin, community)
    client.post(reverse("demands:lookup"), {"code": demand.lookup_code, "digits": "5678"})

    client.post(reverse("demands:lookup_follow_up"), {"result": "delighted"})

    demand.refresh_from_db()
    assert demand.status == Status.RESOLVED and not FollowUp.objects.exists()


def test_the_submitted_online_step_is_kept_in_the_demands_timeline(city: City, community: Area) -> None:
    demand = _submit(community)

    verbs = set(
        Event.objects.filter(subject_type=ContentType.objects.get_for_model(Demand), subject_id=demand.pk).values_list(
            "verb", flat=True
        )
    )
    assert verbs == {"collected", SUBMITTED_ONLINE}

"""Register, log in with a code, and "my page": the pages a resident walks through."""

from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.urls import reverse

from conftest import City
from lianxin.accounts.models import User
from lianxin.core import sms
from lianxin.organizations.models import Area
from lianxin.residents.models import MobileCode, Resident
from lianxin.residents.tests.factories import PASSWORD, code_sent_to, make_community, make_resident, user_by_mobile

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Answer

MOBILE = "13912345678"


@pytest.fixture
def community(city: City) -> Area:
    return make_community(city.city_area)


def _client(language: str = "en") -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR="203.0.113.9")


def _finish(client: Client, place: Area, **overrides: object) -> "Answer":
    data = {
        "code": code_sent_to(MOBILE),
        "name": "张桂兰",
        "community": place.code,
        "password": PASSWORD,
        "password_again": PASSWORD,
        "consent": "on",
    }
    data.update(overrides)
    return client.post(reverse("residents:register_finish"), data)


def test_a_resident_registers_in_two_steps_and_lands_on_their_own_page(community: Area) -> None:
    client = _client()
    page = client.get(reverse("residents:register"))
    assert page.status_code == 200
    sent = client.post(reverse("residents:register"), {"mobile": "139 1234 5678"})
    assert sent.headers["Location"] == reverse("residents:register_finish")
    step_two = client.get(sent.headers["Location"])
    assert "139****5678" in step_two.content.decode() and MOBILE not in step_two.content.decode()
    assert "data-picker" in step_two.content.decode()  # the community is typed or browsed, not a list of all
    assert reverse("residents:privacy") in step_two.content.decode()
    done = _finish(client, community)
    assert done.headers["Location"] == reverse("residents:me")
    me = client.get(reverse("residents:me")).content.decode()
    assert "张桂兰" in me and "幸福社区" in me and reverse("demands:mine") in me and MOBILE not in me
    for name in ("wishes:mine", "volunteering:order_mine", "volunteering:my_bookings", "demands:claim"):
        assert reverse(name) in me


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_wrong_code_shows_the_error_and_writes_nothing(community: Area, language: str) -> None:
    client = _client(language)
    client.post(reverse("residents:register"), {"mobile": MOBILE})
    wrong = "000000" if code_sent_to(MOBILE) != "000000" else "111111"
    page = _finish(client, community, code=wrong)
    assert page.status_code == 200
    assert 'role="alert"' in page.content.decode()
    if language == "en":
        assert "The code is not right" in page.content.decode()
    assert user_by_mobile(MOBILE) is None and not Resident.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"consent": ""}, "agree to the privacy notice"),
        ({"community": "999999"}, "Choose the community or village you live in"),
        ({"community": "99999999999999999999999"}, "Choose the community or village you live in"),
        ({"community": "²"}, "Choose the community or village you live in"),
        ({"community": "street"}, "Choose the community or village you live in"),
        ({"password_again": "something-else-9"}, "The two passwords differ"),
    ],
)
def test_bad_input_on_the_second_step_writes_nothing(community: Area, overrides: dict[str, str], message: str) -> None:
    client = _client()
    client.post(reverse("residents:register"), {"mobile": MOBILE})
    if overrides.get("community") == "street":
        overrides["community"] = Area.objects.get(name="城东街道").code
    page = _finish(client, community, **overrides)
    assert message in page.content.decode()
    assert user_by_mobile(MOBILE) is None and not Resident.objects.exists()


def test_a_bad_mobile_number_is_shown_on_the_first_step(community: Area) -> None:
    page = _client().post(reverse("residents:register"), {"mobile": "0571-8888"})
    assert "mainland mobile number of 11 digits" in page.content.decode()
    assert not MobileCode.objects.exists() and not sms.outbox


def test_the_second_step_without_the_first_goes_back_to_it(community: Area) -> None:
    page = _client().get(reverse("residents:register_finish"))
    assert page.headers["Location"] == reverse("residents:register")


def test_a_resident_logs_in_with_a_code_from_the_login_page(community: Area) -> None:
    resident = make_resident(community, mobile=MOBILE)
    client = _client()
    login_page = client.get(reverse("accounts:login")).content.decode()
    assert reverse("residents:login_code") in login_page and reverse("residents:register") in login_page
    client.post(reverse("residents:login_code"), {"mobile": MOBILE})
    done = client.post(reverse("residents:login_code_finish"), {"code": code_sent_to(MOBILE)})
    assert done.headers["Location"] == reverse("residents:me")
    assert client.get(reverse("residents:me")).context["user"] == resident.user


def test_an_unknown_number_is_told_the_same_as_a_known_one(community: Area) -> None:
    client = _client()
    page = client.post(reverse("residents:login_code"), {"mobile": "13800000009"}, follow=True)
    assert "A code is on its way to 138****0009" in page.content.decode()
    assert not sms.outbox
    refused = client.post(reverse("residents:login_code_finish"), {"code": "123456"})
    assert "This code has expired" in refused.content.decode() or "not right" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_privacy_notice_is_public_and_says_how_to_have_data_removed() -> None:
    page = _client().get(reverse("residents:privacy")).content.decode()
    assert "have your account removed" in page and "encrypted" in page


def test_a_signed_in_person_is_sent_from_registration_to_their_page(community: Area) -> None:
    resident = make_resident(community, mobile=MOBILE)
    client = _client()
    client.force_login(resident.user)
    assert client.get(reverse("residents:register")).headers["Location"] == reverse("residents:me")
    assert isinstance(resident.user, User)


def test_every_link_on_a_new_residents_page_opens(community: Area) -> None:
    client = _client()
    client.post(reverse("residents:register"), {"mobile": MOBILE})
    _finish(client, community)
    for name in ("residents:me", "demands:mine", "demands:claim", "wishes:mine", "volunteering:order_mine"):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("volunteering:my_bookings")).status_code == 200

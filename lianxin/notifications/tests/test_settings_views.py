"""A person's choices: channels per kind (defaults from the kind), quiet hours and the digest; bad input
is refused with a clear message in the page's language and nothing is written."""

from collections.abc import Iterator
from datetime import time

import pytest
from django.test import Client

from conftest import PASSWORD
from lianxin.accounts.models import User
from lianxin.notifications import kinds
from lianxin.notifications.kinds import TEST, Audience, Kind
from lianxin.notifications.models import NotificationSettings, Preference
from lianxin.notifications.selectors import kinds_for

pytestmark = pytest.mark.django_db
URL = "/notifications/settings/"

FOR_MEMBERS = Kind(
    code="notifications.member_step",
    label="A step for members",  # type: ignore[arg-type]
    text="%(what)s",  # type: ignore[arg-type]
    sms_template="LX_T_MEMBER",
    audience=Audience.MEMBER,
    email=True,
)
FOR_RESIDENTS = Kind(
    code="notifications.resident_step",
    label="A step for residents",  # type: ignore[arg-type]
    text="%(what)s",  # type: ignore[arg-type]
    sms_template="LX_T_RESIDENT",
    audience=Audience.RESIDENT,
    sms=True,
)


@pytest.fixture(autouse=True)
def more_kinds(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    kinds.kinds()  # every app's kinds first, then these two for the test only
    for kind in (FOR_MEMBERS, FOR_RESIDENTS):
        monkeypatch.setitem(kinds._KINDS, kind.code, kind)
    yield


def _as(user: User, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _with_addresses(user: User) -> User:
    user.email = f"{user.username}@example.cn"
    user.mobile = "13800001234"
    user.save()
    return user


def _form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "email": [TEST.code],
        "sms": [],
        "quiet_start": "22:00",
        "quiet_end": "07:00",
        "digest_at": "08:00",
    }
    data.update(changes)
    return data


def test_each_person_sees_the_kinds_meant_for_them(branch_secretary: User, member_user: User, resident: User) -> None:
    codes = {
        user.username: {k.code for k in kinds_for(user=user)} for user in (branch_secretary, member_user, resident)
    }
    assert {TEST.code, FOR_MEMBERS.code} <= codes["branch_secretary"]
    assert FOR_RESIDENTS.code not in codes["branch_secretary"]
    assert codes["member"] >= {FOR_MEMBERS.code} and TEST.code not in codes["member"]
    assert codes["resident"] == {k.code for k in kinds.kinds() if k.audience == Audience.RESIDENT}


def test_the_page_shows_the_defaults_and_says_the_app_is_always_on(branch_secretary: User) -> None:
    _with_addresses(branch_secretary)
    html = _as(branch_secretary).get(URL).content.decode()
    assert "In the app is always on" in html
    assert f'name="email" value="{TEST.code}" checked' in html  # the kind's default
    assert f'name="sms" value="{FOR_MEMBERS.code}" aria-label' in html  # not ticked by default
    assert 'value="22:00"' in html and 'value="07:00"' in html and "Urgent notifications still come" in html


def test_a_channel_the_account_lacks_is_shown_disabled_with_a_hint(branch_secretary: User) -> None:
    html = _as(branch_secretary).get(URL).content.decode()
    assert "your account has no e-mail address" in html and "your account has no mobile number" in html
    assert f'name="email" value="{TEST.code}" checked disabled' in html


def test_choices_are_saved_only_where_they_differ_from_the_defaults(branch_secretary: User) -> None:
    _with_addresses(branch_secretary)
    shown = kinds_for(user=branch_secretary)
    # Every other kind keeps its defaults; the test kind changes from e-mail and SMS to SMS only.
    email = [k.code for k in shown if k.email and k != TEST]
    sms = [k.code for k in shown if k.sms]
    data = _form(email=email, sms=sms, digest="on", quiet_start="23:30")

    response = _as(branch_secretary).post(URL, data, follow=True)

    assert "Your notification settings were saved." in response.content.decode()
    saved = {p.kind: (p.email, p.sms) for p in Preference.objects.filter(user=branch_secretary)}
    assert saved == {TEST.code: (False, True)}  # the member kind's choice is its default: no row
    chosen = NotificationSettings.objects.get(user=branch_secretary)
    assert (chosen.quiet_start, chosen.quiet_end, chosen.digest, chosen.digest_at) == (
        time(23, 30),
        time(7, 0),
        True,
        time(8, 0),
    )


def test_the_ticks_of_a_channel_the_account_lacks_are_kept(branch_secretary: User) -> None:
    Preference.objects.create(user=branch_secretary, kind=TEST.code, email=False, sms=True)
    _as(branch_secretary).post(URL, _form(email=[TEST.code, FOR_MEMBERS.code], sms=[]))
    assert Preference.objects.get(user=branch_secretary, kind=TEST.code).sms is True


BAD = [
    (_form(quiet_start="25:99"), "Enter a time as HH:MM, e.g. 22:00.", "请按“时:分”填写时间，例如 22:00。"),
    (
        _form(email=["demands.no_such_step"]),
        "Not a kind of notification you can choose: demands.no_such_step.",
        "没有可以选择的这类通知：demands.no_such_step。",
    ),
    (_form(sms=[f"x{i}" for i in range(600)]), "Too many choices in one form.", "一次选择的项目太多。"),
    (_form(email=["z" * 5000]), "z" * 60 + ".", "z" * 60 + "。"),
]


@pytest.mark.parametrize(("data", "english", "chinese"), BAD, ids=["time", "unknown kind", "too many", "huge value"])
def test_bad_input_is_refused_clearly_and_writes_nothing(
    branch_secretary: User, data: dict[str, object], english: str, chinese: str
) -> None:
    _with_addresses(branch_secretary)
    for language, message in (("en", english), ("zh-hans", chinese)):
        response = _as(branch_secretary, language).post(URL, data)
        html = response.content.decode()
        assert response.status_code == 200 and message in html, language
        assert "z" * 61 not in html
    assert not Preference.objects.exists() and not NotificationSettings.objects.exists()


def test_a_resident_cannot_choose_a_staff_kind(resident: User) -> None:
    _with_addresses(resident)
    response = _as(resident).post(URL, _form(email=[TEST.code]))
    assert "Not a kind of notification you can choose: notifications.test." in response.content.decode()
    assert not Preference.objects.exists()

"""Failed logins are counted per account, however its name is written; an address has its own, far
higher ceiling; lookups of public demands keep their own counts; and the counts hold under concurrency."""

import threading
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from conftest import PASSWORD
from lianxin.accounts.forms import LoginForm
from lianxin.accounts.models import User
from lianxin.accounts.services import user_create, user_set_mobile
from lianxin.core.testing import all_at_once
from lianxin.core.throttling import KEEP_ENDED

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"
LOCKED_ZH = "尝试次数过多"
LOCKED_EN = "Too many failed attempts"
NETWORK_LOCKED_ZH = "您所在网络的登录失败次数过多"
NETWORK_LOCKED_EN = "Too many failed logins from your network"


def _login(client: Client, username: str, password: str, **extra: Any) -> HttpResponse:
    response = client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)
    assert isinstance(response, HttpResponse)
    return response


def _logged_in(client: Client, user: User) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


# ---------------------------------------------------------------- one address, many people (item 3)


def test_failures_on_many_accounts_from_one_address_do_not_lock_anyone_else_out(
    client: Client, branch_secretary: User
) -> None:
    # Four times the account limit, each on another name: more than the old ceiling for one address.
    for n in range(4 * settings.LOGIN_FAILURE_LIMIT + 1):
        _login(client, f"someone{n}", "wrong")

    response = _login(client, "branch_secretary", PASSWORD)

    assert response.status_code == 302 and _logged_in(client, branch_secretary)


def test_missed_lookups_of_public_demands_do_not_count_toward_logins(client: Client, branch_secretary: User) -> None:
    for n in range(4 * settings.LOGIN_FAILURE_LIMIT + 1):
        client.post(reverse("demands:lookup"), {"code": f"ZZZZZZ{n:02d}"[-8:], "digits": "0000"})

    response = _login(client, "branch_secretary", PASSWORD)

    assert response.status_code == 302 and _logged_in(client, branch_secretary)


@override_settings(LIANXIN_TRUSTED_PROXIES=[PROXY], LOGIN_ADDRESS_FAILURE_LIMIT=3)
def test_behind_the_proxy_each_visitor_has_their_own_address_ceiling(branch_secretary: User) -> None:
    guesser = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66", HTTP_ACCEPT_LANGUAGE="en")
    colleague = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.20")
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        _login(guesser, f"someone{n}", "wrong")

    refused = _login(guesser, "branch_secretary", PASSWORD)
    admitted = _login(colleague, "branch_secretary", PASSWORD)

    assert NETWORK_LOCKED_EN in refused.content.decode() and not _logged_in(guesser, branch_secretary)
    assert admitted.status_code == 302 and _logged_in(colleague, branch_secretary)


@override_settings(LOGIN_ADDRESS_FAILURE_LIMIT=3)
def test_a_spraying_address_is_stopped_with_its_own_message_in_chinese(client: Client, branch_secretary: User) -> None:
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        _login(client, f"someone{n}", "wrong")

    response = _login(client, "branch_secretary", PASSWORD)

    assert NETWORK_LOCKED_ZH in response.content.decode() and not _logged_in(client, branch_secretary)
    # Its tries on one account stay that account's: a second account is not locked by them.
    assert _login(Client(REMOTE_ADDR="198.51.100.20"), "branch_secretary", PASSWORD).status_code == 302


def test_the_address_ceiling_is_far_above_what_one_account_may_try() -> None:
    # A city behind one proxy shares an address: its ceiling must not be an account's handful of tries.
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT >= 100 * settings.LOGIN_FAILURE_LIMIT


# ---------------------------------------------------------------- one account, many spellings (item 4)

SPELLINGS = ["13800000001", "+8613800000001", "138 0000 0001", "138-0000-0001", "0086 138 0000 0001", "+86 13800000001"]


def test_every_spelling_of_the_mobile_and_the_username_share_one_count(client: Client, branch_secretary: User) -> None:
    user_set_mobile(user=branch_secretary, mobile="13800000001")
    names = [*SPELLINGS, "branch_secretary"]
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        _login(client, names[n % len(names)], "wrong")

    response = _login(Client(REMOTE_ADDR="198.51.100.20"), "138 0000-0001", PASSWORD)

    assert response.status_code == 200 and LOCKED_ZH in response.content.decode()


def test_an_unknown_mobile_number_is_counted_once_however_it_is_written(client: Client, db: None) -> None:
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        _login(client, SPELLINGS[n % len(SPELLINGS)].replace("0001", "0009"), "wrong")

    response = _login(client, "+86 138-0000-0009", "wrong", HTTP_ACCEPT_LANGUAGE="en")

    assert LOCKED_EN in response.content.decode()


def test_a_locked_account_is_locked_from_every_address(client: Client, branch_secretary: User) -> None:
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(client, "branch_secretary", "wrong")

    response = _login(Client(REMOTE_ADDR="198.51.100.20", HTTP_ACCEPT_LANGUAGE="en"), "branch_secretary", PASSWORD)

    assert LOCKED_EN in response.content.decode()


def test_a_refused_attempt_writes_nothing(client: Client, branch_secretary: User) -> None:
    from lianxin.core.models import Throttle

    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(client, "branch_secretary", "wrong")
    before = list(Throttle.objects.order_by("pk").values())

    _login(client, "branch_secretary", PASSWORD)

    assert list(Throttle.objects.order_by("pk").values()) == before
    assert not _logged_in(client, branch_secretary)


def test_no_name_or_address_is_stored_in_the_clear(client: Client, branch_secretary: User) -> None:
    from lianxin.core.models import Throttle

    _login(client, "138 0000 0009", "wrong")

    stored = " ".join(str(v) for row in Throttle.objects.values() for v in row.values())
    assert Throttle.objects.exists()
    assert "13800000009" not in stored and "127.0.0.1" not in stored


def test_a_success_clears_the_accounts_count_only(client: Client, branch_secretary: User, district_admin: User) -> None:
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        _login(client, "branch_secretary", "wrong")
        _login(client, "district_admin", "wrong")
    _login(client, "branch_secretary", PASSWORD)
    client.logout()

    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        _login(client, "branch_secretary", "wrong")
    _login(client, "district_admin", "wrong")

    assert _login(client, "branch_secretary", PASSWORD).status_code == 302
    client.logout()
    assert LOCKED_ZH in _login(client, "district_admin", PASSWORD).content.decode()


def test_an_empty_password_neither_counts_nor_clears(client: Client, branch_secretary: User) -> None:
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(client, "branch_secretary", "wrong")

    _login(client, "branch_secretary", "")

    assert LOCKED_ZH in _login(client, "branch_secretary", PASSWORD).content.decode()


def test_the_admin_login_is_throttled_like_the_pages(client: Client, db: None) -> None:
    user_create(username="root", password=PASSWORD, is_staff=True, is_superuser=True)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(reverse("admin:login"), {"username": "root", "password": "wrong"})

    response = client.post(reverse("admin:login"), {"username": "root", "password": PASSWORD})

    assert response.status_code == 200 and LOCKED_ZH in response.content.decode()
    assert "_auth_user_id" not in client.session


# ---------------------------------------------------------------- at the same moment


def _try(username: str, address: str, barrier: threading.Barrier) -> None:
    request = RequestFactory().post("/", REMOTE_ADDR=address)
    form = LoginForm(request=request, data={"username": username, "password": "wrong"})
    barrier.wait()
    form.is_valid()
    if form.has_error("__all__", "locked"):
        raise ValidationError(list(form.non_field_errors()))


@pytest.mark.django_db(transaction=True)
def test_simultaneous_guesses_get_exactly_the_allowed_tries(branch_secretary: User) -> None:
    tries = 3 * settings.LOGIN_FAILURE_LIMIT
    actions = [partial(_try, "branch_secretary", f"198.51.100.{n}") for n in range(tries)]

    wins, refusals = all_at_once(actions)

    assert wins == settings.LOGIN_FAILURE_LIMIT
    assert len(refusals) == tries - settings.LOGIN_FAILURE_LIMIT and all(LOCKED_EN in m for m in refusals)


# ---------------------------------------------------------------- windows


def _age_all_windows(by: timedelta) -> None:
    from lianxin.core.models import Throttle

    Throttle.objects.update(window_started_at=F("window_started_at") - by)


def test_a_locked_account_may_try_again_when_its_window_has_passed(client: Client, branch_secretary: User) -> None:
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(client, "branch_secretary", "wrong")
    assert LOCKED_ZH in _login(client, "branch_secretary", PASSWORD).content.decode()

    _age_all_windows(timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES))

    assert _login(client, "branch_secretary", PASSWORD).status_code == 302


def test_the_lockout_message_says_how_many_minutes_are_left(client: Client, branch_secretary: User) -> None:
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(client, "branch_secretary", "wrong")
    # Two and a half minutes of the window are left: the message rounds up.
    _age_all_windows(timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES) - timedelta(minutes=2, seconds=30))

    response = _login(client, "branch_secretary", PASSWORD, HTTP_ACCEPT_LANGUAGE="en")

    assert "Try again in 3 minutes" in response.content.decode()


def test_counts_whose_window_ended_long_ago_are_deleted_as_new_ones_come(client: Client, db: None) -> None:
    from lianxin.core.models import Throttle

    _login(client, "someone", "wrong")
    stale = set(Throttle.objects.values_list("pk", flat=True))
    _age_all_windows(timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES) + KEEP_ENDED + timedelta(minutes=1))

    _login(client, "someone else", "wrong")

    assert stale and not Throttle.objects.filter(pk__in=stale).exists() and Throttle.objects.exists()

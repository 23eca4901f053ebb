"""E-mail over a real SMTP server (aiosmtpd, with a login), and the settings read from LIANXIN_EMAIL_URL."""

from datetime import datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from pytest_django.fixtures import Settings as SettingsWrapper

from config.settings.channels import CONSOLE_EMAIL, GATEWAY_SMS, SMTP_EMAIL, email_settings, sms_settings
from lianxin.accounts.models import User
from lianxin.notifications.channels import BACKOFF
from lianxin.notifications.kinds import TEST
from lianxin.notifications.models import Delivery, Notification
from lianxin.notifications.services import notify
from lianxin.notifications.tests.conftest import CommitCallbacks
from lianxin.notifications.tests.servers import Mailbox, free_port, smtp_server
from lianxin.notifications.upkeep import notifications_upkeep

__all__ = ["smtp_server"]  # the fixture, used by name
# The test server wants a login without TLS, as a relay inside a government network may.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_an_email_url_names_the_server_the_login_and_the_kind_of_tls() -> None:
    plain = email_settings("smtp://mailer:p%40ss%3Aword@mail.example.cn:587?starttls=1&timeout=20")
    assert plain == {
        "EMAIL_BACKEND": SMTP_EMAIL,
        "EMAIL_HOST": "mail.example.cn",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "p@ss:word",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": True,
        "EMAIL_TIMEOUT": 20,
    }
    implicit = email_settings("smtps://u:p@smtp.example.cn")
    assert (implicit["EMAIL_PORT"], implicit["EMAIL_USE_SSL"], implicit["EMAIL_USE_TLS"]) == (465, True, False)
    relay = email_settings("smtp://10.0.0.5")
    assert (relay["EMAIL_PORT"], relay["EMAIL_HOST_USER"], relay["EMAIL_USE_TLS"]) == (25, "", False)
    assert email_settings("") == {"EMAIL_BACKEND": CONSOLE_EMAIL}


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://mail.example.cn", "must start with smtp://"),
        ("smtp://", "names no mail server"),
        ("smtps://h?starttls=1", "already TLS"),
        ("smtp://h:x", "LIANXIN_EMAIL_URL"),
    ],
)
def test_a_wrong_email_url_stops_the_start_with_what_is_wrong(url: str, says: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=says):
        email_settings(url)


def test_the_sms_gateway_is_chosen_when_its_address_is_set_and_needs_its_secret() -> None:
    assert sms_settings("", "")["SMS_BACKEND"] == "lianxin.core.sms.ConsoleBackend"
    chosen = sms_settings("https://sms.example.cn/send", "s3cret", timeout="3")
    assert (chosen["SMS_BACKEND"], chosen["SMS_GATEWAY_TIMEOUT"]) == (GATEWAY_SMS, 3)
    with pytest.raises(ImproperlyConfigured, match="LIANXIN_SMS_SECRET"):
        sms_settings("https://sms.example.cn/send", "")
    with pytest.raises(ImproperlyConfigured, match="http"):
        sms_settings("ftp://sms.example.cn", "s")


def _person(name: str = "wang") -> User:
    return User.objects.create_user(username=name, password="x-lianxin-9", email=f"{name}@example.cn")


@pytest.mark.django_db
def test_a_notification_reaches_a_real_smtp_server_with_its_link_made_absolute(
    smtp_server: Mailbox, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    person = _person()
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind=TEST, recipients=[person], event="test:mail", url="/demands/7/")
    [message] = smtp_server.messages
    assert smtp_server.logins == ["lianxin"] and smtp_server.recipients == [["wang@example.cn"]]
    assert "noreply@lianxin.example.cn" in message["From"]
    delivery = Delivery.objects.get()
    assert message["Message-ID"] == f"<lianxin.delivery.{delivery.pk}@lianxin.example.cn>"
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    text = body.decode("utf-8")
    assert Notification.objects.get().text in text and "https://lianxin.example.cn/demands/7/" in text
    assert delivery.status == Delivery.Status.SENT and delivery.answer.startswith("accepted by the mail server")
    assert [(a.ok, a.detail) for a in delivery.attempt_log.all()] == [(True, delivery.answer)]


@pytest.mark.django_db
def test_a_mail_server_that_refuses_connections_is_retried_with_back_off_then_the_delivery_fails(
    settings: SettingsWrapper, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT = SMTP_EMAIL, "127.0.0.1", free_port()
    settings.EMAIL_TIMEOUT = 2
    person = _person()
    start = datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)
    with time_machine.travel(start, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            notify(kind=TEST, recipients=[person], event="test:refused")
        delivery = Delivery.objects.get()
        assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
        for wait in BACKOFF:
            clock.shift(wait - BACKOFF[0] / 60)  # a second short of the next try: nothing happens
            early = notifications_upkeep()
            assert (early.sent, early.retrying) == (0, 0)
            clock.shift(BACKOFF[0] / 60)
            notifications_upkeep()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, len(BACKOFF) + 1)
    tries = list(delivery.attempt_log.order_by("at"))
    assert len(tries) == len(BACKOFF) + 1 and not any(a.ok for a in tries)
    assert all("refused" in a.detail.lower() for a in tries), tries[0].detail
    gaps = [later.at - earlier.at for earlier, later in pairwise(tries)]
    assert gaps == list(BACKOFF)

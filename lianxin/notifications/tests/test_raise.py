"""Raising an event: one notification per person, deliveries planned from their choices."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection

from lianxin.accounts.models import User
from lianxin.notifications.kinds import _KINDS, TEST, Audience, Kind, kinds
from lianxin.notifications.models import Delivery, Notification, NotificationSettings, Preference
from lianxin.notifications.services import notify, notify_by_text
from lianxin.notifications.tests.conftest import CommitCallbacks
from lianxin.notifications.texts import scrub

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _person(name: str, *, email: str = "", mobile: str = "") -> User:
    return User.objects.create_user(username=name, password="x-lianxin-9", email=email, mobile=mobile)


def test_one_notification_per_person_and_event(
    django_capture_on_commit_callbacks: CommitCallbacks,
) -> None:
    person = _person("wang", email="wang@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind=TEST, recipients=[person], event="test:1", url="/x/")
        notify(kind=TEST, recipients=[person, person.pk], event="test:1", url="/x/")
    assert Notification.objects.filter(recipient=person).count() == 1
    assert list(Delivery.objects.values_list("channel", "status")) == [("email", "sent")]
    assert len(mail.outbox) == 1


def test_nothing_is_raised_when_the_transaction_rolls_back(django_capture_on_commit_callbacks: CommitCallbacks) -> None:
    person = _person("li", email="li@example.cn")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(kind=TEST, recipients=[person], event="test:2")
    assert len(callbacks) == 1  # runs only on commit
    assert not Notification.objects.exists()


def test_quiet_hours_hold_a_text_and_the_digest_keeps_it(
    django_capture_on_commit_callbacks: CommitCallbacks,
) -> None:
    night = _person("zhao", mobile="13800001111")
    digest = _person("qian", email="qian@example.cn")
    NotificationSettings.objects.create(user=digest, digest=True, digest_at=time(8, 0))
    for user in (night, digest):
        Preference.objects.create(user=user, kind=TEST.code, email=True, sms=True)
    night_time = time_machine.travel(datetime(2026, 12, 7, 23, 30, tzinfo=SHANGHAI), tick=False)
    with night_time, django_capture_on_commit_callbacks(execute=True):
        notify(kind=TEST, recipients=[night, digest], event="test:3", urgent=False)
    held = Delivery.objects.get(notification__recipient=night)
    assert held.status == Delivery.Status.HELD
    assert held.next_attempt_at == datetime(2026, 12, 8, 7, 0, tzinfo=SHANGHAI)
    kept = Delivery.objects.get(notification__recipient=digest)
    assert kept.status == Delivery.Status.DIGEST
    assert kept.next_attempt_at == datetime(2026, 12, 8, 8, 0, tzinfo=SHANGHAI)


def test_numbers_are_masked() -> None:
    assert scrub("call 13812345678, id 330902199001011234") == "call 138****5678, id 330902********1234"


def test_a_text_to_a_number_waits_out_quiet_hours_and_keeps_the_number_encrypted(
    django_capture_on_commit_callbacks: CommitCallbacks, monkeypatch: pytest.MonkeyPatch
) -> None:
    resident_kind = Kind(
        code="notifications.test_by_number",
        label=TEST.label,
        text=TEST.text,
        sms_template="LX_TEST",
        audience=Audience.RESIDENT,
        sms=True,
    )
    kinds()  # every app's kinds first, then this one for the test only
    monkeypatch.setitem(_KINDS, resident_kind.code, resident_kind)
    night = time_machine.travel(datetime(2026, 12, 7, 23, 30, tzinfo=SHANGHAI), tick=False)
    with night, django_capture_on_commit_callbacks(execute=True):
        notify_by_text(kind=resident_kind, mobile="13955556666", event="demand:1:resolved:0", params={})
        notify_by_text(kind=resident_kind, mobile="13955556666", event="demand:1:resolved:0", params={})
    [held] = Delivery.objects.all()
    assert (held.status, held.next_attempt_at) == (Delivery.Status.HELD, datetime(2026, 12, 8, 7, 0, tzinfo=SHANGHAI))
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile FROM notifications_delivery")
        [(stored,)] = cursor.fetchall()
    assert "13955556666" not in stored
    with pytest.raises(ValueError):  # staff kinds never go to a bare number
        notify_by_text(kind=TEST, mobile="13955556666", event="x", params={})

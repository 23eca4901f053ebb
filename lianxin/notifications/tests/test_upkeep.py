"""The upkeep: texts held for quiet hours go in the morning, digests go as one message, stuck sends
go back to the queue, and nothing is sent twice however often a delivery is handed out."""

import threading
from datetime import datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext as _
from pytest_django.fixtures import Settings

from lianxin.accounts.models import User
from lianxin.core import sms
from lianxin.core.testing import all_at_once
from lianxin.notifications.channels import delivery_send
from lianxin.notifications.kinds import TEST
from lianxin.notifications.models import Delivery, Notification, NotificationSettings, Preference
from lianxin.notifications.services import notify
from lianxin.notifications.tasks import delivery_send_task, notifications_upkeep_task
from lianxin.notifications.tests.conftest import CommitCallbacks
from lianxin.notifications.upkeep import STUCK_AFTER, notifications_upkeep

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def empty_outboxes() -> None:
    sms.outbox.clear()


def _person(name: str, *, digest: bool = False) -> User:
    user = User.objects.create_user(
        username=name, password="x-lianxin-9", email=f"{name}@example.cn", mobile="13800002222" if digest else ""
    )
    if digest:
        NotificationSettings.objects.create(user=user, digest=True, digest_at=time(8, 0))
    return user


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.django_db
def test_a_text_held_for_quiet_hours_goes_in_the_morning(django_capture_on_commit_callbacks: CommitCallbacks) -> None:
    night = User.objects.create_user(username="zhao", password="x-lianxin-9", mobile="13800001111")
    Preference.objects.create(user=night, kind=TEST.code, sms=True)
    with time_machine.travel(_at(7, 23, 30), tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            notify(kind=TEST, recipients=[night], event="test:night", urgent=False)
        clock.move_to(_at(8, 6, 59))
        assert notifications_upkeep().released == 0 and not sms.outbox
        clock.move_to(_at(8, 7, 0))
        upkept = notifications_upkeep()
    assert (upkept.released, upkept.sent) == (1, 1)
    assert [m.mobile for m in sms.outbox] == ["13800001111"]
    assert Delivery.objects.get().sent_at == _at(8, 7, 0)


@pytest.mark.django_db
def test_the_daily_digest_is_one_email_and_one_text_for_everything_kept(
    django_capture_on_commit_callbacks: CommitCallbacks,
) -> None:
    qian = _person("qian", digest=True)
    Preference.objects.create(user=qian, kind=TEST.code, email=True, sms=True)
    with time_machine.travel(_at(7, 15, 0), tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            for n in range(3):
                notify(kind=TEST, recipients=[qian], event=f"test:digest:{n}", url=f"/wishes/{n}/", urgent=False)
        assert Delivery.objects.filter(status=Delivery.Status.DIGEST).count() == 6 and not mail.outbox
        clock.move_to(_at(8, 8, 0))
        upkept = notifications_upkeep()
        again = notifications_upkeep()
    assert (upkept.digests, again.digests) == (2, 0)
    [message] = mail.outbox
    with translation.override(settings.LANGUAGE_CODE):  # the digest speaks the site's language
        subject, item = _("Waiting on you in Lianxin: %(count)s") % {"count": 3}, str(TEST.text)
    assert message.subject == subject and message.to == ["qian@example.cn"]
    assert message.body.count(item) == 3 and "https://lianxin.example.cn/wishes/2/" in message.body
    [text] = sms.outbox
    assert (text.template, text.params["count"]) == ("LX_DIGEST", "3")
    kept = Delivery.objects.all()
    assert {d.status for d in kept} == {Delivery.Status.SENT}
    assert all(d.answer.startswith("in the daily digest (3)") and d.attempt_log.count() == 1 for d in kept)


@pytest.mark.django_db
def test_a_digest_that_fails_stays_for_the_digest_and_is_tried_again(
    settings: Settings, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    settings.SMS_BACKEND = "lianxin.core.sms.GatewayBackend"
    settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_SECRET = "http://127.0.0.1:9/sms", "s"
    qian = _person("qian", digest=True)
    Preference.objects.create(user=qian, kind=TEST.code, sms=True)
    with time_machine.travel(_at(8, 8, 0), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            notify(kind=TEST, recipients=[qian], event="test:digest-fails", urgent=False)
        Delivery.objects.update(next_attempt_at=_at(8, 8, 0))
        notifications_upkeep()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.DIGEST, 1)
    assert delivery.next_attempt_at == _at(8, 8, 1) and "unreachable" in delivery.last_error


@pytest.mark.django_db
def test_a_delivery_whose_worker_died_mid_send_is_sent_after_ten_minutes() -> None:
    wang = _person("wang")
    with time_machine.travel(_at(7, 10, 0), tick=False) as clock:
        delivery = _pending(wang)
        Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.SENDING)  # claimed, then killed
        clock.shift(STUCK_AFTER - timedelta(seconds=1))
        assert notifications_upkeep().requeued == 0
        clock.shift(timedelta(seconds=2))
        upkept = notifications_upkeep()
    assert (upkept.requeued, upkept.sent) == (1, 1) and len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert [a.ok for a in delivery.attempt_log.order_by("at", "pk")] == [False, True]


def _pending(user: User) -> Delivery:
    now = datetime.now(tz=SHANGHAI)
    notification = Notification.objects.create(
        recipient=user, kind=TEST.code, event_key=f"test:{user.pk}", text="测试", created_at=now
    )
    return Delivery.objects.create(
        notification=notification,
        channel="email",
        kind=TEST.code,
        event_key=notification.event_key,
        text="测试",
        next_attempt_at=now,
        created_at=now,
    )


@pytest.mark.django_db
def test_a_delivery_handed_out_twice_is_sent_once() -> None:
    delivery = _pending(_person("wang"))
    assert delivery_send(delivery.pk) == Delivery.Status.SENT
    assert delivery_send(delivery.pk) == ""  # a duplicate task, or the upkeep, finds it taken
    assert notifications_upkeep().sent == 0
    assert len(mail.outbox) == 1 and delivery.attempt_log.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_delivery_at_once_send_it_once() -> None:
    delivery = _pending(_person("wang"))
    statuses: list[str] = []

    def work(barrier: threading.Barrier) -> None:
        barrier.wait()
        statuses.append(delivery_send(delivery.pk))

    race = all_at_once([work] * 4)
    assert race.wins == 4 and sorted(statuses) == ["", "", "", Delivery.Status.SENT]
    assert len(mail.outbox) == 1 and delivery.attempt_log.count() == 1


@pytest.mark.django_db
def test_a_failed_try_is_deferred_to_its_next_attempt_when_the_task_backend_can(
    settings: Settings, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.SMS_BACKEND = "lianxin.core.sms.GatewayBackend"
    settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_SECRET = "http://127.0.0.1:9/sms", "s"
    zhao = User.objects.create_user(username="zhao", password="x-lianxin-9", mobile="13800001111")
    delivery = _pending(zhao)
    Delivery.objects.filter(pk=delivery.pk).update(channel="sms")
    backend = delivery_send_task.get_backend()
    result = delivery_send_task.call(delivery.pk)
    delivery.refresh_from_db()
    assert result == Delivery.Status.PENDING
    [queued] = backend.results  # type: ignore[attr-defined]
    assert queued.task.run_after == delivery.next_attempt_at and queued.args == [delivery.pk]
    # the upkeep leaves a deferred try to the workers for a while
    with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=30), tick=False):
        assert notifications_upkeep().retrying == 0


@pytest.mark.django_db
def test_the_upkeep_runs_as_a_command_and_as_a_task() -> None:
    _pending(_person("wang"))
    out = StringIO()
    call_command("notifications_upkeep", stdout=out)
    assert out.getvalue().startswith("1 sent, 0 digest(s)")
    assert notifications_upkeep_task.call() == {
        "requeued": 0,
        "released": 0,
        "sent": 0,
        "retrying": 0,
        "failed": 0,
        "digests": 0,
    }


@pytest.mark.django_db
def test_a_text_retried_into_quiet_hours_waits_for_the_morning(settings: Settings) -> None:
    zhao = User.objects.create_user(username="zhao", password="x-lianxin-9", mobile="13800001111")
    with time_machine.travel(_at(7, 21, 58), tick=False) as clock:
        delivery = _pending(zhao)
        Delivery.objects.filter(pk=delivery.pk).update(channel="sms")
        settings.SMS_BACKEND = "lianxin.core.sms.GatewayBackend"
        settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_SECRET = "http://127.0.0.1:9/sms", "s"
        assert delivery_send(delivery.pk) == Delivery.Status.PENDING  # failed at 21:58, next try 21:59
        settings.SMS_BACKEND = "lianxin.core.sms.LocmemBackend"
        clock.move_to(_at(7, 22, 0))
        assert notifications_upkeep().sent == 0 and not sms.outbox
        delivery.refresh_from_db()
        assert (delivery.status, delivery.next_attempt_at) == (Delivery.Status.HELD, _at(8, 7, 0))
        clock.move_to(_at(8, 7, 0))
        assert notifications_upkeep().sent == 1 and len(sms.outbox) == 1

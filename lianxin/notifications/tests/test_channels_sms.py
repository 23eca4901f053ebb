"""Text messages through a real HTTP server playing the SMS gateway, which checks the signature."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from pytest_django.fixtures import Settings

from lianxin.accounts.models import User
from lianxin.core import sms
from lianxin.notifications.kinds import TEST
from lianxin.notifications.models import Delivery
from lianxin.notifications.services import notify
from lianxin.notifications.tests.conftest import CommitCallbacks
from lianxin.notifications.tests.servers import FarEnd, closed_port_url, far_end
from lianxin.notifications.upkeep import notifications_upkeep
from lianxin.residents.models import MobileCode
from lianxin.residents.services import CODE_TEMPLATE, mobile_code_send

__all__ = ["far_end"]  # the fixture, used by name
pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
MOBILE = "13800001111"


def _person() -> User:
    return User.objects.create_user(username="zhao", password="x-lianxin-9", mobile=MOBILE)


def _text(event: str, callbacks: CommitCallbacks) -> Delivery:
    person = _person()
    with callbacks(execute=True):
        notify(kind=TEST, recipients=[person], event=event, url="/orders/3/")
    delivery: Delivery = Delivery.objects.get(channel="sms")
    return delivery


def test_a_text_is_a_signed_json_post_with_its_template_and_the_gateways_answer_is_kept(
    far_end: FarEnd, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    delivery = _text("test:sms", django_capture_on_commit_callbacks)
    [request] = far_end.received
    body = request.json()
    assert set(body) == {"mobile", "template", "params", "text", "id", "timestamp"}
    assert (body["mobile"], body["template"], body["id"]) == (MOBILE, "LX_TEST", f"delivery-{delivery.pk}")
    assert body["text"] == delivery.text and request.headers["content-type"].startswith("application/json")
    assert request.headers["x-lianxin-signature"].startswith("sha256=")
    assert delivery.status == Delivery.Status.SENT
    assert json.loads(delivery.answer) == {"ok": True, "id": f"gw-delivery-{delivery.pk}"}


def test_a_wrong_secret_is_refused_by_the_gateway_and_the_reason_is_kept(
    far_end: FarEnd, settings: Settings, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    settings.SMS_GATEWAY_SECRET = "not-the-gateways"
    delivery = _text("test:wrong-secret", django_capture_on_commit_callbacks)
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    assert delivery.last_error == "SMS gateway answered HTTP 401: " + json.dumps(
        {"ok": False, "error": "bad signature"}
    )


def test_a_gateway_error_is_retried_after_the_back_off_and_every_try_is_logged(
    far_end: FarEnd, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    far_end.script = [(500, "internal error"), (200, json.dumps({"ok": False, "error": "template not approved"}))]
    with time_machine.travel(datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI), tick=False) as clock:
        delivery = _text("test:flaky", django_capture_on_commit_callbacks)
        clock.shift(60)
        notifications_upkeep()
        clock.shift(5 * 60)
        notifications_upkeep()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 3)
    assert [(a.ok, a.detail[:40]) for a in delivery.attempt_log.order_by("at")] == [
        (False, "SMS gateway answered HTTP 500: internal "),
        (False, "SMS gateway refused the message: templat"),
        (True, delivery.answer[:40]),
    ]
    assert len({r.json()["id"] for r in far_end.received}) == 1  # a retry keeps the id: the gateway may drop repeats


def test_a_gateway_that_cannot_be_reached_is_a_failed_try(
    settings: Settings, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    settings.SMS_BACKEND = "lianxin.core.sms.GatewayBackend"
    settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_SECRET = closed_port_url("/sms"), "s"
    delivery = _text("test:unreachable", django_capture_on_commit_callbacks)
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.last_error.startswith("SMS gateway unreachable:") and "refused" in delivery.last_error.lower()


def test_a_residents_one_time_code_goes_through_the_gateway_with_its_own_template(far_end: FarEnd) -> None:
    row = mobile_code_send(mobile=MOBILE, purpose=MobileCode.Purpose.REGISTER, ip_address="10.0.0.1")
    [request] = far_end.received
    body = request.json()
    assert (body["template"], body["params"]["minutes"], body["id"]) == (CODE_TEMPLATE, "10", f"code-{row.pk}")
    assert len(body["params"]["code"]) == 6 and body["params"]["code"] in body["text"]


def test_a_code_the_gateway_did_not_take_is_a_clear_error_and_nothing_is_kept(far_end: FarEnd) -> None:
    far_end.script = [(503, "busy")]
    with pytest.raises(ValidationError) as refused:
        mobile_code_send(mobile=MOBILE, purpose=MobileCode.Purpose.REGISTER, ip_address="10.0.0.1")
    assert refused.value.code == "sms_failed" and "Try again in a minute" in refused.value.messages[0]
    assert not MobileCode.objects.exists()
    mobile_code_send(mobile=MOBILE, purpose=MobileCode.Purpose.REGISTER, ip_address="10.0.0.1")  # no cooldown
    assert MobileCode.objects.count() == 1


def test_the_console_and_the_test_outbox_take_a_template_too() -> None:
    sms.outbox.clear()
    answer = sms.send_sms(mobile=MOBILE, text="验证码 1", template="LX_MOBILE_CODE", params={"code": "1"})
    assert answer == "kept in the test outbox"
    assert sms.outbox == [sms.Message(mobile=MOBILE, text="验证码 1", template="LX_MOBILE_CODE", params={"code": "1"})]

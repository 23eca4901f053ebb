"""Group robots: DingTalk (signed) and WeCom, posted to a real HTTP server that checks them like the real ones."""

import base64
import hashlib
import hmac
import json
from datetime import datetime
from urllib.parse import unquote_plus
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

from conftest import City
from lianxin.notifications.channels import BACKOFF
from lianxin.notifications.kinds import TEST
from lianxin.notifications.models import Delivery, GroupRobot
from lianxin.notifications.robots import dingtalk_sign, dingtalk_url
from lianxin.notifications.services import notify
from lianxin.notifications.tests.conftest import CommitCallbacks
from lianxin.notifications.tests.servers import DINGTALK_SECRET, FarEnd, far_end
from lianxin.notifications.upkeep import notifications_upkeep

__all__ = ["far_end"]  # the fixture, used by name
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _robot(city: City, far: FarEnd, platform: str, *, secret: str = "", key: str = "") -> GroupRobot:
    path = (
        "/robot/send?access_token=tok"
        if platform == GroupRobot.Platform.DINGTALK
        else f"/cgi-bin/webhook/send?key={key}"
    )
    return GroupRobot.objects.create(
        organization=city.east, platform=platform, name=platform, webhook_url=far.url + path, secret=secret
    )


def _site_language(text: Promise) -> str:
    """Messages leave in the site's language, whatever the language of the request that raised them."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def _post(city: City, callbacks: CommitCallbacks, event: str) -> None:
    with callbacks(execute=True):
        notify(kind=TEST, recipients=[], event=event, params={}, url="/orders/9/", organization=city.east)


def test_the_dingtalk_sign_is_the_documented_one() -> None:
    # DingTalk's documented example: the base64 of HMAC-SHA256("<ms>\n<secret>") keyed by the secret, URL-encoded.
    sign = dingtalk_sign("SECxyz", 1700000000000)
    digest = hmac.new(b"SECxyz", b"1700000000000\nSECxyz", hashlib.sha256).digest()
    assert base64.b64decode(unquote_plus(sign)) == digest
    assert dingtalk_url("https://oapi.dingtalk.com/robot/send?access_token=t", "", 1) == (
        "https://oapi.dingtalk.com/robot/send?access_token=t"
    )
    assert dingtalk_url("https://x/robot/send?access_token=t", "SECxyz", 1700000000000).endswith(
        f"&timestamp=1700000000000&sign={sign}"
    )


@pytest.mark.django_db
def test_a_signed_dingtalk_robot_and_a_wecom_robot_each_post_the_event_once(
    city: City, far_end: FarEnd, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    _robot(city, far_end, GroupRobot.Platform.DINGTALK, secret=DINGTALK_SECRET)
    _robot(city, far_end, GroupRobot.Platform.WECOM, key="wecom-key")
    _post(city, django_capture_on_commit_callbacks, "test:robots")
    _post(city, django_capture_on_commit_callbacks, "test:robots")  # the same event again: nothing more
    assert sorted(Delivery.objects.values_list("robot__platform", "status")) == [
        ("dingtalk", "sent"),
        ("wecom", "sent"),
    ]
    assert len(far_end.received) == 2
    by_path = {r.path: r.json() for r in far_end.received}
    ding = by_path["/robot/send"]
    assert ding["msgtype"] == "markdown" and ding["markdown"]["title"] == _site_language(TEST.label)
    assert "https://lianxin.example.cn/orders/9/" in ding["markdown"]["text"]
    wecom = by_path["/cgi-bin/webhook/send"]["markdown"]["content"]
    assert _site_language(TEST.text) in wecom
    assert all(json.loads(d.answer)["errcode"] == 0 for d in Delivery.objects.all())


@pytest.mark.django_db
def test_a_robot_that_answers_an_errcode_is_retried_with_back_off_until_it_fails(
    city: City, far_end: FarEnd, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    _robot(city, far_end, GroupRobot.Platform.DINGTALK, secret="SEC-not-the-robots")
    with time_machine.travel(datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI), tick=False) as clock:
        _post(city, django_capture_on_commit_callbacks, "test:wrong-sign")
        for wait in BACKOFF:
            clock.shift(wait)
            notifications_upkeep()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, len(BACKOFF) + 1)
    assert delivery.last_error == "DingTalk answered errcode 310000: sign not match"
    assert delivery.attempt_log.filter(ok=False).count() == len(BACKOFF) + 1 == len(far_end.received)


@pytest.mark.django_db
def test_a_wecom_robot_with_a_wrong_key_or_a_server_error_is_a_failed_try(
    city: City, far_end: FarEnd, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    _robot(city, far_end, GroupRobot.Platform.WECOM, key="stale")
    _post(city, django_capture_on_commit_callbacks, "test:wecom-key")
    assert Delivery.objects.get().last_error == "WeCom answered errcode 93000: invalid webhook url"
    far_end.script = [(502, "bad gateway")]
    Delivery.objects.update(next_attempt_at=Delivery.objects.get().created_at)
    notifications_upkeep()
    assert Delivery.objects.get().last_error == "WeCom answered HTTP 502: Bad Gateway"


@pytest.mark.django_db
def test_a_robot_switched_off_posts_nothing(
    city: City, far_end: FarEnd, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    robot = _robot(city, far_end, GroupRobot.Platform.WECOM, key="wecom-key")
    robot.active = False
    robot.save()
    _post(city, django_capture_on_commit_callbacks, "test:off")
    assert not Delivery.objects.exists() and not far_end.received

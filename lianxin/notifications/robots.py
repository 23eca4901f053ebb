"""Group robots: what an address and secret may be, and posting to DingTalk and WeCom.

An address and a secret are checked before they are kept: the platforms' own hosts, https, no
credentials. A webhook address is where staff messages leave the platform, so it must be the platform's: DingTalk
custom robots post to oapi.dingtalk.com, WeCom group robots to qyapi.weixin.qq.com. Tests and local
receivers set LIANXIN_ROBOT_HOSTS_ANY; plain http is accepted only with DEBUG. On screen an address
shows only its host and last four characters, since the rest is the robot's token.

Posting: both take a JSON POST to the robot's webhook address and answer ``{"errcode": 0, "errmsg": "ok"}``
when the message is in the group; any other errcode (a wrong signature, a keyword the robot
requires, sending too fast) is a failure, retried with back-off by channels.py.

- DingTalk (钉钉自定义机器人): ``{"msgtype": "markdown", "markdown": {"title": ..., "text": ...}}``
  to ``https://oapi.dingtalk.com/robot/send?access_token=...``. A robot with 加签 (signing)
  wants ``&timestamp=<ms>&sign=<sign>`` appended, where sign is the URL-encoded base64 of
  HMAC-SHA256 over ``"<timestamp>\\n<secret>"`` keyed by the secret; DingTalk refuses a
  timestamp more than an hour off.
- WeCom (企业微信群机器人): ``{"msgtype": "markdown", "markdown": {"content": ...}}`` to
  ``https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=...``.

Group messages carry the notification's text, which names no resident (services.scrub masks
any number that slipped in), and a link to the page, where scope applies.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lianxin.notifications.models import GroupRobot

# Where each platform's robots live; any other host is refused unless named in LIANXIN_ROBOT_HOSTS (a government
# deployment's own gateway) or LIANXIN_ROBOT_HOSTS_ANY is set (tests, local receivers).
ROBOT_HOSTS: dict[str, str] = {
    GroupRobot.Platform.DINGTALK: "oapi.dingtalk.com",
    GroupRobot.Platform.WECOM: "qyapi.weixin.qq.com",
}
MAX_WEBHOOK = 500
MAX_SECRET = 200


def webhook_checked(platform: str, url: str) -> str:
    """The webhook address as kept, or a ValidationError saying what is wrong with it."""
    url = (url or "").strip()
    if platform not in ROBOT_HOSTS:
        raise ValidationError(_("Choose DingTalk or WeCom."), code="platform")
    if not url or len(url) > MAX_WEBHOOK or not url.isprintable() or " " in url:
        raise ValidationError(
            _("Paste the robot's webhook address as the platform shows it (at most %(n)s characters).")
            % {"n": MAX_WEBHOOK},
            code="webhook",
        )
    parts = urlsplit(url)
    schemes = ("https", "http") if settings.DEBUG else ("https",)
    if parts.scheme not in schemes:
        raise ValidationError(_("A webhook address starts with https://."), code="webhook_scheme")
    if parts.username or parts.password or not parts.hostname:
        raise ValidationError(_("This is not a webhook address."), code="webhook")
    expected = ROBOT_HOSTS[platform]
    allowed = {expected, *getattr(settings, "LIANXIN_ROBOT_HOSTS", [])}
    if parts.hostname not in allowed and not getattr(settings, "LIANXIN_ROBOT_HOSTS_ANY", False):
        raise ValidationError(
            _("The address of a %(platform)s is on %(host)s.")
            % {"platform": GroupRobot.Platform(platform).label, "host": expected},
            code="webhook_host",
        )
    return url


def secret_checked(platform: str, secret: str) -> str:
    secret = (secret or "").strip()
    if secret and platform != GroupRobot.Platform.DINGTALK:
        raise ValidationError(_("Only DingTalk robots have a signing secret."), code="secret")
    if len(secret) > MAX_SECRET or not (secret.isascii() and secret.isprintable()):
        raise ValidationError(_("The signing secret is the SEC… text DingTalk shows."), code="secret")
    return secret


def webhook_masked(url: str) -> str:
    """The address as a screen shows it: scheme, host and the last four characters."""
    parts = urlsplit(url or "")
    if not parts.hostname:
        return "…"
    return f"{parts.scheme}://{parts.hostname}/…{url[-4:]}"


# ------------------------------------------------------------------ posting

TIMEOUT = 10
ANSWER_CHARS = 200


class RobotError(Exception):
    """The group robot did not post the message; the text says why."""


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's `sign` for a signed robot, already URL-encoded."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def dingtalk_url(webhook: str, secret: str, timestamp_ms: int | None = None) -> str:
    """The address to post to: the webhook, with timestamp and sign appended when the robot signs."""
    if not secret:
        return webhook
    stamp = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    joiner = "&" if "?" in webhook else "?"
    return f"{webhook}{joiner}timestamp={stamp}&sign={dingtalk_sign(secret, stamp)}"


def markdown(title: str, text: str, link: str) -> str:
    """The message as both robots show it: the title in bold, the text, the link to its page."""
    lines = [f"**{title}**", "", text]
    if link:
        lines += ["", f"[{link}]({link})"]
    return "\n".join(lines)


def _post(url: str, payload: dict[str, Any], platform: str) -> str:
    body = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            answer: str = response.read(4096).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        raise RobotError(f"{platform} answered HTTP {error.code}: {error.reason}") from error
    except (urllib.error.URLError, OSError) as error:
        raise RobotError(f"{platform} unreachable: {getattr(error, 'reason', error)}") from error
    try:
        data = json.loads(answer)
    except ValueError as error:
        raise RobotError(f"{platform} answered something that is not JSON: {answer[:80]!r}") from error
    if not isinstance(data, dict) or data.get("errcode") != 0:
        code = data.get("errcode") if isinstance(data, dict) else None
        message = data.get("errmsg", "") if isinstance(data, dict) else answer
        raise RobotError(f"{platform} answered errcode {code}: {message}"[:ANSWER_CHARS])
    return answer.strip()[:ANSWER_CHARS]


def dingtalk_send(*, webhook: str, secret: str, title: str, text: str, link: str) -> str:
    """Post to a DingTalk custom robot; returns its answer or raises RobotError."""
    payload = {"msgtype": "markdown", "markdown": {"title": title, "text": markdown(title, text, link)}}
    return _post(dingtalk_url(webhook, secret), payload, "DingTalk")


def wecom_send(*, webhook: str, title: str, text: str, link: str) -> str:
    """Post to a WeCom group robot; returns its answer or raises RobotError."""
    payload = {"msgtype": "markdown", "markdown": {"content": markdown(title, text, link)}}
    return _post(webhook, payload, "WeCom")

"""Posting to an organization's group chat: a DingTalk custom robot or a WeCom group robot.

Both take a JSON POST to the robot's webhook address and answer ``{"errcode": 0, "errmsg": "ok"}``
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

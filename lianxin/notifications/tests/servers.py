"""Real servers for the channel tests: an SMTP server (aiosmtpd) and an HTTP server that plays the
SMS gateway, a DingTalk robot and a WeCom robot, each checking the request the way the real one
does (the gateway and DingTalk check their signatures) and answering as it would.

A test may script the next answers (`far.script`) to make the far end fail: an HTTP status, a
JSON body that says no.
"""

import base64
import hashlib
import hmac
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from pytest_django.fixtures import Settings as SettingsWrapper

from config.settings.channels import email_settings

SMS_SECRET = "gateway-shared-secret"
DINGTALK_SECRET = "SEC0123456789abcdef"
SMTP_USER, SMTP_PASSWORD = "lianxin", "p@ss:word"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Mailbox:
    """What the SMTP server received, one parsed message per envelope."""

    messages: list[Message] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        self.messages.append(message_from_bytes(envelope.content))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"

    def authenticate(self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            SMTP_USER.encode(),
            SMTP_PASSWORD.encode(),
        )
        if ok:
            self.logins.append(SMTP_USER)
        return AuthResult(success=ok)


@pytest.fixture
def smtp_server(settings: SettingsWrapper) -> Iterator[Mailbox]:
    """A real SMTP server on a free port that wants a login; the settings point at it through LIANXIN_EMAIL_URL."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=mailbox.authenticate,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    url = f"smtp://{SMTP_USER}:{SMTP_PASSWORD.replace('@', '%40').replace(':', '%3A')}@127.0.0.1:{port}?timeout=5"
    for name, value in email_settings(url).items():
        setattr(settings, name, value)
    settings.DEFAULT_FROM_EMAIL = "连心 <noreply@lianxin.example.cn>"
    try:
        yield mailbox
    finally:
        controller.stop()


@dataclass
class Received:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class FarEnd:
    """The HTTP server's record of requests and the answers scripted for the next ones."""

    url: str
    received: list[Received] = field(default_factory=list)
    script: list[tuple[int, str]] = field(default_factory=list)

    def answer(self, request: Received) -> tuple[int, str]:
        if self.script:
            return self.script.pop(0)
        if request.path == "/sms":
            return _gateway_answer(request)
        if request.path == "/robot/send":
            return _dingtalk_answer(request)
        if request.path == "/cgi-bin/webhook/send":
            return _wecom_answer(request)
        return 404, "not found"


def _gateway_answer(request: Received) -> tuple[int, str]:
    """The gateway's check, as docs/notifications.md shows it: the signature, then the timestamp."""
    expected = "sha256=" + hmac.new(SMS_SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(request.headers.get("x-lianxin-signature", ""), expected):
        return 401, json.dumps({"ok": False, "error": "bad signature"})
    body = request.json()
    if abs(time.time() - body["timestamp"]) > 300:
        return 401, json.dumps({"ok": False, "error": "stale timestamp"})
    return 200, json.dumps({"ok": True, "id": f"gw-{body['id']}"})


def _dingtalk_answer(request: Received) -> tuple[int, str]:
    stamp, sign = request.query.get("timestamp", ""), request.query.get("sign", "")
    if "access_token" not in request.query:
        return 200, json.dumps({"errcode": 300001, "errmsg": "token is not exist"})
    if abs(time.time() * 1000 - int(stamp or 0)) > 3600_000:
        return 200, json.dumps({"errcode": 310000, "errmsg": "timestamp out of range"})
    digest = hmac.new(DINGTALK_SECRET.encode(), f"{stamp}\n{DINGTALK_SECRET}".encode(), hashlib.sha256).digest()
    if sign != base64.b64encode(digest).decode():
        return 200, json.dumps({"errcode": 310000, "errmsg": "sign not match"})
    if request.json().get("msgtype") not in ("markdown", "text"):
        return 200, json.dumps({"errcode": 40035, "errmsg": "invalid msgtype"})
    return 200, json.dumps({"errcode": 0, "errmsg": "ok"})


def _wecom_answer(request: Received) -> tuple[int, str]:
    if request.query.get("key") != "wecom-key":
        return 200, json.dumps({"errcode": 93000, "errmsg": "invalid webhook url"})
    payload = request.json()
    if payload.get("msgtype") != "markdown" or not payload["markdown"].get("content"):
        return 200, json.dumps({"errcode": 40008, "errmsg": "invalid message type"})
    return 200, json.dumps({"errcode": 0, "errmsg": "ok"})


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        # parse_qs undoes the URL encoding: DingTalk's sign arrives as the base64 it was made of.
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        request = Received(
            path=parts.path,
            query=query,
            headers={key.lower(): value for key, value in self.headers.items()},
            body=self.rfile.read(int(self.headers.get("Content-Length", "0"))),
        )
        self.server.far.received.append(request)
        status, answer = self.server.far.answer(request)
        data = answer.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    far: FarEnd


@pytest.fixture
def far_end(settings: SettingsWrapper) -> Iterator[FarEnd]:
    """A real HTTP server playing the SMS gateway (/sms) and both robots; SMS settings point at it."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.far = FarEnd(url=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "lianxin.core.sms.GatewayBackend"
    settings.SMS_GATEWAY_URL = f"{server.far.url}/sms"
    settings.SMS_GATEWAY_SECRET = SMS_SECRET
    settings.SMS_GATEWAY_TIMEOUT = 5
    try:
        yield server.far
    finally:
        server.shutdown()
        server.server_close()


def closed_port_url(path: str = "/") -> str:
    """An address where nothing listens: the connection is refused."""
    return f"http://127.0.0.1:{free_port()}{path}"

"""Delivery throughput of the notifications worker: e-mails a second to a local SMTP server (issue 14).

Usage:

    .venv/bin/python bench/notifications_throughput.py [--count 2000]
    createdb -h 127.0.0.1 -U postgres lianxin_bench_notify
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench_notify \
        .venv/bin/python bench/notifications_throughput.py

A scratch database (by default a fresh SQLite file, var/bench_notify.sqlite3) is migrated and
given N people with an e-mail address, each with one notification and one pending e-mail
delivery. An SMTP server (aiosmtpd) runs in this process on a free port. Timed, in one run:

- worker: `delivery_send` per delivery, as `delivery_send_task` runs it (claim, send over a new
  SMTP connection, attempt logged);
- batch: `deliveries_send` over the same deliveries again, one SMTP connection for all (what the
  upkeep uses);
- 4 workers: four threads with their own database connections, each walking every delivery (as
  four db_worker processes would if each were handed every task): each delivery goes out once;
- baselines: smtplib sending the same N messages, over one connection, and over one connection each.

Prints one JSON line per figure; results go to bench/results/notifications-<vendor>.json.
"""

import argparse
import json
import multiprocessing
import os
import smtplib
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH = ROOT / "var" / "bench_notify.sqlite3"
if not os.environ.get("DATABASE_URL"):
    SCRATCH.parent.mkdir(exist_ok=True)
    for leftover in SCRATCH.parent.glob(SCRATCH.name + "*"):
        leftover.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{SCRATCH}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import SMTP, Envelope, Session  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.mail import EmailMessage  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.common import RESULTS  # noqa: E402
from lianxin.accounts.models import User  # noqa: E402
from lianxin.notifications.channels import deliveries_send, delivery_send  # noqa: E402
from lianxin.notifications.kinds import TEST  # noqa: E402
from lianxin.notifications.models import Channel, Delivery, DeliveryAttempt, Notification  # noqa: E402

TEXT = "测试：订单 2026-0042 已派给您的服务队，请在 24 小时内接单。"


class Counter:
    """The SMTP server's handler: counts what it accepted, in a number shared with this process."""

    def __init__(self, received: Any) -> None:
        self.shared = received

    @property
    def received(self) -> int:
        value: int = self.shared.value
        return value

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self.shared.get_lock():
            self.shared.value += 1
        return "250 OK"


def _serve(counter: Counter, port: int, ready: Any) -> None:
    """The SMTP server's own process, so it never waits for this one's interpreter lock."""
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    while True:
        time.sleep(3600)


def _smtp_server(counter: Counter) -> tuple[Any, int]:
    with socket.socket() as probe:  # a free port (aiosmtpd cannot be told port 0)
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    context = multiprocessing.get_context("fork")
    ready = context.Event()
    process = context.Process(target=_serve, args=(counter, port, ready), daemon=True)
    process.start()
    if not ready.wait(30):
        raise RuntimeError("the SMTP server did not start")
    return process, port


def _people(count: int) -> list[int]:
    """N people with an address, each with a notification and a pending e-mail delivery; the deliveries' ids."""
    now = timezone.now()
    User.objects.filter(username__startswith="bench-").delete()
    users = User.objects.bulk_create(
        [User(username=f"bench-{n}", email=f"bench-{n}@example.cn", password="!") for n in range(count)]
    )
    notes = Notification.objects.bulk_create(
        [
            Notification(recipient=u, kind=TEST.code, event_key="bench", text=TEXT, url="/orders/42/", created_at=now)
            for u in users
        ]
    )
    rows = Delivery.objects.bulk_create(
        [
            Delivery(
                notification=n,
                channel=Channel.EMAIL,
                kind=TEST.code,
                event_key="bench",
                text=TEXT,
                url="/orders/42/",
                next_attempt_at=now,
                created_at=now,
            )
            for n in notes
        ]
    )
    return [row.pk for row in rows]


def _reset(ids: list[int]) -> None:
    DeliveryAttempt.objects.filter(delivery_id__in=ids).delete()
    pending = Delivery.Status.PENDING
    Delivery.objects.filter(pk__in=ids).update(status=pending, attempts=0, next_attempt_at=timezone.now())


def _timed(name: str, count: int, server: Counter, fn: Callable[[], Any]) -> dict[str, Any]:
    before = server.received
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    received = server.received - before
    assert received == count, f"{name}: the server received {received} of {count}"
    return {"figure": name, "messages": count, "seconds": round(seconds, 2), "per_second": round(count / seconds, 1)}


def _workers(ids: list[int], workers: int) -> None:
    """`workers` threads (each its own database connection) all walking every delivery, as several
    db_worker processes handed the same tasks would: the claim lets each delivery out once."""

    def walk(offset: int) -> None:
        try:
            for delivery_id in ids[offset:] + ids[:offset]:
                delivery_send(delivery_id)
        finally:
            connection.close()

    threads = [threading.Thread(target=walk, args=(n * len(ids) // workers,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _raw(count: int, port: int, reuse: bool) -> None:
    """The baseline: the same messages (as Django renders them) sent with smtplib alone."""
    message = EmailMessage(subject=str(TEST.label), body=TEXT, to=["x@example.cn"]).message().as_bytes()
    client = smtplib.SMTP("127.0.0.1", port) if reuse else None
    for n in range(count):
        if client is None:
            with smtplib.SMTP("127.0.0.1", port) as one:
                one.sendmail(settings.DEFAULT_FROM_EMAIL, [f"bench-{n}@example.cn"], message)
        else:
            client.sendmail(settings.DEFAULT_FROM_EMAIL, [f"bench-{n}@example.cn"], message)
    if client is not None:
        client.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2000)
    count = parser.parse_args().count
    server = Counter(multiprocessing.get_context("fork").Value("i", 0))
    process, port = _smtp_server(server)
    call_command("migrate", verbosity=0)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 10
    try:
        ids = _people(count)
        figures = [_timed("worker: delivery_send per delivery", count, server, lambda: [delivery_send(i) for i in ids])]
        assert Delivery.objects.filter(pk__in=ids, status=Delivery.Status.SENT).count() == count
        _reset(ids)
        figures.append(_timed("batch: deliveries_send, one connection", count, server, lambda: deliveries_send(ids)))
        _reset(ids)
        figures.append(_timed("4 workers, each walking every delivery", count, server, lambda: _workers(ids, 4)))
        assert DeliveryAttempt.objects.filter(delivery_id__in=ids).count() == count  # one try each: none sent twice
        figures.append(_timed("baseline: smtplib, one connection", count, server, lambda: _raw(count, port, True)))
        figures.append(_timed("baseline: smtplib, a connection each", count, server, lambda: _raw(count, port, False)))
    finally:
        process.kill()
    RESULTS.mkdir(exist_ok=True)
    for figure in figures:
        figure["database"] = connection.vendor
        print(json.dumps(figure, ensure_ascii=False))
    (RESULTS / f"notifications-{connection.vendor}.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

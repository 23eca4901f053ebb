"""The calendar feed writer (lianxin.core.ical) beside the `icalendar` package writing the same 1,000 events.

Usage:

    .venv/bin/python bench/ical_writer.py [--events 1000] [--runs 5]

Both outputs are read back with icalendar's parser and compared, so that the two write the
same calendar.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from icalendar import Calendar, Event

from lianxin.core.ical import PRODID_SESSIONS, CalendarEvent, calendar_text

NOW = datetime(2026, 12, 6, tzinfo=UTC)


def sample(count: int) -> list[CalendarEvent]:
    return [
        CalendarEvent(
            uid=f"session-{i}@lianxin",
            starts_at=NOW + timedelta(hours=i),
            ends_at=NOW + timedelta(hours=i + 2),
            summary=f"义诊服务第{i}场，欢迎参加; 带上身份证, 医保卡",
            location="城区 幸福小区中心广场",
            description=f"城区服务队\nhttps://lianxin.example.org/volunteering/sessions/{i}/",
            url=f"https://lianxin.example.org/volunteering/sessions/{i}/",
            last_modified=NOW,
            sequence=i,
            cancelled=i % 7 == 0,
        )
        for i in range(count)
    ]


def with_icalendar(events: list[CalendarEvent]) -> bytes:
    calendar = Calendar()
    for name, value in (
        ("prodid", PRODID_SESSIONS),
        ("version", "2.0"),
        ("calscale", "GREGORIAN"),
        ("method", "PUBLISH"),
        ("x-wr-calname", "我的服务"),
        ("x-wr-timezone", "Asia/Shanghai"),
    ):
        calendar.add(name, value)
    for e in events:
        event = Event()
        event.add("uid", e.uid)
        event.add("dtstamp", NOW)
        event.add("dtstart", e.starts_at)
        event.add("dtend", e.ends_at)
        event.add("summary", e.summary)
        event.add("location", e.location)
        event.add("description", e.description)
        event.add("url", e.url)
        event.add("last-modified", e.last_modified)
        event.add("sequence", e.sequence)
        event.add("status", "CANCELLED" if e.cancelled else "CONFIRMED")
        calendar.add_component(event)
    written: bytes = calendar.to_ical()
    return written


def by_hand(events: list[CalendarEvent]) -> bytes:
    return calendar_text(name="我的服务", events=events, now=NOW, prodid=PRODID_SESSIONS).encode()


def _summary(feed: bytes) -> list[tuple[str, str, datetime, str]]:
    return [
        (str(e["UID"]), str(e["SUMMARY"]), e.decoded("DTSTART"), str(e["DESCRIPTION"]))
        for e in Calendar.from_ical(feed).walk("VEVENT")
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    events = sample(args.events)
    writers: dict[str, Callable[[list[CalendarEvent]], bytes]] = {"by hand": by_hand, "icalendar": with_icalendar}
    assert _summary(by_hand(events)) == _summary(with_icalendar(events)), "the two feeds differ"
    print(f"{args.events} events, {args.runs} runs each\n")
    print("| writer | median ms | best ms | bytes |")
    print("|---|---:|---:|---:|")
    for name, write in writers.items():
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            feed = write(events)
            times.append((time.perf_counter() - started) * 1000)
        print(f"| {name} | {statistics.median(times):.0f} | {min(times):.0f} | {len(feed):,} |")


if __name__ == "__main__":
    main()

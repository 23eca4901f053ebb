"""How many messages the demo city's day produces, per role and per channel (issue 14).

Usage, on a database built by `seed_demo` (the small demo, or the city at `--scale city`):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_notify_city .venv/bin/python bench/notifications_day.py

The demo raises notifications through the services on each record's day, then runs this morning's
reminders. This reads, for each of the last N whole days before today (default 7) and for today's
morning run, the notifications written and the deliveries planned by channel (each day's e-mails
and texts stand "not sent" in the demo, but were planned by each person's defaults), grouped by the
recipient's role (the highest they hold). Prints a table; the JSON goes to
bench/results/notifications-day-<vendor>.json.
"""

import argparse
import json
import os
import sys
from collections import Counter, defaultdict
from datetime import datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.common import RESULTS  # noqa: E402
from lianxin.accounts.models import RoleAssignment  # noqa: E402
from lianxin.notifications.models import Delivery, Notification  # noqa: E402

Role = RoleAssignment.Role
# A person counts under the highest role they hold.
RANK: list[str] = [Role.CITY_ADMIN, Role.ORG_ADMIN, Role.HANDLER, Role.TEAM_LEADER, Role.MEMBER, Role.RESIDENT]


def roles_by_user() -> dict[int, str]:
    best: dict[int, str] = {}
    for user_id, role in RoleAssignment.objects.values_list("user_id", "role"):
        if user_id not in best or RANK.index(role) < RANK.index(best[user_id]):
            best[user_id] = role
    return best


def day_counts(start: datetime, end: datetime, roles: dict[int, str]) -> dict[str, dict[str, int]]:
    """Per role: notifications, distinct people told, and deliveries planned per channel."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    people: dict[str, set[int]] = defaultdict(set)
    for user_id in Notification.objects.filter(created_at__gte=start, created_at__lt=end).values_list(
        "recipient_id", flat=True
    ):
        role = roles.get(user_id, "none")
        counts[role]["notifications"] += 1
        people[role].add(user_id)
    planned = Delivery.objects.filter(created_at__gte=start, created_at__lt=end)
    for user_id, channel in planned.filter(notification__isnull=False).values_list(
        "notification__recipient_id", "channel"
    ):
        counts[roles.get(user_id, "none")][channel] += 1
    counts["group robots"]["robot"] += planned.filter(channel="robot").count()
    counts["residents without an account"]["sms"] += planned.filter(
        notification__isnull=True, robot__isnull=True
    ).count()
    for role, told in people.items():
        counts[role]["people"] = len(told)
    return {role: dict(c) for role, c in counts.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=7)
    args = parser.parse_args()
    roles = roles_by_user()
    today = timezone.localdate()
    midnight = timezone.make_aware(datetime.combine(today, time(0, 0)))
    days = {}
    for back in range(args.days, 0, -1):
        start = midnight - timedelta(days=back)
        days[(today - timedelta(days=back)).isoformat()] = day_counts(start, start + timedelta(days=1), roles)
    days[f"{today.isoformat()} (morning run)"] = day_counts(midnight, timezone.now() + timedelta(hours=1), roles)
    people = Counter(roles.values())
    result = {"vendor": connection.vendor, "accounts_by_role": dict(people), "days": days}
    for day, by_role in days.items():
        print(day)
        for role, c in sorted(by_role.items()):
            told = c.get("people", 0)
            per = f"{c.get('notifications', 0) / told:.1f}" if told else "-"
            print(
                f"  {role:28} notifications {c.get('notifications', 0):6}  people {told:5} (of {people.get(role, 0):6})"
                f"  per person {per:>5}  e-mail {c.get('email', 0):5}  sms {c.get('sms', 0):5}"
                f"  robot {c.get('robot', 0):4}"
            )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"notifications-day-{connection.vendor}.json").write_text(
        json.dumps(result, indent=1, ensure_ascii=False)
    )


if __name__ == "__main__":
    main()

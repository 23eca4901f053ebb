"""Volunteer hours from a length of time, by a configurable rounding rule.

The common rule (民政部令第67号 practice, docs/domain-rules.md §5) counts every whole hour and
rounds what is left of the last started hour: up to 15 minutes counts 0 h, up to 45
minutes 0.5 h, up to 60 minutes 1 h. A city may set its own steps in the setting
LIANXIN_HOUR_ROUNDING: a list of (minutes, hours) pairs, read as "a remainder up to
`minutes` (inclusive) counts `hours`", with increasing minutes and the last at 60.
"""

from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_HOUR_ROUNDING: tuple[tuple[int, str], ...] = ((15, "0"), (45, "0.5"), (60, "1"))

Rule = tuple[tuple[int, Decimal], ...]


def _parse_rule(raw: Sequence[Sequence[object]]) -> Rule:
    steps: list[tuple[int, Decimal]] = []
    previous_minutes, previous_hours = 0, Decimal("0")
    for step in raw:
        minutes, hours = int(str(step[0])), Decimal(str(step[1]))
        if minutes <= previous_minutes or hours < previous_hours or hours > 1:
            raise ImproperlyConfigured(
                "LIANXIN_HOUR_ROUNDING needs increasing minutes and non-decreasing hours between 0 and 1."
            )
        steps.append((minutes, hours))
        previous_minutes, previous_hours = minutes, hours
    if not steps or steps[-1][0] != 60:
        raise ImproperlyConfigured("LIANXIN_HOUR_ROUNDING must end with the step for 60 minutes.")
    return tuple(steps)


def hour_rounding_rule() -> Rule:
    return _parse_rule(getattr(settings, "LIANXIN_HOUR_ROUNDING", DEFAULT_HOUR_ROUNDING))


def rounded_hours(duration: timedelta, *, cap: timedelta | None = None) -> Decimal:
    """Hours credited for `duration` (at most `cap`): whole hours, plus the rule's step for the rest."""
    if cap is not None and duration > cap:
        duration = cap
    seconds = max(int(duration.total_seconds()), 0)
    whole, rest = divmod(seconds, 3600)
    credited = Decimal(whole)
    if rest:
        for minutes, hours in hour_rounding_rule():
            if rest <= minutes * 60:
                credited += hours
                break
    return credited

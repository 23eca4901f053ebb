"""Year-months as the dues ledger counts them: a month is the date of its first day."""

from datetime import date


def month_of(day: date) -> date:
    """The month `day` falls in, as its first day."""
    return day.replace(day=1)


def month_index(month: date) -> int:
    """A month as a count of months since year 0, so that months subtract."""
    return month.year * 12 + month.month - 1


def month_from_index(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def month_add(month: date, months: int) -> date:
    return month_from_index(month_index(month) + months)


def months_between(first: date, last: date) -> int:
    """How many months from `first` to `last`, both included (0 when `last` is before `first`)."""
    return max(0, month_index(last) - month_index(first) + 1)


def months_behind_on(paid_through: date, on: date) -> int:
    """Whole months unpaid as of `on`: from the month after `paid_through` up to and including
    the month before `on`'s month (a month's dues fall due within the month, so the current
    month is never behind). 0 when paid up, or paid ahead."""
    return max(0, month_index(month_of(on)) - month_index(month_of(paid_through)) - 1)


def year_month(month: date | None) -> str:
    """A month as people write it on a receipt: 2026-03."""
    return f"{month.year:04d}-{month.month:02d}" if month else ""

"""Working days: Monday to Friday, less public holidays, plus weekend days worked in exchange
(调休), as entered in the holiday calendar (core.Holiday). Demand deadlines and publicity
periods are counted with it."""

from datetime import date, timedelta

from lianxin.core.models import Holiday


class Calendar:
    """The exceptions for a range of dates, loaded once."""

    def __init__(self, start: date, end: date) -> None:
        rows = Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_workday")
        self.exceptions: dict[date, bool] = dict(rows)

    def is_working_day(self, day: date) -> bool:
        if day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself does not count)."""
    if days < 0:
        raise ValueError("days must not be negative")
    # Long national holidays are at most about ten days; three times the span is plenty.
    calendar = Calendar(start, start + timedelta(days=days * 3 + 21))
    day, left = start, days
    while left:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            left -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """How many working days lie after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    calendar = Calendar(start, end)
    return sum(1 for n in range(1, (end - start).days + 1) if calendar.is_working_day(start + timedelta(days=n)))

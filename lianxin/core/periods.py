"""A span of days, the one way every app speaks of "a period": figures, boards, notices, feedback.

`Period(start, end)` includes both days. Its constructors name the spans people use
(a month, a quarter, a year, this year so far); `bounds` is the half-open interval of
aware datetimes in the site's time zone that a query compares timestamps with, and
`period_from` reads one from two YYYY-MM-DD strings with a clear message for bad input.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from lianxin.core.params import validate_date_in_range

# The longest period one request may ask for: ten years is already every record there is.
MAX_PERIOD_DAYS = 3660
_QUARTER = re.compile(r"^\s*(\d{4})\s*[Qq]\s*([1-4])\s*$")


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included

    # ----------------------------------------------------------------- constructors
    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        following = date(year + month // 12, month % 12 + 1, 1)
        return cls(date(year, month, 1), following - timedelta(days=1))

    @classmethod
    def quarter(cls, year: int, number: int) -> "Period":
        start = date(year, 3 * number - 2, 1)
        following = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
        return cls(start, following - timedelta(days=1))

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def quarter_of(cls, day: date) -> "Period":
        return cls.quarter(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def month_of(cls, day: date) -> "Period":
        return cls.month(day.year, day.month)

    @classmethod
    def year_so_far(cls, today: date | None = None) -> "Period":
        today = today or timezone.localdate()
        return cls(date(today.year, 1, 1), today)

    @classmethod
    def last_month(cls, today: date | None = None) -> "Period":
        today = today or timezone.localdate()
        return cls.month_of(today.replace(day=1) - timedelta(days=1))

    # ----------------------------------------------------------------- reading
    @property
    def bounds(self) -> tuple[datetime, datetime]:
        """[start 00:00, the day after end 00:00) in the site's time zone."""
        tz = timezone.get_default_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz),
        )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def query(self) -> dict[str, str]:
        """The period as the query string of a page (?from=…&to=…)."""
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}

    @property
    def is_quarter(self) -> bool:
        return self == Period.quarter_of(self.start)

    @property
    def quarter_number(self) -> int:
        return (self.start.month - 1) // 3 + 1

    @property
    def quarter_code(self) -> str:
        """'2026Q3' for the third quarter of 2026."""
        return f"{self.start.year}Q{self.quarter_number}"

    @property
    def quarter_label(self) -> str:
        return _("Q%(number)d %(year)d") % {"number": self.quarter_number, "year": self.start.year}

    @property
    def is_month(self) -> bool:
        return self == Period.month_of(self.start)

    def year_before(self) -> "Period":
        """The same days a year earlier (同比); 29 February becomes the 28th."""
        return Period(_year_earlier(self.start), _year_earlier(self.end))

    def just_before(self) -> "Period | None":
        """The month or quarter before a whole month or quarter (环比); None for any other span,
        whose "period before" would mean nothing (a year's is the year before: 同比)."""
        if self.is_month:
            return Period.month_of(self.start - timedelta(days=1))
        if self.is_quarter:
            return Period.quarter_of(self.start - timedelta(days=1))
        return None

    def months(self) -> list["Period"]:
        """The calendar months the period touches, each cut to the period: the bars of a trend."""
        found = []
        start = self.start
        while start <= self.end:
            month = Period.month_of(start)
            found.append(Period(start, min(month.end, self.end)))
            start = month.end + timedelta(days=1)
        return found

    def previous_quarter(self) -> "Period":
        return Period.quarter_of(self.start - timedelta(days=1)) if self.is_quarter else Period.quarter_of(self.start)


def _year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def parse_quarter(text: str) -> Period:
    """'2026Q3' (or '2026q3') → the third quarter of 2026; anything else, a clear error."""
    match = _QUARTER.match(text or "")
    if match is None:
        raise ValidationError(
            _("Give the quarter as year and quarter, e.g. 2026Q3; %(value)s is not one.") % {"value": text},
            code="quarter",
        )
    return Period.quarter(int(match[1]), int(match[2]))


def period_from(start: str | None, end: str | None, *, default: Period | None = None) -> Period:
    """Read a period from two YYYY-MM-DD strings; either may be empty (`default`: this year so far)."""
    fallback = default or Period.year_so_far()
    dates: list[date] = []
    for raw, fallback_day, label in ((start, fallback.start, _("First day")), (end, fallback.end, _("Last day"))):
        raw = (raw or "").strip()
        if not raw:
            dates.append(fallback_day)
            continue
        try:
            parsed = parse_date(raw)
        except ValueError:
            parsed = None
        if parsed is None:
            raise ValidationError(
                _("%(field)s: “%(value)s” is not a date; write it as YYYY-MM-DD.") % {"field": label, "value": raw},
                code="bad_date",
            )
        validate_date_in_range(parsed)
        dates.append(parsed)
    period = Period(dates[0], dates[1])
    if period.end < period.start:
        raise ValidationError(_("The period ends before it starts."), code="reversed_period")
    if (period.end - period.start).days > MAX_PERIOD_DAYS:
        raise ValidationError(_("A period may be at most ten years long."), code="period_too_long")
    return period

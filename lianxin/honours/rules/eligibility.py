"""The rules of honours, each with its boundary.

- 两优一先 eligibility warns, never blocks: a nominee who is not a full member, who may be under
  discipline (the nominator did not confirm that no disciplinary action is in force: the roster
  keeps no discipline record), whose dues are in arrears, or who was already honoured this year.
- Publicity (公示) lasts at least 5 working days of the holiday calendar, the first day counted
  when it is a working day; the round is approved only after its last day.
- 光荣在党50年: a living full member whose party age, counted from the date they became a full
  member (转正日期), reaches 50 years by 1 July of the year; 1 July itself counts.
"""

from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from lianxin.core.workdays import add_working_days

PUBLICITY_MIN_WORKING_DAYS = 5
PUBLICITY_MAX_WORKING_DAYS = 30
MEDAL_PARTY_YEARS = 50

NOT_FULL_MEMBER = "not_full_member"
DISCIPLINE_NOT_CONFIRMED = "discipline_not_confirmed"
DUES_IN_ARREARS = "dues_in_arrears"
ALREADY_HONOURED = "already_honoured"

# Each warning code with the reason shown beside the nomination.
WARNINGS = {
    NOT_FULL_MEMBER: _("not a full member"),
    DISCIPLINE_NOT_CONFIRMED: _("no confirmation that no disciplinary action is in force"),
    DUES_IN_ARREARS: _("dues in arrears"),
    ALREADY_HONOURED: _("already honoured this year"),
}


def warning_labels(codes: list[str]) -> list[str]:
    return [str(WARNINGS.get(code, code)) for code in codes]


def publicity_ends_on(starts_on: date, working_days: int) -> date:
    """The last day of a publicity of `working_days` working days that opens on `starts_on`."""
    return add_working_days(starts_on - timedelta(days=1), working_days)


def medal_cutoff(year: int) -> date:
    """Members who became full members on or before this date reach 50 years by 1 July of `year`."""
    return date(year - MEDAL_PARTY_YEARS, 7, 1)

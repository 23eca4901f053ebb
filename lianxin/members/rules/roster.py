"""Roster rules: each one names its source and whether it blocks or only warns.

Blocking rules reject a record (in a form, the API or an import row); warnings are
shown on the member's page and in lists, never enforced by the system. Localities may
override the numbers through settings.LIANXIN_RULES, e.g. {"probation_months": 12}.
"""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.members.models import Member, whole_years_between


@dataclass(frozen=True)
class Rule:
    code: str
    title: Any
    source: str
    blocks: bool
    value: int


RULES = {
    rule.code: rule
    for rule in [
        Rule(
            "min_age_to_apply", gettext_lazy("Applicants are at least 18 years old"), "发展党员工作细则 第5条", True, 18
        ),
        Rule("probation_months", gettext_lazy("Probation lasts one year"), "党章 第7条", False, 12),
        Rule(
            "full_approval_months",
            gettext_lazy("Full membership is decided within 3 months of probation ending"),
            "发展党员工作细则 第34条",
            False,
            3,
        ),
        Rule("lost_contact_months", gettext_lazy("Lost contact for 6 months"), "中组部 失联党员处置意见", False, 6),
        Rule("medal_party_age", gettext_lazy("光荣在党50年 medal at party age 50 by 1 July"), "中组部 2021", False, 50),
    ]
}


def rule_value(code: str) -> int:
    overrides: dict[str, int] = getattr(settings, "LIANXIN_RULES", {})
    return overrides.get(code, RULES[code].value)


def add_months(d: date, months: int) -> date:
    month_index = d.year * 12 + d.month - 1 + months
    year, month = divmod(month_index, 12)
    # 31 January + 1 month is the last day of February, as people count it.
    return date(year, month + 1, min(d.day, monthrange(year, month + 1)[1]))


@dataclass
class MemberDates:
    birth_date: date
    category: str
    applied_on: date | None = None
    activist_on: date | None = None
    candidate_on: date | None = None
    joined_on: date | None = None
    full_on: date | None = None


# Translated only when a message names them: an import checks every row, and most rows are right.
DATE_LABELS = {
    "applied_on": gettext_lazy("application date"),
    "activist_on": gettext_lazy("activist date"),
    "candidate_on": gettext_lazy("development candidate date"),
    "joined_on": gettext_lazy("joining date"),
    "full_on": gettext_lazy("full membership date"),
}


def date_errors(dates: MemberDates, today: date) -> list[str]:
    """Blocking checks on a member's key dates; each message names the fields."""
    errors: list[str] = []
    for field, label in DATE_LABELS.items():
        value = getattr(dates, field)
        if value and value > today:
            errors.append(_("The %(field)s %(date)s is in the future.") % {"field": label, "date": value})
    if dates.birth_date > today:
        errors.append(_("The date of birth is in the future."))
    min_age = rule_value("min_age_to_apply")
    for field in ("applied_on", "joined_on"):
        value = getattr(dates, field)
        if value and whole_years_between(dates.birth_date, value) < min_age:
            errors.append(
                _("The %(field)s %(date)s is before the %(age)sth birthday.")
                % {"field": DATE_LABELS[field], "date": value, "age": min_age}
            )
    if dates.full_on and dates.joined_on and dates.full_on < dates.joined_on:
        errors.append(
            _("Full membership (%(full)s) cannot come before joining (%(joined)s).")
            % {"full": dates.full_on, "joined": dates.joined_on}
        )
    if dates.full_on and not dates.joined_on:
        errors.append(_("A full membership date needs a joining date."))
    category = dates.category
    if category == Member.Category.PROBATIONARY:
        if dates.full_on:
            errors.append(_("A probationary member has no full membership date."))
        if not dates.joined_on:
            errors.append(_("A probationary member needs a joining date."))
    if category == Member.Category.FULL:
        if not dates.joined_on:
            errors.append(_("A full member needs a joining date."))
        if not dates.full_on:
            errors.append(_("A full member needs a full membership date."))
    pipeline_categories = (Member.Category.APPLICANT, Member.Category.ACTIVIST, Member.Category.CANDIDATE)
    if category in pipeline_categories and (dates.joined_on or dates.full_on):
        errors.append(_("Someone who has not joined yet has no joining or full membership date."))
    pipeline = [dates.applied_on, dates.activist_on, dates.candidate_on, dates.joined_on]
    present = [d for d in pipeline if d]
    if present != sorted(present):
        errors.append(_("The dates of application, activist, candidate and joining must be in that order."))
    return errors


@dataclass(frozen=True)
class Warning:
    code: str
    message: str


def probation_ends_on(member: Member, *, extended_months: int | None = None) -> date | None:
    """The expected full-membership date: a year from joining, plus an extended probation if one was
    recorded (党章 第7条). Lists select_related("probation_extension") to read it without a query a
    row, or read its months as a column and pass them (`extended_months`, 0 without an extension)."""
    if member.category != Member.Category.PROBATIONARY or not member.joined_on:
        return None
    if extended_months is None:
        try:
            extended_months = member.probation_extension.months
        except ObjectDoesNotExist:
            extended_months = 0
    return add_months(member.joined_on, rule_value("probation_months") + extended_months)


def member_warnings(member: Member, today: date, *, extended_months: int | None = None) -> list[Warning]:
    """What a member's record calls for (probation overdue, contact lost too long); `extended_months`
    as probation_ends_on takes it."""
    warnings: list[Warning] = []
    ends = probation_ends_on(member, extended_months=extended_months)
    if ends and today > add_months(ends, rule_value("full_approval_months")):
        warnings.append(
            Warning(
                "probation_overdue",
                _("Probation ended on %(date)s; full membership is overdue.") % {"date": ends},
            )
        )
    if member.is_lost_contact and member.lost_contact_since:
        months = rule_value("lost_contact_months")
        if today >= add_months(member.lost_contact_since, months):
            warnings.append(
                Warning(
                    "lost_contact",
                    _("Lost contact since %(date)s, more than %(months)s months.")
                    % {"date": member.lost_contact_since, "months": months},
                )
            )
    return warnings


def medal_year_reached(member: Member, year: int) -> bool:
    """Whether a living full member's party age reaches 50 by 1 July of `year`."""
    if member.category != Member.Category.FULL or not member.full_on:
        return False
    return whole_years_between(member.full_on, date(year, 7, 1)) >= rule_value("medal_party_age")

"""The cross-table checks of the yearly Party statistics, each passed or failed with the members that
break it (selectors/statistics.py says how members are counted): every breakdown sums to its total,
the year opens where the last one closed, the changes balance, and every member's history is dated."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.members.models import Member
from lianxin.members.selectors.statistics_tables import Changes, Grid, MemberTable

C = Member.Category
# Members listed under one check; beyond, the check says how many more.
MEMBER_LIMIT = 100


@dataclass(frozen=True)
class CheckedMember:
    pk: int
    name: str
    organization: str
    note: str


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    passed: bool
    detail: str
    members: tuple[CheckedMember, ...] = ()
    more: int = 0  # members beyond those listed


def checked_members(members: Iterable[Member], notes: dict[int, str]) -> tuple[CheckedMember, ...]:
    """`members` (with their organization) as a check lists them, each with its note."""
    return tuple(CheckedMember(m.pk, m.name, str(m.organization), notes.get(m.pk, "")) for m in members)


def _listed(qs: QuerySet[Member]) -> tuple[list[Member], int]:
    """The first MEMBER_LIMIT of `qs` in the tree's order, and how many more there are."""
    found = list(qs.select_related("organization").order_by("organization__path", "name", "pk")[: MEMBER_LIMIT + 1])
    more = qs.count() - MEMBER_LIMIT if len(found) > MEMBER_LIMIT else 0
    return found[:MEMBER_LIMIT], more


# A value outside the categories the tables count by: counted in the total and in no column.
UNKNOWN_VALUE = (
    ~Q(sex__in=Member.Sex.values)
    | ~Q(education__in=[*Member.Education.values, ""])
    | ~Q(occupation__in=[*Member.Occupation.values, ""])
)


def sums_check(table: MemberTable, rows: Q, *, key: str, label: str) -> Check:
    """Each breakdown of `table` (of the members `rows` selects) sums to its total; the members whose
    sex, education or occupation is none of the statistics' categories break it."""
    broken = [grid.label for grid in table.grids if not grid.adds_up()]
    if not broken:
        return Check(key, label, True, _("Every breakdown adds up to %(n)s.") % {"n": table.total})
    found, more = _listed(Member.objects.filter(rows).filter(UNKNOWN_VALUE))
    notes = {
        m.pk: _("sex %(sex)r, education %(education)r, occupation %(occupation)r: not all among the categories")
        % {"sex": m.sex, "education": m.education, "occupation": m.occupation}
        for m in found
    }
    detail = _("These breakdowns do not add up to their total: %(names)s.") % {"names": ", ".join(broken)}
    return Check(key, label, False, detail, checked_members(found, notes), more)


def organizations_check(grid: Grid) -> Check:
    label = _("The organizations by kind and by unit add up to their total")
    if grid.adds_up():
        return Check("organizations_add_up", label, True, _("%(n)s organizations.") % {"n": grid.lines[0].total})
    return Check(
        "organizations_add_up", label, False, _("Some organizations are of a kind or a unit the table does not list.")
    )


def opening_check(*, start: int, last_end: int, year: int) -> Check:
    detail = _("%(start)s at the start of %(year)s; %(end)s at the end of %(last)s.") % {
        "start": start,
        "year": year,
        "end": last_end,
        "last": year - 1,
    }
    return Check("opening", _("This year's start equals last year's end"), start == last_end, detail)


def balance_check(changes: Changes, gaps: tuple[CheckedMember, ...]) -> Check:
    """start + in − out = end, or the members whose transfers explain why not."""
    outs = changes.transferred_out + changes.relationship_out + changes.died + changes.expelled
    outs += changes.left_unrecorded
    detail = _("%(start)s + %(ins)s − %(outs)s = %(reached)s; %(end)s at the end of the year.") % {
        "start": changes.start,
        "ins": changes.joined + changes.transferred_in,
        "outs": outs,
        "reached": changes.reached,
        "end": changes.end,
    }
    label = _("The changes balance: start + developed + transferred in − transferred out − died − left = end")
    passed = changes.reached == changes.end
    return Check(
        "balance", label, passed, detail, () if passed else gaps[:MEMBER_LIMIT], max(0, len(gaps) - MEMBER_LIMIT)
    )


# A history the dates cannot tell right: what is wrong, and how the statistics then count the member.
UNDATED = (
    (
        "no_joining_date",
        Q(category__in=Member.PARTY_MEMBER_CATEGORIES, joined_on__isnull=True),
        gettext_lazy("A Party member without a joining date: counted at no date."),
    ),
    (
        "no_full_date",
        Q(category=C.FULL, full_on__isnull=True),
        gettext_lazy("A full member without a full membership date: counted as probationary."),
    ),
    (
        "no_leaving_date",
        Q(category=C.FORMER, joined_on__isnull=False, left_on__isnull=True),
        gettext_lazy("A former member without a date of leaving: counted as a member at every date since joining."),
    ),
    (
        "left_on_roster",
        Q(category__in=Member.PARTY_MEMBER_CATEGORIES, left_on__isnull=False),
        gettext_lazy("A date of leaving, yet still on the roster: counted as having left on that date."),
    ),
    (
        "left_before_joining",
        Q(joined_on__isnull=False, left_on__lte=F("joined_on")),
        gettext_lazy("Left on or before the day of joining: counted at no date."),
    ),
)


def dated_check(members: Q) -> Check:
    """Every member of the subtree (`members`) whose category and dates disagree, listed."""
    issue = Case(*(When(q, then=Value(code)) for code, q, _note in UNDATED), default=None, output_field=CharField())
    qs = Member.objects.filter(members).annotate(issue=issue).filter(issue__isnull=False)
    found, more = _listed(qs)
    notes = {code: str(note) for code, _q, note in UNDATED}
    listed = checked_members(found, {m.pk: notes[m.issue] for m in found})  # type: ignore[attr-defined]
    label = _("Every member's history is dated")
    if not found:
        return Check("dated", label, True, _("Every member's category agrees with their dates."))
    detail = _("%(n)s members' category and dates disagree; the tables count them as their dates say.") % {
        "n": len(found) + more
    }
    return Check("dated", label, False, detail, listed, more)

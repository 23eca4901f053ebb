"""The yearly Party statistics (党内统计) of a subtree: the tables an organization department reports
upward, for an organization and everything under it, and a year.

How a member is counted at a date
---------------------------------
A date is read at its close. Someone is counted as a Party member of organization O's subtree at
the close of day D when all four hold:

1. their category is probationary, full or former: someone still in the development pipeline is
   no Party member, whatever dates they carry;
2. they had joined: joined_on is recorded and joined_on <= D;
3. they had not left: left_on is empty or left_on > D (a former member is read from left_on; the
   category alone dates nothing);
4. their organization at D is in O's subtree, the tree read as it stands today. Their organization
   at D is the one the first transfer dated after D moved them from (transfers of one day in the
   order they were recorded), or, with no transfer dated after D, their organization now.

At D they are a full member when full_on <= D, otherwise probationary. Their age, and their party
age (党龄: whole years from full_on, Party Constitution art. 7, as Member.party_age counts it), are
whole years at D; a probationary member has no party age yet.

The year's end is the close of 31 December, or of today in the current year. The year's start is
the close of 31 December of the year before: last year's end. Between them:

- joined (发展党员): joined_on in the year, and counted at the close of that day;
- left: left_on in the year, and counted at the close of the day before; by leave_reason:
  deceased (死亡), expelled (出党), transferred_out (转出), none recorded (its own column);
- transferred in / out: a Transfer dated in the year from an organization outside the subtree to
  one inside it (in) or from inside to outside (out), of someone counted as a member at the close
  of the day before who does not leave that day. A move inside the subtree is neither.
  Joining or leaving on the day of a transfer takes its place: that day's transfers count nothing.

So start + joined + transferred in − transferred out − left = end for every member whose
transfers follow on from each other (each from where the one before moved them to, the last to
their organization now); the checks list anyone for whom it does not.

Organizations at D: in the subtree, founded by then (founded_on empty or <= D) and not closed by
then (closed_on after D, or no closed_on and active now).

The members who had no transfer into, out of or inside the subtree since the year's start (nearly
all) are counted by a few grouped aggregates over the subtree's members (organization__in the
subtree's ids); those who had (a few hundred in a city's year) are read with their transfers and
placed in Python, and enter the same aggregates by their ids.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from lianxin.core.params import int_param
from lianxin.members.models import Member, Transfer
from lianxin.members.rules.statistics import FIRST_YEAR
from lianxin.members.selectors.statistics_checks import (
    Check,
    CheckedMember,
    balance_check,
    checked_members,
    dated_check,
    opening_check,
    organizations_check,
    sums_check,
)
from lianxin.members.selectors.statistics_tables import Changes, Grid, MemberTable, member_table, organization_grid
from lianxin.organizations.models import Organization
from lianxin.organizations.selectors import in_subtree

C = Member.Category
# Who may be counted as a Party member at some date (rule 1).
COUNTED = (C.PROBATIONARY, C.FULL, C.FORMER)
LEFT = Member.LeaveReason
# The column of the changes each reason for leaving counts in; any other (none recorded) in "left_unrecorded".
LEAVING: dict[str, str] = {LEFT.DECEASED: "died", LEFT.EXPELLED: "expelled", LEFT.TRANSFERRED_OUT: "relationship_out"}


@dataclass(frozen=True)
class Statistics:
    organization: Organization
    year: int
    start: date  # 1 January
    end: date  # 31 December, or today in the current year
    members: MemberTable
    developed: MemberTable
    organizations: Grid
    changes: Changes
    checks: tuple[Check, ...]

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)


def statistics_year(value: object, *, today: date) -> int:
    """The year asked for (`?year=`), this year when none is given; ParamError (in the request's
    language) for anything but a whole number from FIRST_YEAR to this year."""
    return int_param(value, name="year", default=today.year, min_value=FIRST_YEAR, max_value=today.year)


def year_end(year: int, today: date) -> date:
    return min(date(year, 12, 31), today)


@dataclass
class Moved:
    """A member with a transfer into, out of or inside the subtree after `since`, with every transfer
    of theirs after it, in order."""

    pk: int
    category: str
    joined_on: date | None
    left_on: date | None
    leave_reason: str
    organization_id: int
    transfers: list[tuple[date, int, int]] = field(default_factory=list)  # (date, from, to)

    def organization_at(self, day: date) -> int:
        """Rule 4: where they were at the close of `day`."""
        for on, from_id, _to_id in self.transfers:
            if on > day:
                return from_id
        return self.organization_id

    def member_on(self, day: date) -> bool:
        """Rules 1 to 3, as member_on() asks them of the database."""
        return (
            self.category in COUNTED
            and self.joined_on is not None
            and self.joined_on <= day
            and (self.left_on is None or self.left_on > day)
        )


@dataclass
class Subtree:
    """An organization's subtree read from `since` on: its members who did not move since (counted in
    the database) and those who did (`moved`, placed here), with which of the organizations those
    passed through are inside."""

    organization: Organization
    since: date
    moved: dict[int, Moved]
    inside: set[int]

    @classmethod
    def read(cls, organization: Organization, *, since: date) -> "Subtree":
        touching = Transfer.objects.filter(transferred_on__gt=since).filter(
            in_subtree("from_organization", organization) | in_subtree("to_organization", organization)
        )
        moved = {
            pk: Moved(pk, category, joined_on, left_on, reason, organization_id)
            for pk, category, joined_on, left_on, reason, organization_id in Member.objects.filter(
                pk__in=touching.values("member_id")
            ).values_list("pk", "category", "joined_on", "left_on", "leave_reason", "organization_id")
        }
        seen = {m.organization_id for m in moved.values()}
        rows = (
            Transfer.objects.filter(member_id__in=list(moved), transferred_on__gt=since)
            .order_by("member_id", "transferred_on", "pk")
            .values_list("member_id", "transferred_on", "from_organization_id", "to_organization_id")
        )
        for member_id, on, from_id, to_id in rows:
            moved[member_id].transfers.append((on, from_id, to_id))
            seen.update((from_id, to_id))
        inside = set(
            Organization.objects.filter(pk__in=seen, path__startswith=organization.path).values_list("pk", flat=True)
        )
        return cls(organization, since, moved, inside)

    def unmoved(self) -> Q:
        """The members in the subtree now who did not move since `since`: there all along."""
        return in_subtree("organization", self.organization) & ~Q(pk__in=list(self.moved))

    def moved_inside_on(self, day: date) -> list[int]:
        return [m.pk for m in self.moved.values() if m.organization_at(day) in self.inside]

    def counted_on(self, day: date) -> Q:
        """The members counted at the close of `day` (the module's rules 1 to 4)."""
        return member_on(day) & (self.unmoved() | Q(pk__in=self.moved_inside_on(day)))

    def developed(self, opening: date, end: date) -> Q:
        """The members who joined after `opening`, up to `end`, counted at the close of that day."""
        joined = [
            m.pk
            for m in self.moved.values()
            if m.joined_on is not None
            and opening < m.joined_on <= end
            and m.organization_at(m.joined_on) in self.inside
        ]
        return joined_between(opening, end) & (self.unmoved() | Q(pk__in=joined))


def member_on(day: date) -> Q:
    """Rules 1 to 3: a Party member at the close of `day`, wherever."""
    return Q(category__in=COUNTED, joined_on__lte=day) & (Q(left_on__isnull=True) | Q(left_on__gt=day))


def joined_between(opening: date, end: date) -> Q:
    """Joined after `opening`, up to `end`, and a member at the close of that day."""
    return Q(category__in=COUNTED, joined_on__gt=opening, joined_on__lte=end) & (
        Q(left_on__isnull=True) | Q(left_on__gt=F("joined_on"))
    )


def left_between(opening: date, end: date) -> Q:
    """Left after `opening`, up to `end`, having been a member at the close of the day before."""
    return Q(category__in=COUNTED, left_on__gt=opening, left_on__lte=end, joined_on__lt=F("left_on"))


# ----------------------------------------------------------------------------------------- the year


def _events(m: Moved, inside: set[int], opening: date, end: date) -> Counter[str]:
    """What a moved member adds to each figure of the changes (the module's rules, read in Python)."""

    def counted(day: date) -> bool:
        return m.member_on(day) and m.organization_at(day) in inside

    events: Counter[str] = Counter(start=int(counted(opening)), end=int(counted(end)))
    if m.joined_on is not None and opening < m.joined_on <= end and counted(m.joined_on):
        events["joined"] += 1
    if m.left_on is not None and opening < m.left_on <= end and counted(m.left_on - timedelta(days=1)):
        events[LEAVING.get(m.leave_reason, "left_unrecorded")] += 1
    for on, from_id, to_id in m.transfers:
        if opening < on <= end and m.member_on(on - timedelta(days=1)) and m.member_on(on):
            crossing = (to_id in inside) - (from_id in inside)
            if crossing:
                events["transferred_in" if crossing > 0 else "transferred_out"] += 1
    return events


def _net(events: Counter[str]) -> int:
    outs = sum(events[k] for k in ("transferred_out", "relationship_out", "died", "expelled", "left_unrecorded"))
    return events["joined"] + events["transferred_in"] - outs


def year_changes(subtree: Subtree, opening: date, end: date, *, members_at_end: int) -> tuple[Changes, list[int]]:
    """The changes between the close of `opening` and of `end` (the end's members as the first table
    counts them), and the moved members whose own count and events disagree: one aggregate over the
    members who did not move, the moved ones read in Python."""
    left = left_between(opening, end)
    found = (
        Member.objects.filter(subtree.unmoved())
        .order_by()
        .aggregate(
            start=Count("pk", filter=member_on(opening)),
            joined=Count("pk", filter=joined_between(opening, end)),
            died=Count("pk", filter=left & Q(leave_reason=LEFT.DECEASED)),
            expelled=Count("pk", filter=left & Q(leave_reason=LEFT.EXPELLED)),
            relationship_out=Count("pk", filter=left & Q(leave_reason=LEFT.TRANSFERRED_OUT)),
            left_unrecorded=Count("pk", filter=left & ~Q(leave_reason__in=LEFT.values)),
        )
    )
    tally: Counter[str] = Counter(found)
    gaps = []
    for m in subtree.moved.values():
        events = _events(m, subtree.inside, opening, end)
        if events["end"] - events["start"] != _net(events):
            gaps.append(m.pk)
        events.pop("end")
        tally.update(events)
    changes = Changes(
        start=tally["start"],
        joined=tally["joined"],
        transferred_in=tally["transferred_in"],
        transferred_out=tally["transferred_out"],
        relationship_out=tally["relationship_out"],
        died=tally["died"],
        expelled=tally["expelled"],
        left_unrecorded=tally["left_unrecorded"],
        end=members_at_end,
    )
    return changes, gaps


def _gap_members(gaps: list[int]) -> tuple[CheckedMember, ...]:
    note = _(
        "Their transfers do not follow on from each other (each from where the one before moved them to, the last "
        "to their organization now), so their count at the end is not where the year's events lead."
    )
    members = (
        Member.objects.filter(pk__in=gaps).select_related("organization").order_by("organization__path", "name", "pk")
    )
    return checked_members(members, dict.fromkeys(gaps, note))


def party_statistics(*, organization: Organization, year: int, today: date) -> Statistics:
    """The year's tables of `organization`'s subtree (the viewer's to read: organizations.selectors.
    access_subtree) and their checks."""
    opening, end = date(year - 1, 12, 31), year_end(year, today)
    subtree = Subtree.read(organization, since=opening)
    at_end = subtree.counted_on(end)
    members = member_table(at_end, key="members", title=_("Party members at the end of the year"), on=end)
    developed_rows = subtree.developed(opening, end)
    developed = member_table(developed_rows, key="developed", title=_("Members developed in the year"), on=end)
    organizations = organization_grid(organization, end)
    changes, gaps = year_changes(subtree, opening, end, members_at_end=members.total)
    # Last year's end as last year's statistics count it: its subtree read from its own start.
    last_year = Subtree.read(organization, since=date(year - 2, 12, 31))
    last_end = Member.objects.filter(last_year.counted_on(opening)).count()
    checks = (
        sums_check(
            members,
            at_end,
            key="members_add_up",
            label=_("Each breakdown of the members at the end of the year adds up to its total"),
        ),
        sums_check(
            developed,
            developed_rows,
            key="developed_add_up",
            label=_("Each breakdown of the members developed adds up to its total"),
        ),
        organizations_check(organizations),
        opening_check(start=changes.start, last_end=last_end, year=year),
        balance_check(changes, _gap_members(gaps) if gaps else ()),
        dated_check(in_subtree("organization", organization) | Q(pk__in=list(subtree.moved))),
    )
    return Statistics(
        organization, year, opening + timedelta(days=1), end, members, developed, organizations, changes, checks
    )

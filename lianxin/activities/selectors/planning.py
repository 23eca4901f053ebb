"""Reading activities for a viewer: lists, one activity, its attendance, quorum and joint-event totals."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Viewer
from lianxin.activities import permissions
from lianxin.activities.models import Activity, Attendance, JointEvent, Kind, OrganizationFeed
from lianxin.core.crypto import lookup_hash
from lianxin.core.parsing import ParseError, normalize_id_number, normalize_mobile
from lianxin.members.models import Member
from lianxin.organizations.models import Organization


def activity_list_visible_to(
    *, user: Viewer, organization: Organization | None = None, kind: str = "", status: str = ""
) -> QuerySet[Activity]:
    """Activities of the viewer's subtrees, and those the viewer is on the list of.

    The viewer's own activities are a subquery rather than a join, so the list needs no DISTINCT
    and pages on the (organization, kind, starts_at) index."""
    member = permissions.member_of(user)
    visible = roster_scope(user).q("organization__path")
    if member is not None:
        visible |= Q(pk__in=Attendance.objects.filter(member=member).values("activity_id"))
    qs = Activity.objects.filter(visible).select_related("organization")
    if organization is not None:
        qs = qs.filter(organization=organization)
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    if status in Activity.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-starts_at", "-id")


def with_attendance_counts(activities: list[Activity]) -> list[Activity]:
    """Set `present` and `listed` on each activity of a page: one small query for the page's rows,
    where counting in the list's own query would group every row of the list."""
    rows = (
        Attendance.objects.filter(activity__in=[a.pk for a in activities])
        .values("activity_id")
        .annotate(listed=Count("pk"), present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)))
    )
    counts = {r["activity_id"]: r for r in rows}
    for activity in activities:
        found = counts.get(activity.pk, {})
        activity.listed = found.get("listed", 0)  # type: ignore[attr-defined]
        activity.present = found.get("present", 0)  # type: ignore[attr-defined]
    return activities


def access_activity(user: Viewer, pk: int) -> Activity:
    """The activity if the viewer manages its organization, belongs to it, or is on its list; otherwise 404."""
    activity = Activity.objects.select_related("organization", "joint_event").filter(pk=pk).first()
    if activity is None:
        raise Http404
    if permissions.can_manage(user, activity):
        return activity
    member = permissions.member_of(user)
    if member is not None and (
        member.organization_id == activity.organization_id or activity.attendance.filter(member=member).exists()
    ):
        return activity
    raise Http404


def access_managed_activity(user: Viewer, pk: int) -> Activity:
    activity = access_activity(user, pk)
    if not permissions.can_manage(user, activity):
        raise Http404
    return activity


def organizations_plannable_by(user: Viewer) -> QuerySet[Organization]:
    plannable: QuerySet[Organization] = Organization.objects.filter(roster_scope(user).q("path")).order_by("path")
    return plannable


def access_plannable_organization(user: Viewer, pk: int) -> Organization:
    organization = organizations_plannable_by(user).filter(pk=pk).first()
    if organization is None:
        raise Http404
    return organization


def attendance_of(activity: Activity) -> QuerySet[Attendance]:
    return activity.attendance.select_related("member").order_by("role", "member__name", "member_id")


def own_attendance(user: Viewer, activity: Activity) -> Attendance | None:
    member = permissions.member_of(user)
    return None if member is None else activity.attendance.filter(member=member).first()


def may_check_in_unlisted(user: Viewer, activity: Activity) -> bool:
    """A Party member of the organization not on the list yet (joined since it was planned)."""
    member = permissions.member_of(user)
    return (
        member is not None
        and member.organization_id == activity.organization_id
        and member.category in Member.PARTY_MEMBER_CATEGORIES
    )


@dataclass(frozen=True)
class Quorum:
    """More than half of those entitled must be present (支部工作条例)."""

    entitled: int
    present: int

    @property
    def needed(self) -> int:
        return self.entitled // 2 + 1

    @property
    def met(self) -> bool:
        return self.entitled > 0 and self.present * 2 > self.entitled


def activity_quorum(activity: Activity) -> Quorum | None:
    """Branch congress: the full members among the expected (probationary members have no vote);
    committee meeting: the expected attendees. None for kinds without a quorum."""
    if not activity.needs_quorum:
        return None
    entitled = activity.attendance.filter(role=Attendance.Role.EXPECTED)
    if activity.kind == Kind.BRANCH_CONGRESS:
        entitled = entitled.filter(member__category=Member.Category.FULL)
    counts = entitled.aggregate(entitled=Count("pk"), present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)))
    return Quorum(entitled=counts["entitled"], present=counts["present"])


@dataclass(frozen=True)
class AttendanceSummary:
    """Who was expected and who came, and who of them counts towards the quorum.

    Probationary members (预备党员) attend and speak but do not vote (党章 第七条), so at a branch
    congress they are counted among those present but not among those entitled to vote."""

    expected: int
    present: int
    absent: int
    excused: int
    unrecorded: int
    probationary_present: int
    guests_present: int
    quorum: Quorum | None


def attendance_summary(activity: Activity) -> AttendanceSummary:
    """The attendance line of an activity's page, in one query."""
    expected = Q(role=Attendance.Role.EXPECTED)
    present = Q(status=Attendance.Status.PRESENT)
    voting = expected & Q(member__category=Member.Category.FULL)
    found = activity.attendance.aggregate(
        expected=Count("pk", filter=expected),
        present=Count("pk", filter=expected & present),
        absent=Count("pk", filter=expected & Q(status=Attendance.Status.ABSENT)),
        excused=Count("pk", filter=expected & Q(status=Attendance.Status.EXCUSED)),
        unrecorded=Count("pk", filter=expected & Q(status=Attendance.Status.UNKNOWN)),
        probationary=Count("pk", filter=expected & present & Q(member__category=Member.Category.PROBATIONARY)),
        guests=Count("pk", filter=~expected & present),
        voting=Count("pk", filter=voting),
        voting_present=Count("pk", filter=voting & present),
    )
    quorum = None
    if activity.kind == Kind.BRANCH_CONGRESS:
        quorum = Quorum(entitled=found["voting"], present=found["voting_present"])
    elif activity.needs_quorum:
        quorum = Quorum(entitled=found["expected"], present=found["present"])
    return AttendanceSummary(
        expected=found["expected"],
        present=found["present"],
        absent=found["absent"],
        excused=found["excused"],
        unrecorded=found["unrecorded"],
        probationary_present=found["probationary"] if activity.kind == Kind.BRANCH_CONGRESS else 0,
        guests_present=found["guests"],
        quorum=quorum,
    )


def attendance_counts(activity: Activity) -> dict[str, int]:
    rows = activity.attendance.values_list("status").annotate(n=Count("pk"))
    counts = {status: 0 for status in Attendance.Status.values}
    counts.update({status: n for status, n in rows})
    return counts


def joint_event_totals(event: JointEvent) -> dict[str, int]:
    """Participants of the whole event: a member recorded in two parts counts once."""
    rows = Attendance.objects.filter(activity__joint_event=event)
    return {
        "parts": event.activities.count(),
        "listed": rows.values("member_id").distinct().count(),
        "present": rows.filter(status=Attendance.Status.PRESENT).values("member_id").distinct().count(),
    }


def joint_event_parts(event: JointEvent) -> QuerySet[Activity]:
    """The parts in organization order; counts are set per page with `with_attendance_counts`."""
    return event.activities.select_related("organization").order_by("organization__path")


def organizations_with_members_under(organizer: Organization) -> list[Organization]:
    """The active organizations at or under `organizer` that have Party members of their own:
    the parts of a joint event held by all of them."""
    return list(
        Organization.objects.filter(
            path__startswith=organizer.path,
            status=Organization.Status.ACTIVE,
            pk__in=Member.objects.filter(category__in=Member.PARTY_MEMBER_CATEGORIES).values("organization_id"),
        ).order_by("path")
    )


def joint_events_visible_to(user: Viewer) -> QuerySet[JointEvent]:
    """Joint events organized within the viewer's subtrees, latest first."""
    return JointEvent.objects.filter(roster_scope(user).q("organizer__path")).select_related("organizer")


def access_joint_event(user: Viewer, pk: int) -> JointEvent:
    event = JointEvent.objects.select_related("organizer").filter(pk=pk).first()
    if event is None or not roster_scope(user).contains(event.organizer.path):
        raise Http404
    return event


def feed_of(organization: Organization) -> OrganizationFeed:
    """The organization's calendar feed; the first ask makes it (its token is a random key, nothing to decide)."""
    feed, _created = OrganizationFeed.objects.get_or_create(organization=organization)
    return feed


def feed_by_token(token: str) -> OrganizationFeed | None:
    """The feed whose token is in the URL: the token is the key, so there is no viewer."""
    return OrganizationFeed.objects.select_related("organization").filter(token=token).first()


def feed_activities(feed: OrganizationFeed, limit: int) -> QuerySet[Activity]:
    """The latest `limit` activities of the feed's organization, whatever their state."""
    return (
        Activity.objects.filter(organization=feed.organization)
        .select_related("organization")
        .order_by("-starts_at")[:limit]
    )


def listed_user_ids(activity: Activity) -> list[int]:
    """The accounts of those on the activity's list still on the roster: whom its changes reach."""
    return list(
        Attendance.objects.filter(
            activity=activity, member__category__in=Member.CURRENT_CATEGORIES, member__user__is_active=True
        ).values_list("member__user_id", flat=True)
    )


def listed_member(activity: Activity, member_id: int) -> Member | None:
    """The person `member_id` if they are on `activity`'s list."""
    return Member.objects.filter(pk=member_id, attendance__activity=activity).first()


def member_candidates(user: Viewer, activity: Activity) -> QuerySet[Member]:
    """People of the activity's own organization an admin may add to its list: current roster
    members not yet listed (applicants and activists as observers, for instance). People of other
    organizations are found by ID or mobile number (`member_by_number`), so the page stays small."""
    return (
        Member.objects.filter(organization=activity.organization, category__in=Member.CURRENT_CATEGORIES)
        .exclude(attendance__activity=activity)
        .order_by("name")
    )


def member_by_number(user: Viewer, number: str) -> Member | None:
    """A current roster member in the viewer's scope, by citizen ID or mobile number."""
    text = number.strip()
    hashes: list[str] = []
    for normalize in (normalize_id_number, normalize_mobile):
        try:
            hashes.append(lookup_hash(normalize(text)))
        except ParseError:
            continue
    hashes = [h for h in hashes if h]
    if not hashes:
        return None
    return (
        Member.objects.filter(roster_scope(user).q("organization__path"), category__in=Member.CURRENT_CATEGORIES)
        .filter(Q(id_number_hash__in=hashes) | Q(mobile_hash__in=hashes))
        .first()
    )


# ----------------------------------------------------------- what waits, and what comes next


def day_start(day: date) -> datetime:
    """The first moment of `day` in the platform's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def activities_to_record(*, user: Viewer) -> QuerySet[Activity]:
    """Planned activities of the viewer's subtrees that have begun: their attendance and minutes wait."""
    return (
        Activity.objects.filter(
            roster_scope(user).q("organization__path"), status=Activity.Status.PLANNED, starts_at__lte=timezone.now()
        )
        .select_related("organization")
        .order_by("starts_at", "id")
    )


def activities_minutes_due(*, today: date, after_days: int, lookback_days: int) -> QuerySet[Activity]:
    """Planned activities of active organizations dated `after_days` or more before `today` (but not
    more than `lookback_days` further back): still planned, so neither their attendance nor minutes
    are recorded. Read as the system (the daily scan), not a viewer."""
    before = day_start(today - timedelta(days=after_days - 1))
    return (
        Activity.objects.filter(
            status=Activity.Status.PLANNED,
            starts_at__lt=before,
            starts_at__gte=before - timedelta(days=lookback_days),
            organization__status=Organization.Status.ACTIVE,
        )
        .select_related("organization")
        .order_by("starts_at", "id")
    )


def activities_ahead_managed(*, user: Viewer) -> QuerySet[Activity]:
    """Planned activities of the viewer's subtrees that have not begun, soonest first."""
    return (
        Activity.objects.filter(
            roster_scope(user).q("organization__path"), status=Activity.Status.PLANNED, starts_at__gt=timezone.now()
        )
        .select_related("organization")
        .order_by("starts_at", "id")
    )


def activities_ahead_of(organization: Organization) -> QuerySet[Activity]:
    """An organization's planned activities that have not ended, soonest first (what its members come to)."""
    return (
        Activity.objects.filter(organization=organization, status=Activity.Status.PLANNED, ends_at__gt=timezone.now())
        .select_related("organization")
        .order_by("starts_at", "id")
    )


@dataclass(frozen=True)
class YearAttendance:
    held: int  # held activities of the year the member was listed for
    attended: int  # of which the member was present


def attendance_in_year(member: Member, year: int) -> YearAttendance:
    """A member's attendance at the activities held in `year`, in one query."""
    row = Attendance.objects.filter(
        member=member, activity__status=Activity.Status.HELD, activity__starts_at__year=year
    ).aggregate(held=Count("pk"), attended=Count("pk", filter=Q(status=Attendance.Status.PRESENT)))
    return YearAttendance(held=row["held"], attended=row["attended"])


@dataclass(frozen=True)
class Preview:
    """What a step that cannot be undone will do, shown before it is written: what blocks it
    (no confirmation is offered) and what to be warned of (it may still be confirmed)."""

    what: str
    blocks: list[str]
    warnings: list[str]


def hold_preview(activity: Activity, now: datetime | None = None) -> Preview:
    """Recording an activity as held closes it: its list and times can no longer change."""
    now = now or timezone.now()
    summary = attendance_summary(activity)
    blocks = [_("An activity cannot be held before it starts.")] if activity.starts_at > now else []
    warnings = []
    if summary.unrecorded:
        warnings.append(
            ngettext(
                "%(n)s person on the list has no attendance recorded and will count as not present.",
                "%(n)s people on the list have no attendance recorded and will count as not present.",
                summary.unrecorded,
            )
            % {"n": summary.unrecorded}
        )
    quorum = summary.quorum
    if quorum is not None and not quorum.met:
        warnings.append(
            _(
                "Only %(present)s of %(entitled)s entitled to vote are recorded present; at least %(needed)s are "
                "needed. Held without quorum, its decisions are not valid."
            )
            % {"present": quorum.present, "entitled": quorum.entitled, "needed": quorum.needed}
        )
    what = _(
        "“%(title)s” will be recorded as held: %(present)s of %(expected)s expected present. "
        "It can then no longer be changed or cancelled; only its minutes can be corrected."
    ) % {"title": activity.title, "present": summary.present, "expected": summary.expected}
    return Preview(what=what, blocks=blocks, warnings=warnings)


def cancel_preview(activity: Activity, now: datetime | None = None) -> Preview:
    """A cancellation is final: the calendar feed shows it and nobody can check in any more."""
    now = now or timezone.now()
    rows = activity.attendance.aggregate(
        listed=Count("pk"), checked_in=Count("pk", filter=Q(checked_in_at__isnull=False))
    )
    warnings = []
    if rows["checked_in"]:
        warnings.append(
            ngettext(
                "%(n)s person has already checked in at the venue.",
                "%(n)s people have already checked in at the venue.",
                rows["checked_in"],
            )
            % {"n": rows["checked_in"]}
        )
    if activity.starts_at <= now:
        warnings.append(_("This activity has already started; if it took place, record it as held instead."))
    what = ngettext(
        "“%(title)s” will be cancelled for the %(n)s person on its list. A cancellation cannot be undone.",
        "“%(title)s” will be cancelled for the %(n)s people on its list. A cancellation cannot be undone.",
        rows["listed"],
    ) % {"title": activity.title, "n": rows["listed"]}
    return Preview(what=what, blocks=[], warnings=warnings)

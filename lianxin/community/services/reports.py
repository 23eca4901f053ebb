"""Every change in community reporting goes through here; each one writes a timeline event.

Report status moves go through lianxin.core.transitions.state_transition (a conditional
UPDATE on the status). A post's capacity is enforced by counting its active claims while
holding the post: SELECT ... FOR UPDATE on PostgreSQL; on SQLite every transaction begins
IMMEDIATE (config/settings/base.py), so writers are already serialised and FOR UPDATE,
which SQLite lacks, is not needed. Of two members taking the last place, one wins.
"""

from collections.abc import Collection
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.models import RoleAssignment
from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Actor
from lianxin.community import notices, permissions
from lianxin.community.models import (
    ClaimVerb,
    CommunityReport,
    PostClaim,
    PostVerb,
    RecordVerb,
    ReportVerb,
    ServicePost,
    ServiceRecord,
)
from lianxin.core.services import event_record
from lianxin.core.transitions import state_transition
from lianxin.core.uploads import photo_clean, photo_max_bytes
from lianxin.members.models import Member
from lianxin.notifications.selectors import staff_of
from lianxin.notifications.services import notify
from lianxin.organizations.models import Organization
from lianxin.organizations.selectors import organization_by_code

Status = CommunityReport.Status

MAX_HOURS = Decimal("24")
# The most reports one bulk decision may touch: the admins' queue shows at most this many.
BULK_MAX = 300


def _not_allowed() -> ValidationError:
    return ValidationError(_("You are not allowed to do this."), code="forbidden")


def _own_member(actor: Actor) -> Member:
    member = permissions.member_of(actor)
    if member is None:
        raise ValidationError(
            _("Only Party members with a roster record linked to their account can do this."), code="not_a_member"
        )
    return member


def community_clean(community: Organization) -> Organization:
    if not permissions.is_community(community):
        raise ValidationError(
            _("%(name)s is not a community or village organization.") % {"name": community.name}, code="not_community"
        )
    if not community.is_active:
        raise ValidationError(_("%(name)s is no longer active.") % {"name": community.name}, code="inactive")
    return community


def community_by_code(code: str) -> Organization:
    """The community or village organization with this code, or a clear error."""
    code = code.strip()
    if not code:
        raise ValidationError(_("Choose a community."), code="no_community")
    community = organization_by_code(user=None, code=code)
    if community is None:
        raise ValidationError(_("No organization has the code %(code)s.") % {"code": code}, code="unknown_community")
    return community_clean(community)


# ------------------------------------------------------------------------- reports


def report_transition(
    *, report: CommunityReport, to: str, actor: Actor, note: str = "", verb: str = "", changes: dict[str, Any]
) -> CommunityReport:
    return state_transition(
        obj=report,
        to=to,
        actor=actor,
        changes=changes,
        note=note,
        verb=verb,
        conflict=_("This report has just been changed by someone else; reload the page."),
    )


@transaction.atomic
def report_create(
    *, actor: Actor, community: Organization, note: str = "", today: date | None = None
) -> CommunityReport:
    """A member reports to a residential community; the community's organization approves."""
    member = _own_member(actor)
    community_clean(community)
    if member.category == Member.Category.FORMER:
        raise ValidationError(_("A former member cannot report to a community."), code="former")
    active = CommunityReport.objects.filter(member=member, status__in=CommunityReport.ACTIVE_STATUSES).first()
    already = _("You have already reported to %(name)s; end that report before reporting elsewhere.")
    if active is not None:
        raise ValidationError(already % {"name": active.community.name}, code="already_reported")
    try:
        # A savepoint: a twin request that slipped past the check above trips the constraint here.
        with transaction.atomic():
            report = CommunityReport.objects.create(
                member=member,
                community=community,
                home_organization=member.organization,
                reported_on=today or timezone.localdate(),
                note=note.strip(),
            )
    except IntegrityError as exc:
        raise ValidationError(already % {"name": community.name}, code="already_reported") from exc
    event_record(subject=report, actor=actor, verb=ReportVerb.REPORTED, to_state=report.status, note=report.note)
    # Whoever approves reports for the community: its admins, or the nearest organization above's.
    notify(
        kind=notices.REPORT_SUBMITTED,
        recipients=staff_of(community, (RoleAssignment.Role.ORG_ADMIN,)),
        event=f"community_report:{report.pk}:submitted",
        params=notices.report_params(report),
        url=notices.report_url(report),
        organization=community,
    )
    return report


@transaction.atomic
def report_decide(*, report: CommunityReport, actor: Actor, approve: bool, reason: str = "") -> CommunityReport:
    """The community's admins approve a report, or reject it with a reason."""
    if not permissions.manages_community(actor, report.community):
        raise _not_allowed()
    reason = reason.strip()
    changes: dict[str, Any] = {"decided_at": timezone.now(), "decided_by": actor}
    if approve:
        decided = report_transition(report=report, to=Status.APPROVED, actor=actor, note=reason, changes=changes)
    elif not reason:
        raise ValidationError(_("Say why the report is rejected."), code="no_reason")
    else:
        changes["reject_reason"] = reason
        decided = report_transition(report=report, to=Status.REJECTED, actor=actor, note=reason, changes=changes)
    # A report is decided once (pending → approved or rejected), so its step names the occurrence.
    user_id = decided.member.user_id
    notify(
        kind=notices.REPORT_APPROVED if approve else notices.REPORT_REJECTED,
        recipients=[user_id] if user_id is not None else [],
        event=f"community_report:{decided.pk}:{decided.status}",
        params=notices.report_params(decided),
        url=notices.report_url(decided),
        organization=decided.community,
    )
    return decided


@transaction.atomic
def report_decide_bulk(
    *, actor: Actor, report_ids: Collection[int], approve: bool, reason: str = ""
) -> list[CommunityReport]:
    """Approve (or reject with one reason) every report ticked in the queue: all of them or none.

    Every id must be a report awaiting approval by a community in the actor's scope; otherwise
    nothing is written and the error says what is wrong. Each goes through report_decide (its own event)."""
    ids = set(report_ids)
    if not ids:
        raise ValidationError(_("Tick at least one report."), code="none_ticked")
    if len(ids) > BULK_MAX:
        raise ValidationError(_("Decide at most %(n)s reports at a time.") % {"n": BULK_MAX}, code="too_many")
    if not approve and not reason.strip():
        raise ValidationError(_("Say why the report is rejected."), code="no_reason")
    reports = list(
        CommunityReport.objects.select_for_update()
        .filter(roster_scope(actor).q("community__path"), pk__in=ids)
        .select_related("member", "community")
        .order_by("reported_on", "id")
    )
    if len(reports) != len(ids):
        # Out of scope and unknown read the same: the error never confirms a record it will not show.
        raise ValidationError(
            _("%(n)s of the ticked reports are not among those you may decide; nothing was changed.")
            % {"n": len(ids) - len(reports)},
            code="out_of_scope",
        )
    decided = [report.member.name for report in reports if report.status != Status.PENDING]
    if decided:
        raise ValidationError(
            _("No longer awaiting approval: %(names)s. Nothing was changed; the list now shows what still waits.")
            % {"names": "、".join(decided)},
            code="not_pending",
        )
    for report in reports:
        report_decide(report=report, actor=actor, approve=approve, reason=reason)
    return reports


@transaction.atomic
def report_end(*, report: CommunityReport, actor: Actor, note: str = "", today: date | None = None) -> CommunityReport:
    """The member or the community ends a report; the member's open claims there are withdrawn."""
    if not permissions.can_end(actor, report):
        if not (permissions.owns_report(actor, report) or permissions.manages_community(actor, report.community)):
            raise _not_allowed()
        if not report.is_active:
            raise ValidationError(_("This report is no longer active."), code="inactive")
        raise ValidationError(_("Approve or reject a report that awaits approval."), code="pending")
    report = report_transition(
        report=report,
        to=Status.ENDED,
        actor=actor,
        note=note.strip(),
        changes={"ended_on": today or timezone.localdate()},
    )
    PostClaim.objects.filter(
        member_id=report.member_id, post__community_id=report.community_id, withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now())
    return report


# --------------------------------------------------------------------------- posts


def _clean_capacity(capacity: Any) -> int:
    try:
        value = int(capacity)
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("Say how many members the post needs."), code="capacity") from exc
    if value < 1:
        raise ValidationError(_("A post needs at least one member."), code="capacity")
    return value


@transaction.atomic
def post_create(
    *, actor: Actor, community: Organization, title: str, category: str, capacity: int = 1, description: str = ""
) -> ServicePost:
    """The community publishes a service post (岗位) for reported members to claim."""
    community_clean(community)
    if not permissions.manages_community(actor, community):
        raise _not_allowed()
    title = title.strip()
    if not title:
        raise ValidationError(_("Give the post a title."), code="no_title")
    if category not in ServicePost.Category.values:
        raise ValidationError(_("Unknown category %(value)s.") % {"value": category}, code="category")
    post = ServicePost.objects.create(
        community=community,
        title=title,
        category=category,
        capacity=_clean_capacity(capacity),
        description=description.strip(),
    )
    event_record(subject=post, actor=actor, verb=PostVerb.PUBLISHED, data={"capacity": post.capacity})
    return post


@transaction.atomic
def post_close(*, post: ServicePost, actor: Actor, note: str = "") -> ServicePost:
    """No more claims; members who claimed it keep their claims and may still record service."""
    if not permissions.manages_community(actor, post.community):
        raise _not_allowed()
    if not ServicePost.objects.filter(pk=post.pk, is_open=True).update(is_open=False):
        raise ValidationError(_("This post is already closed."), code="closed")
    post.is_open = False
    event_record(subject=post, actor=actor, verb=PostVerb.CLOSED, note=note.strip())
    return post


@transaction.atomic
def post_claim(*, post: ServicePost, actor: Actor) -> PostClaim:
    """A member reported to the post's community takes a place; beyond capacity, a clear refusal."""
    member = _own_member(actor)
    if permissions.approved_report_to(member, post.community) is None:
        raise ValidationError(
            _("Report to %(name)s and wait for its approval before claiming its posts.")
            % {"name": post.community.name},
            code="not_reported",
        )
    # Holds the post until commit, so the count below cannot change under us.
    locked = ServicePost.objects.select_for_update().filter(pk=post.pk).first()
    if locked is None or not locked.is_open:
        raise ValidationError(_("This post is closed."), code="closed")
    active = PostClaim.objects.filter(post=locked, withdrawn_at__isnull=True)
    if active.filter(member=member).exists():
        raise ValidationError(_("You have already claimed this post."), code="already_claimed")
    if active.count() >= locked.capacity:
        raise ValidationError(_("This post is full: every place has been taken."), code="full")
    claim = PostClaim.objects.create(post=locked, member=member)
    event_record(subject=claim, actor=actor, verb=ClaimVerb.CLAIMED, data={"post": locked.pk})
    return claim


@transaction.atomic
def claim_withdraw(*, claim: PostClaim, actor: Actor, note: str = "") -> PostClaim:
    """The member steps back from a post; the place is free again. Their records stay."""
    member = _own_member(actor)
    if claim.member_id != member.pk:
        raise _not_allowed()
    now = timezone.now()
    # Conditional: a double click withdraws once.
    if not PostClaim.objects.filter(pk=claim.pk, withdrawn_at__isnull=True).update(withdrawn_at=now):
        raise ValidationError(_("This claim was already withdrawn."), code="withdrawn")
    claim.withdrawn_at = now
    event_record(subject=claim, actor=actor, verb=ClaimVerb.WITHDRAWN, note=note.strip())
    return claim


# ------------------------------------------------------------------------- records


def _clean_hours(hours: Any) -> Decimal:
    try:
        value = Decimal(str(hours))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("Hours must be a number."), code="hours") from exc
    if not value.is_finite() or value < 0:
        raise ValidationError(_("Hours cannot be negative."), code="hours")
    if value > MAX_HOURS:
        raise ValidationError(_("A day has at most 24 hours."), code="hours")
    if value != value.quantize(Decimal("0.1")):
        raise ValidationError(_("Give hours to one decimal place, e.g. 1.5."), code="hours")
    return value


def clean_photo(photo: UploadedFile | None) -> ContentFile[bytes] | None:
    """A JPEG, PNG or WebP photo under the cap (5 MB unless LIANXIN_PHOTO_MAX_BYTES says otherwise),
    decoded and encoded again under a generated name (lianxin.core.uploads)."""
    if photo is None:
        return None
    return photo_clean(photo, max_bytes=photo_max_bytes())


@transaction.atomic
def record_create(
    *,
    actor: Actor,
    community: Organization,
    served_on: date,
    hours: Decimal,
    description: str,
    claim: PostClaim | None = None,
    photo: UploadedFile | None = None,
    today: date | None = None,
) -> ServiceRecord:
    """服务纪实: a member reported to `community` records what they did there, for one of their posts or not."""
    member = _own_member(actor)
    if permissions.approved_report_to(member, community) is None:
        raise ValidationError(_("Record service only in a community that approved your report."), code="not_reported")
    if served_on > (today or timezone.localdate()):
        raise ValidationError(_("The date of service cannot be in the future."), code="future")
    value = _clean_hours(hours)
    description = description.strip()
    if not description:
        raise ValidationError(_("Say what you did."), code="no_description")
    if claim is not None and (claim.member_id != member.pk or claim.post.community_id != community.pk):
        raise ValidationError(_("Choose one of your own posts in this community."), code="claim")
    record = ServiceRecord(
        member=member, community=community, claim=claim, served_on=served_on, hours=value, description=description
    )
    cleaned = clean_photo(photo)
    if cleaned is not None:
        record.photo.save(cleaned.name or "photo", cleaned, save=False)
    record.save()
    event_record(subject=record, actor=actor, verb=RecordVerb.RECORDED, data={"hours": str(value)})
    return record

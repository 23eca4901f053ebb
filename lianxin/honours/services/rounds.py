"""A 两优一先 round from opening to the published list: quotas handed down the tree, the
publicity notice, objections, approval, the ceremony. Each step is on the round's timeline."""

from collections.abc import Mapping
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.types import Actor
from lianxin.core.services import event_record
from lianxin.core.transitions import state_transition
from lianxin.honours.models import AwardKind, HonourRound, Nomination, NominationVerb, Objection, Quota, RoundVerb
from lianxin.honours.permissions import manages, parent_of
from lianxin.honours.rules.eligibility import (
    PUBLICITY_MAX_WORKING_DAYS,
    PUBLICITY_MIN_WORKING_DAYS,
    publicity_ends_on,
)
from lianxin.organizations.models import Organization

Status = HonourRound.Status
MAX_QUOTA = 10_000
TITLE_MAX = 120


def not_allowed() -> ValidationError:
    return ValidationError(_("You are not allowed to do this in this round."), code="forbidden")


def _check_owner(actor: Actor, round_: HonourRound) -> None:
    if not manages(actor, round_.owner):
        raise not_allowed()


def _check_nominating(round_: HonourRound) -> None:
    if round_.status != Status.NOMINATING:
        raise ValidationError(
            _("The round is %(status)s: nominations and quotas can no longer change.")
            % {"status": round_.get_status_display()},
            code="round_closed",
        )


def _check_count(count: int) -> None:
    if count < 0 or count > MAX_QUOTA:
        raise ValidationError(
            _("A quota is a whole number from 0 to %(max)s.") % {"max": MAX_QUOTA}, code="quota_range"
        )


@transaction.atomic
def round_open(*, actor: Actor, owner: Organization, year: int, title: str, quotas: Mapping[str, int]) -> HonourRound:
    """Open the round of `owner` for `year` with its own quota of each award kind."""
    if not manages(actor, owner):
        raise not_allowed()
    title = title.strip()
    if not title:
        raise ValidationError(_("Give the round a title."), code="no_title")
    if len(title) > TITLE_MAX:
        raise ValidationError(_("The title is too long."), code="title_long")
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise ValidationError(_("The year %(year)s is out of range.") % {"year": year}, code="year")
    if HonourRound.objects.filter(owner=owner, year=year).exists():
        raise ValidationError(
            _("%(org)s already has a round for %(year)s.") % {"org": owner.name, "year": year}, code="duplicate"
        )
    unknown = set(quotas) - set(AwardKind.values)
    if unknown:
        raise ValidationError(_("Unknown award kind %(kind)s.") % {"kind": ", ".join(sorted(unknown))}, code="kind")
    for count in quotas.values():
        _check_count(count)
    if not any(quotas.values()):
        raise ValidationError(_("Give at least one award kind a quota."), code="no_quota")
    round_ = HonourRound.objects.create(year=year, title=title, owner=owner, created_by=actor)
    Quota.objects.bulk_create(
        Quota(round=round_, organization=owner, kind=kind, count=count) for kind, count in quotas.items() if count
    )
    event_record(
        subject=round_, actor=actor, verb=RoundVerb.OPENED, to_state=round_.status, data={"quotas": dict(quotas)}
    )
    return round_


def quota_of(round_: HonourRound, organization: Organization, kind: str) -> int:
    found = Quota.objects.filter(round=round_, organization=organization, kind=kind).values_list("count", flat=True)
    return next(iter(found), 0)


def quota_used(round_: HonourRound, organization: Organization, kind: str) -> int:
    """What `organization` holds of its quota: its own nominations still standing and the quotas it
    handed to its children."""
    own = Nomination.objects.filter(
        round=round_, nominated_by=organization, kind=kind, status__in=Nomination.HOLDING_STATUSES
    ).count()
    handed = Quota.objects.filter(
        round=round_,
        kind=kind,
        organization__path__startswith=organization.path,
        organization__depth=organization.depth + 1,
    ).aggregate(n=Sum("count"))["n"]
    return own + (handed or 0)


def _lock_quota(round_: HonourRound, organization: Organization, kind: str) -> Quota | None:
    return Quota.objects.select_for_update().filter(round=round_, organization=organization, kind=kind).first()


@transaction.atomic
def quota_set(*, actor: Actor, round: HonourRound, organization: Organization, kind: str, count: int) -> Quota:
    """Hand `count` places of `kind` to `organization`, a child of an organization holding a quota;
    the parent never hands down more than it holds."""
    round_ = round
    _check_nominating(round_)
    if kind not in AwardKind.values:
        raise ValidationError(_("Unknown award kind %(kind)s.") % {"kind": kind}, code="kind")
    _check_count(count)
    parent = parent_of(organization)
    if parent is None or not parent.path.startswith(round_.owner.path):
        raise ValidationError(
            _("%(org)s is not below the round's organization.") % {"org": organization.name}, code="not_below"
        )
    if not manages(actor, parent):
        raise not_allowed()
    held = _lock_quota(round_, parent, kind)
    if held is None:
        raise ValidationError(
            _("%(org)s has no quota of this kind to hand down.") % {"org": parent.name}, code="no_parent_quota"
        )
    current = quota_of(round_, organization, kind)
    free = held.count - quota_used(round_, parent, kind) + current
    if count > free:
        raise ValidationError(
            _("%(parent)s has %(free)s places of %(kind)s left to hand down; %(count)s were asked.")
            % {"parent": parent.name, "free": free, "kind": AwardKind(kind).label, "count": count},
            code="quota_exhausted",
        )
    used_below = quota_used(round_, organization, kind)
    if count < used_below:
        raise ValidationError(
            _("%(org)s already uses %(used)s places of %(kind)s; the quota cannot be less.")
            % {"org": organization.name, "used": used_below, "kind": AwardKind(kind).label},
            code="quota_below_use",
        )
    quota, _created = Quota.objects.update_or_create(
        round=round_, organization=organization, kind=kind, defaults={"count": count}
    )
    event_record(
        subject=round_,
        actor=actor,
        verb=RoundVerb.QUOTA_SET,
        note=organization.name,
        data={"organization": organization.code, "kind": kind, "count": count, "was": current},
    )
    return quota


@transaction.atomic
def round_publicity_start(
    *, actor: Actor, round: HonourRound, starts_on: date, working_days: int = PUBLICITY_MIN_WORKING_DAYS
) -> HonourRound:
    """Put the recommended nominations on the public notice for at least 5 working days."""
    round_ = round
    _check_owner(actor, round_)
    if not PUBLICITY_MIN_WORKING_DAYS <= working_days <= PUBLICITY_MAX_WORKING_DAYS:
        raise ValidationError(
            _("The publicity lasts from %(min)s to %(max)s working days.")
            % {"min": PUBLICITY_MIN_WORKING_DAYS, "max": PUBLICITY_MAX_WORKING_DAYS},
            code="publicity_days",
        )
    if starts_on < timezone.localdate():
        raise ValidationError(_("The publicity cannot start in the past."), code="publicity_past")
    nominations = Nomination.objects.filter(round=round_)
    waiting = nominations.filter(status=Nomination.Status.IN_REVIEW).count()
    if waiting:
        raise ValidationError(
            _("%(n)s nominations still await review; decide them first.") % {"n": waiting}, code="review_pending"
        )
    if not nominations.filter(status=Nomination.Status.RECOMMENDED).exists():
        raise ValidationError(_("No nomination is recommended: there is nothing to publicize."), code="nothing")
    ends_on = publicity_ends_on(starts_on, working_days)
    return state_transition(
        obj=round_,
        to=Status.PUBLICITY,
        actor=actor,
        changes={"publicity_starts_on": starts_on, "publicity_ends_on": ends_on},
        verb=RoundVerb.PUBLICITY_STARTED,
        data={"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(), "working_days": working_days},
    )


def _check_publicity(nomination: Nomination) -> None:
    if nomination.round.status != Status.PUBLICITY or nomination.status != Nomination.Status.RECOMMENDED:
        raise ValidationError(
            _("Objections are recorded against a nomination during its publicity."), code="not_in_publicity"
        )


@transaction.atomic
def objection_record(*, actor: Actor, nomination: Nomination, received_on: date, content: str) -> Objection:
    """Record an objection received during the publicity; its outcome is decided later."""
    _check_owner(actor, nomination.round)
    _check_publicity(nomination)
    content = content.strip()
    if not content:
        raise ValidationError(_("Say what the objection is."), code="no_content")
    if received_on > timezone.localdate():
        raise ValidationError(_("An objection cannot be received in the future."), code="future")
    objection = Objection.objects.create(
        nomination=nomination, received_on=received_on, content=content[:500], recorded_by=actor
    )
    event_record(subject=nomination, actor=actor, verb=NominationVerb.OBJECTION, note=content[:200])
    return objection


@transaction.atomic
def objection_decide(*, actor: Actor, objection: Objection, upheld: bool, note: str) -> Objection:
    """Decide an objection: dismissed (the nomination stands) or upheld (it is withdrawn)."""
    nomination = objection.nomination
    _check_owner(actor, nomination.round)
    _check_publicity(nomination)
    note = note.strip()
    if not note:
        raise ValidationError(_("Say what was found."), code="no_note")
    outcome = Objection.Outcome.UPHELD if upheld else Objection.Outcome.DISMISSED
    if not Objection.objects.filter(pk=objection.pk, outcome=Objection.Outcome.PENDING).update(
        outcome=outcome, outcome_note=note[:300], decided_at=timezone.now()
    ):
        raise ValidationError(_("This objection was already decided."), code="conflict")
    objection.outcome, objection.outcome_note = outcome, note[:300]
    event_record(
        subject=nomination, actor=actor, verb=NominationVerb.OBJECTION_DECIDED, note=note, data={"outcome": outcome}
    )
    if upheld:
        state_transition(
            obj=nomination, to=Nomination.Status.WITHDRAWN, actor=actor, note=note, verb=NominationVerb.WITHDRAWN
        )
    return objection


@transaction.atomic
def round_approve(*, actor: Actor, round: HonourRound) -> HonourRound:
    """Approve the round once its publicity is over and every objection decided."""
    round_ = round
    _check_owner(actor, round_)
    if round_.status != Status.PUBLICITY or round_.publicity_ends_on is None:
        raise ValidationError(_("A round is approved after its publicity."), code="not_in_publicity")
    if timezone.localdate() <= round_.publicity_ends_on:
        raise ValidationError(
            _("The publicity runs until %(date)s; approve from %(next)s.")
            % {"date": round_.publicity_ends_on, "next": round_.publicity_ends_on + timedelta(days=1)},
            code="publicity_running",
        )
    pending = Objection.objects.filter(nomination__round=round_, outcome=Objection.Outcome.PENDING).count()
    if pending:
        raise ValidationError(
            _("%(n)s objections are still being looked into; decide them first.") % {"n": pending},
            code="objections_pending",
        )
    state_transition(obj=round_, to=Status.APPROVED, actor=actor, stamps={Status.APPROVED: "approved_at"})
    for nomination in Nomination.objects.filter(round=round_, status=Nomination.Status.RECOMMENDED):
        state_transition(
            obj=nomination,
            to=Nomination.Status.APPROVED,
            actor=actor,
            stamps={Nomination.Status.APPROVED: "approved_at"},
            verb=NominationVerb.APPROVED,
        )
    return round_


@transaction.atomic
def round_ceremony_record(
    *, actor: Actor, round: HonourRound, held_on: date, place: str, note: str = ""
) -> HonourRound:
    """Record the commendation ceremony of an approved round."""
    round_ = round
    _check_owner(actor, round_)
    if round_.status not in (Status.APPROVED, Status.PUBLISHED):
        raise ValidationError(_("A ceremony is recorded after the round is approved."), code="not_approved")
    place = place.strip()
    if not place:
        raise ValidationError(_("Say where the ceremony was held."), code="no_place")
    if held_on > timezone.localdate():
        raise ValidationError(_("Record a ceremony once it is held."), code="future")
    HonourRound.objects.filter(pk=round_.pk).update(
        ceremony_on=held_on, ceremony_place=place[:120], ceremony_note=note[:300]
    )
    round_.ceremony_on, round_.ceremony_place, round_.ceremony_note = held_on, place[:120], note[:300]
    event_record(subject=round_, actor=actor, verb=RoundVerb.CEREMONY, note=place, data={"on": held_on.isoformat()})
    return round_


@transaction.atomic
def round_publish(*, actor: Actor, round: HonourRound) -> HonourRound:
    """Publish the list of those honoured (a public page)."""
    _check_owner(actor, round)
    return state_transition(
        obj=round, to=Status.PUBLISHED, actor=actor, stamps={Status.PUBLISHED: "published_at"}, verb=RoundVerb.PUBLISHED
    )

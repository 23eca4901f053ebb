"""Nominating within a quota, with the eligibility warnings, and the review up the tree."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.types import Actor
from lianxin.core.services import event_record
from lianxin.core.transitions import state_transition
from lianxin.dues.selectors import months_behind
from lianxin.honours.models import MEMBER_KINDS, AwardKind, HonourRound, Nomination, NominationReview, NominationVerb
from lianxin.honours.permissions import manages, parent_of
from lianxin.honours.rules import eligibility as rules
from lianxin.honours.services.rounds import _check_nominating, _lock_quota, not_allowed, quota_used
from lianxin.members.models import Member
from lianxin.organizations.models import Organization

DEEDS_MAX = 600
NOTE_MAX = 300


def nomination_warnings(*, round: HonourRound, kind: str, member: Member | None, confirmed: bool) -> list[str]:
    """The eligibility warnings for a nominee (codes of rules.eligibility.WARNINGS); none block."""
    if member is None:
        return []
    found: list[str] = []
    if member.category != Member.Category.FULL:
        found.append(rules.NOT_FULL_MEMBER)
    if not confirmed:
        found.append(rules.DISCIPLINE_NOT_CONFIRMED)
    if months_behind(member_ids=[member.pk], on=timezone.localdate()):
        found.append(rules.DUES_IN_ARREARS)
    others = Nomination.objects.filter(
        round__year=round.year, member=member, status__in=Nomination.HOLDING_STATUSES
    ).exclude(round=round)
    if others.exists():  # another round of the year, awarded or still standing
        found.append(rules.ALREADY_HONOURED)
    return found


def _check_nominee(
    round_: HonourRound, nominated_by: Organization, kind: str, member: Member | None, nominee: Organization | None
) -> tuple[str, str]:
    """The nominee's name and unit; the nominee must be of the kind and in the nominator's subtree."""
    if kind in MEMBER_KINDS:
        if member is None:
            raise ValidationError(_("Choose the member nominated."), code="no_member")
        if not member.organization.path.startswith(nominated_by.path):
            raise ValidationError(
                _("%(name)s is not in %(org)s or below.") % {"name": member.name, "org": nominated_by.name},
                code="not_in_subtree",
            )
        if member.category not in Member.PARTY_MEMBER_CATEGORIES:
            raise ValidationError(_("%(name)s is not a Party member.") % {"name": member.name}, code="not_member")
        if Nomination.objects.filter(round=round_, member=member, status__in=Nomination.HOLDING_STATUSES).exists():
            _raise_duplicate(member.name)
        return member.name, member.organization.name
    if nominee is None:
        raise ValidationError(_("Choose the organization nominated."), code="no_organization")
    if not nominee.path.startswith(nominated_by.path):
        raise ValidationError(
            _("%(name)s is not in %(org)s or below.") % {"name": nominee.name, "org": nominated_by.name},
            code="not_in_subtree",
        )
    if Nomination.objects.filter(
        round=round_, nominee_organization=nominee, status__in=Nomination.HOLDING_STATUSES
    ).exists():
        _raise_duplicate(nominee.name)
    parent = parent_of(nominee)
    return nominee.name, parent.name if parent is not None else nominee.name


def _clean_deeds(deeds: str) -> str:
    deeds = deeds.strip()
    if not deeds:
        raise ValidationError(_("Give a short account of the nominee's deeds."), code="no_deeds")
    if len(deeds) > DEEDS_MAX:
        raise ValidationError(
            _("Keep the account of deeds to %(max)s characters.") % {"max": DEEDS_MAX}, code="deeds_long"
        )
    return deeds


def _raise_duplicate(name: str) -> None:
    raise ValidationError(_("%(name)s is already nominated in this round.") % {"name": name}, code="duplicate")


@transaction.atomic
def nomination_create(
    *,
    actor: Actor,
    round: HonourRound,
    nominated_by: Organization,
    kind: str,
    deeds: str,
    member: Member | None = None,
    nominee_organization: Organization | None = None,
    no_discipline_confirmed: bool = False,
) -> Nomination:
    """Nominate a member or an organization of `nominated_by`'s subtree within its quota. The
    eligibility checks warn (kept on the nomination with their reasons); a full quota refuses."""
    round_ = round
    if not manages(actor, nominated_by):
        raise not_allowed()
    _check_nominating(round_)
    if kind not in AwardKind.values:
        raise ValidationError(_("Unknown award kind %(kind)s.") % {"kind": kind}, code="kind")
    if kind in MEMBER_KINDS:
        nominee_organization = None
    else:
        member = None
    deeds = _clean_deeds(deeds)
    name, unit = _check_nominee(round_, nominated_by, kind, member, nominee_organization)
    quota = _lock_quota(round_, nominated_by, kind)
    if quota is None or quota_used(round_, nominated_by, kind) >= quota.count:
        raise ValidationError(
            _("The quota of %(kind)s for %(org)s is used up (%(n)s); nothing was nominated.")
            % {"kind": AwardKind(kind).label, "org": nominated_by.name, "n": quota.count if quota else 0},
            code="quota_exhausted",
        )
    warnings = nomination_warnings(round=round_, kind=kind, member=member, confirmed=no_discipline_confirmed)
    owner = round_.owner
    review_at = owner if nominated_by.pk == owner.pk else parent_of(nominated_by)
    nomination = Nomination.objects.create(
        round=round_,
        kind=kind,
        nominated_by=nominated_by,
        member=member,
        nominee_organization=nominee_organization,
        name=name,
        unit=unit,
        deeds=deeds,
        no_discipline_confirmed=no_discipline_confirmed,
        warnings=warnings,
        review_at=review_at,
        created_by=actor,
    )
    event_record(
        subject=nomination,
        actor=actor,
        verb=NominationVerb.NOMINATED,
        to_state=nomination.status,
        data={"warnings": warnings},
    )
    return nomination


@transaction.atomic
def nomination_review(*, actor: Actor, nomination: Nomination, recommend: bool, note: str = "") -> Nomination:
    """The organization the nomination waits on recommends it (up to the next level, or, at the
    round's organization, to the publicity) or does not, saying why."""
    round_ = nomination.round
    _check_nominating(round_)
    at = nomination.review_at
    if at is None or nomination.status != Nomination.Status.IN_REVIEW:
        raise ValidationError(_("This nomination is not awaiting review."), code="not_in_review")
    if not manages(actor, at):
        raise not_allowed()
    note = note.strip()[:NOTE_MAX]
    if not recommend and not note:
        raise ValidationError(_("Say why the nomination is not recommended."), code="no_note")
    NominationReview.objects.create(
        nomination=nomination, organization=at, recommend=recommend, note=note, reviewed_by=actor
    )
    data = {"organization": at.code}
    if not recommend:
        return state_transition(
            obj=nomination,
            to=Nomination.Status.NOT_RECOMMENDED,
            actor=actor,
            changes={"review_at": None},
            note=note,
            verb=NominationVerb.NOT_RECOMMENDED,
            data=data,
        )
    if at.pk == round_.owner_id:
        return state_transition(
            obj=nomination,
            to=Nomination.Status.RECOMMENDED,
            actor=actor,
            changes={"review_at": None},
            note=note,
            verb=NominationVerb.RECOMMENDED,
            data=data,
        )
    parent = parent_of(at)
    if not Nomination.objects.filter(pk=nomination.pk, review_at=at, status=nomination.status).update(review_at=parent):
        raise ValidationError(_("This nomination has just been reviewed by someone else."), code="conflict")
    nomination.review_at = parent
    event_record(subject=nomination, actor=actor, verb=NominationVerb.RECOMMENDED, note=note, data=data)
    return nomination

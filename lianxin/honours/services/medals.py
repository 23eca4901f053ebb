"""The 光荣在党50年 medal: a person confirms the member's good standing, then the issuance is
recorded, at a ceremony or delivered home (送章到家), with an optional photo kept private."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.types import Actor
from lianxin.core.services import event_record
from lianxin.core.transitions import state_transition
from lianxin.core.uploads import photo_clean, photo_max_bytes
from lianxin.honours.models import MedalAward, MedalVerb
from lianxin.honours.permissions import manages
from lianxin.honours.rules.eligibility import medal_cutoff
from lianxin.members.models import Member

TEXT_MAX = 60
PLACE_MAX = 120


def _not_allowed() -> ValidationError:
    return ValidationError(_("You are not allowed to do this for this member."), code="forbidden")


def _check_living_eligible(member: Member, year: int) -> None:
    if member.category != Member.Category.FULL:
        raise ValidationError(
            _("%(name)s is not a living full member on the roster; the medal is not issued.") % {"name": member.name},
            code="not_living_full",
        )
    if member.full_on is None:
        raise ValidationError(
            _("The date %(name)s became a full member is missing; check it on the roster first.")
            % {"name": member.name},
            code="needs_checking",
        )
    if member.full_on > medal_cutoff(year):
        raise ValidationError(
            _("%(name)s does not reach 50 years in the Party by 1 July %(year)s.")
            % {"name": member.name, "year": year},
            code="not_fifty",
        )


@transaction.atomic
def medal_confirm(*, actor: Actor, member: Member, year: int, note: str = "") -> MedalAward:
    """A person confirms the member is in good standing; the medal then waits to be issued."""
    if not manages(actor, member.organization):
        raise _not_allowed()
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise ValidationError(_("The year %(year)s is out of range.") % {"year": year}, code="year")
    _check_living_eligible(member, year)
    if MedalAward.objects.filter(member=member).exists():
        raise ValidationError(
            _("%(name)s already has the medal on record.") % {"name": member.name}, code="already_confirmed"
        )
    try:
        with transaction.atomic():
            award = MedalAward.objects.create(
                member=member,
                year=year,
                organization=member.organization,
                confirmed_by=actor,
                standing_note=note.strip()[:300],
            )
    except IntegrityError:
        raise ValidationError(
            _("%(name)s already has the medal on record.") % {"name": member.name}, code="already_confirmed"
        ) from None
    event_record(subject=award, actor=actor, verb=MedalVerb.CONFIRMED, to_state=award.status, note=award.standing_note)
    return award


def _issuance_fields(way: str, ceremony: str, place: str, presented_by: str, delivered_by: str) -> dict[str, str]:
    if way == MedalAward.Way.CEREMONY:
        fields = {"ceremony": ceremony.strip(), "place": place.strip(), "presented_by": presented_by.strip()}
        if not all(fields.values()):
            raise ValidationError(
                _("At a ceremony, say which ceremony, where, and who presented the medal."), code="ceremony_details"
            )
        return {**fields, "delivered_by": ""}
    if way == MedalAward.Way.HOME:
        if not delivered_by.strip():
            raise ValidationError(_("Say who delivered the medal home."), code="delivered_by")
        return {"ceremony": "", "place": "", "presented_by": "", "delivered_by": delivered_by.strip()}
    raise ValidationError(_("Say how the medal was issued."), code="way")


@transaction.atomic
def medal_issue(
    *,
    actor: Actor,
    award: MedalAward,
    way: str,
    issued_on: date,
    ceremony: str = "",
    place: str = "",
    presented_by: str = "",
    delivered_by: str = "",
    photo: UploadedFile | None = None,
) -> MedalAward:
    """Record the medal as issued at a ceremony (which, where, who presented) or delivered home
    (who, when; a photo optional). A member who died or left meanwhile is not issued."""
    member = award.member
    if not manages(actor, member.organization):
        raise _not_allowed()
    if award.status != MedalAward.Status.CONFIRMED:
        raise ValidationError(_("This medal is already issued."), code="already_issued")
    if member.category != Member.Category.FULL:
        raise ValidationError(
            _("%(name)s is no longer a living full member; the medal is kept apart, not issued.")
            % {"name": member.name},
            code="not_living_full",
        )
    fields = _issuance_fields(way, ceremony, place, presented_by, delivered_by)
    for key, value in fields.items():
        if len(value) > (PLACE_MAX if key in ("ceremony", "place") else TEXT_MAX):
            raise ValidationError(_("%(value)s is too long.") % {"value": value[:20]}, code="too_long")
    if issued_on > timezone.localdate():
        raise ValidationError(_("Record the medal once it is issued, not before."), code="future")
    if issued_on.year < award.year - 1:
        raise ValidationError(_("The date of issue is before this year's list."), code="too_early")
    cleaned = photo_clean(photo, max_bytes=photo_max_bytes()) if photo is not None else None
    award = state_transition(
        obj=award,
        to=MedalAward.Status.ISSUED,
        actor=actor,
        changes={"way": way, "issued_on": issued_on, **fields},
        stamps={MedalAward.Status.ISSUED: "issued_at"},
        verb=MedalVerb.ISSUED,
        data={"way": way, "on": issued_on.isoformat()},
    )
    if cleaned is not None:
        award.photo.save(cleaned.name or "photo.jpg", cleaned, save=False)
        MedalAward.objects.filter(pk=award.pk).update(photo=award.photo.name)
    return award

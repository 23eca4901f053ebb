"""Writes of visits: each visit with who went, when, the money and goods given and an optional photo.

A second visit to the same recipient in one round is recorded, and warned of: the warning is on the
visit (`repeat`), on the round's timeline and in what the service returns."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lianxin.accounts.types import Actor
from lianxin.care import permissions
from lianxin.care.models import CareBudget, CareRecipient, CareRound, CareVisit, RoundVerb
from lianxin.care.models.rounds import visit_cap
from lianxin.care.selectors.rounds import budget_of, spent_under
from lianxin.care.services.rounds import money_clean
from lianxin.core.services import event_record
from lianxin.core.uploads import photo_clean, photo_max_bytes
from lianxin.organizations.models import Organization


@dataclass
class VisitRecorded:
    visit: CareVisit
    warnings: list[str] = field(default_factory=list)


def _not_allowed() -> ValidationError:
    return ValidationError(_("You are not allowed to record visits for this recipient."), code="forbidden")


def _text(value: str, limit: int, message: str, code: str, *, required: bool = False) -> str:
    value = value.strip()
    if required and not value:
        raise ValidationError(message, code=code)
    if len(value) > limit:
        raise ValidationError(_("Keep it to %(n)s characters: %(text)s…") % {"n": limit, "text": value[:20]}, code=code)
    return value


def _check_visit(
    round_: CareRound, recipient: CareRecipient, organization: Organization, visited_on: date, actor: Actor
) -> None:
    if round_.status != CareRound.Status.OPEN:
        raise ValidationError(_("Visits are recorded while the round is open."), code="not_open")
    if recipient.round_id != round_.pk:
        raise ValidationError(_("This person is not a recipient of this round."), code="recipient")
    if not organization.path.startswith(round_.organization.path):
        raise ValidationError(
            _("%(name)s is not under the organizer of this round.") % {"name": organization.name}, code="outside"
        )
    if not (permissions.manages(actor, recipient.organization.path) and permissions.manages(actor, organization.path)):
        raise _not_allowed()
    if visited_on > timezone.localdate():
        raise ValidationError(_("A visit cannot be recorded before it happens."), code="future")
    if visited_on.year != round_.year:
        raise ValidationError(
            _("The visit must lie in the round's year %(year)s.") % {"year": round_.year}, code="visit_year"
        )


@transaction.atomic
def visit_record(
    *,
    actor: Actor,
    round_: CareRound,
    recipient: CareRecipient,
    organization: Organization,
    visitors: str,
    visited_on: date,
    money: Decimal | None = None,
    goods: str = "",
    goods_value: Decimal | None = None,
    note: str = "",
    photo: UploadedFile | None = None,
) -> VisitRecorded:
    """Record a visit; a recipient visited before in the round is warned of, never refused."""
    # The recipient's row is the lock: two first visits at once see each other.
    recipient = CareRecipient.objects.select_for_update().select_related("organization").get(pk=recipient.pk)
    _check_visit(round_, recipient, organization, visited_on, actor)
    visitors = _text(visitors, 200, _("Say who visited."), "no_visitors", required=True)
    goods = _text(goods, 200, "", "goods")
    note = _text(note, 300, "", "note")
    cap = visit_cap()
    money = money_clean(money, cap=cap, what=_("The money"))
    goods_value = money_clean(goods_value, cap=cap, what=_("The value of the goods"))
    if goods_value and not goods:
        raise ValidationError(_("Describe the goods whose value is given."), code="goods_needed")
    cleaned = photo_clean(photo, max_bytes=photo_max_bytes()) if photo is not None else None
    before = CareVisit.objects.filter(round=round_, recipient=recipient).count()
    visit = CareVisit(
        round=round_,
        recipient=recipient,
        organization=organization,
        visitors=visitors,
        visited_on=visited_on,
        money=money,
        goods=goods,
        goods_value=goods_value,
        note=note,
        repeat=before > 0,
        recorded_by=actor,
    )
    if cleaned is not None:
        visit.photo.save(cleaned.name or "photo", cleaned, save=False)
    visit.save()
    warnings = _repeat_warning(recipient, before) + _over_budget(round_, organization)
    event_record(
        subject=round_,
        actor=actor,
        verb=RoundVerb.VISITED_AGAIN if visit.repeat else RoundVerb.VISITED,
        note=" ".join(warnings),
        data={"visit": visit.pk, "recipient": recipient.pk, "yuan": str(visit.total)},
    )
    return VisitRecorded(visit, warnings)


def _repeat_warning(recipient: CareRecipient, before: int) -> list[str]:
    if not before:
        return []
    return [
        ngettext(
            "%(name)s had already been visited once in this round; this visit is recorded as a repeat.",
            "%(name)s had already been visited %(n)s times in this round; this visit is recorded as a repeat.",
            before,
        )
        % {"name": recipient.name, "n": before}
    ]


def _over_budget(round_: CareRound, organization: Organization) -> list[str]:
    """A warning when the budget the visit is paid from is now overspent (the visit stays recorded)."""
    budget: CareBudget | None = budget_of(round_, organization)
    if budget is None:
        return []
    spent = spent_under(round_, budget.organization)
    if spent <= budget.amount:
        return []
    return [
        _("%(name)s has now spent %(spent)s yuan of a budget of %(budget)s yuan.")
        % {"name": budget.organization.name, "spent": f"{spent:.2f}", "budget": f"{budget.amount:.2f}"}
    ]

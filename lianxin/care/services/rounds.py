"""Writes of care rounds: create, open and close, hand budgets down the tree, draw or add recipients."""

import re
from collections.abc import Collection
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lianxin.accounts.types import Actor
from lianxin.care import permissions
from lianxin.care.documents.ledger import round_ledger_xlsx
from lianxin.care.models import CareBudget, CareRecipient, CareRound, RoundVerb, TargetGroup
from lianxin.care.models.rounds import BUDGET_CAP
from lianxin.care.rules.recipients import DrawRule
from lianxin.care.selectors.rounds import (
    budget_children_sum,
    budget_parent,
    draw_candidates,
    round_totals,
    visits_visible,
)
from lianxin.core.services import audit_record, event_record
from lianxin.core.transitions import state_transition
from lianxin.members.models import Member
from lianxin.organizations.models import Organization

Status = CareRound.Status
STAMPS: dict[str, str] = {Status.OPEN: "opened_at", Status.CLOSED: "closed_at"}
# The most recipients one draw may confirm: a preview shows at most this many.
DRAW_MAX = 500
# Digits that read as an ID or a mobile number: never kept for a person not on the roster.
_NUMBER_LIKE = re.compile(r"\d{7,}")


def _not_allowed() -> ValidationError:
    return ValidationError(_("You are not allowed to do this in this care round."), code="forbidden")


def _in_round(round_: CareRound, organization: Organization) -> None:
    if not organization.path.startswith(round_.organization.path):
        raise ValidationError(
            _("%(name)s is not under the organizer of this round.") % {"name": organization.name}, code="outside"
        )


def _not_closed(round_: CareRound) -> None:
    if round_.status == Status.CLOSED:
        raise ValidationError(_("This care round is closed."), code="closed")


def money_clean(value: Decimal | None, *, cap: Decimal, what: str) -> Decimal:
    """An amount in yuan: not negative, at most two decimals, at most `cap`."""
    if value is None:
        return Decimal("0")
    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValidationError(_("%(what)s is not an amount in yuan.") % {"what": what}, code="amount") from exc
    if not value.is_finite():
        raise ValidationError(_("%(what)s is not an amount in yuan.") % {"what": what}, code="amount")
    if value < 0:
        raise ValidationError(_("%(what)s cannot be negative.") % {"what": what}, code="negative_amount")
    if value > cap:
        raise ValidationError(
            _("%(what)s of %(amount)s yuan is over the limit of %(cap)s yuan.")
            % {"what": what, "amount": value, "cap": cap},
            code="amount_over_cap",
        )
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(_("%(what)s has more than two decimals.") % {"what": what}, code="amount")
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def round_create(
    *,
    actor: Actor,
    organization: Organization,
    title: str,
    occasion: str,
    year: int,
    on: date,
    target_groups: Collection[str],
    note: str = "",
) -> CareRound:
    if not permissions.manages(actor, organization.path):
        raise _not_allowed()
    title = title.strip()
    if not title or len(title) > 100:
        raise ValidationError(_("Give the round a title of at most 100 characters."), code="title")
    if occasion not in CareRound.Occasion.values:
        raise ValidationError(_("Unknown occasion %(value)s.") % {"value": occasion}, code="occasion")
    if not 2000 <= year <= 2100:
        raise ValidationError(_("The year must lie between 2000 and 2100."), code="year")
    if on.year != year:
        raise ValidationError(_("The reference date must lie in the round's year."), code="on")
    groups = list(dict.fromkeys(target_groups))
    if not groups:
        raise ValidationError(_("Choose at least one target group."), code="no_groups")
    unknown = [g for g in groups if g not in TargetGroup.values]
    if unknown:
        raise ValidationError(_("Unknown target group %(value)s.") % {"value": unknown[0]}, code="groups")
    round_ = CareRound.objects.create(
        title=title,
        occasion=occasion,
        year=year,
        on=on,
        organization=organization,
        target_groups=groups,
        note=note.strip()[:300],
        created_by=actor,
    )
    event_record(subject=round_, actor=actor, verb=RoundVerb.CREATED, to_state=round_.status)
    return round_


@transaction.atomic
def round_move(*, actor: Actor, round_: CareRound, to: str, note: str = "") -> CareRound:
    """Open a round for visits, or close it: only the organizer's admins."""
    if not permissions.manages(actor, round_.organization.path):
        raise _not_allowed()
    verb = RoundVerb.OPENED if to == Status.OPEN else RoundVerb.CLOSED
    return state_transition(
        obj=round_,
        to=to,
        actor=actor,
        stamps=STAMPS,
        note=note.strip()[:200],
        verb=verb,
        conflict=_("This care round has just been changed by someone else; reload the page."),
    )


def _budget_check(round_: CareRound, organization: Organization, amount: Decimal, actor: Actor) -> None:
    """The organizer's admins set the whole; below it, whoever manages the organization handing down,
    never more than that organization holds after what it has already handed to others."""
    budgets = list(CareBudget.objects.filter(round=round_).select_related("organization"))
    below = budget_children_sum(budgets, organization.path)
    if amount < below:
        raise ValidationError(
            _("%(name)s has already handed down %(below)s yuan; its budget cannot be less.")
            % {"name": organization.name, "below": f"{below:.2f}"},
            code="below_handed_down",
        )
    if organization.pk == round_.organization_id:
        if not permissions.manages(actor, organization.path):
            raise _not_allowed()
        return
    parent = budget_parent(budgets, organization.path)
    if parent is None:
        raise ValidationError(
            _("%(name)s has no budget above it to hand down from yet.") % {"name": organization.name},
            code="no_parent_budget",
        )
    if not permissions.manages(actor, parent.organization.path):
        raise _not_allowed()
    others = budget_children_sum(budgets, parent.organization.path, leave_out=organization.path)
    free = parent.amount - others
    if amount > free:
        raise ValidationError(
            _("%(parent)s holds %(free)s yuan still to hand down; %(amount)s yuan is more than that.")
            % {"parent": parent.organization.name, "free": f"{free:.2f}", "amount": f"{amount:.2f}"},
            code="over_parent",
        )


@transaction.atomic
def budget_set(*, actor: Actor, round_: CareRound, organization: Organization, amount: Decimal) -> CareBudget:
    """Set what `organization` holds for the round (the organizer: the whole; others: handed down)."""
    # One budget change of a round at a time: the round's row is the lock.
    round_ = CareRound.objects.select_for_update().select_related("organization").get(pk=round_.pk)
    _not_closed(round_)
    _in_round(round_, organization)
    amount = money_clean(amount, cap=BUDGET_CAP, what=_("The budget"))
    _budget_check(round_, organization, amount, actor)
    budget, _created = CareBudget.objects.update_or_create(
        round=round_, organization=organization, defaults={"amount": amount, "set_by": actor}
    )
    event_record(
        subject=round_,
        actor=actor,
        verb=RoundVerb.BUDGET_SET,
        note=_("%(name)s: %(amount)s yuan") % {"name": organization.name, "amount": f"{amount:.2f}"},
        data={"organization": organization.pk, "amount": str(amount)},
    )
    return budget


@transaction.atomic
def recipients_draw(
    *, actor: Actor, round_: CareRound, rule: DrawRule, organization: Organization, member_ids: Collection[int]
) -> list[CareRecipient]:
    """Confirm a preview: the ticked members must still be what the rule draws, all of them or none."""
    _not_closed(round_)
    _in_round(round_, organization)
    if not permissions.manages(actor, organization.path):
        raise _not_allowed()
    ids = set(member_ids)
    if not ids:
        raise ValidationError(_("Tick at least one member."), code="none_ticked")
    if len(ids) > DRAW_MAX:
        raise ValidationError(_("Confirm at most %(n)s recipients at a time.") % {"n": DRAW_MAX}, code="too_many")
    members = list(draw_candidates(round_=round_, rule=rule, organization=organization).filter(pk__in=ids))
    if len(members) != len(ids):
        raise ValidationError(
            _("%(n)s of the ticked members are no longer drawn by this rule; nothing was added. Preview again.")
            % {"n": len(ids) - len(members)},
            code="stale_preview",
        )
    recipients = CareRecipient.objects.bulk_create(
        CareRecipient(
            round=round_,
            member=m,
            name=m.name,
            group=rule.group,
            organization_id=m.organization_id,
            source=CareRecipient.Source.RULE,
            added_by=actor,
        )
        for m in members
    )
    event_record(
        subject=round_,
        actor=actor,
        verb=RoundVerb.RECIPIENTS_DRAWN,
        note=ngettext("%(n)s recipient added.", "%(n)s recipients added.", len(recipients)) % {"n": len(recipients)},
        data={"rule": rule.kind, "years": rule.years, "organization": organization.pk, "added": len(recipients)},
    )
    return recipients


def _person_clean(name: str, note: str) -> tuple[str, str]:
    name, note = name.strip(), note.strip()
    if not name:
        raise ValidationError(_("Give the name of the person to visit."), code="no_name")
    if len(name) > 50 or len(note) > 200:
        raise ValidationError(_("Keep the name to 50 and the note to 200 characters."), code="too_long")
    if _NUMBER_LIKE.search(name) or _NUMBER_LIKE.search(note):
        raise ValidationError(
            _("Do not write ID or phone numbers here: a name and a short note are enough."), code="number"
        )
    return name, note


@transaction.atomic
def recipient_add(
    *,
    actor: Actor,
    round_: CareRound,
    group: str,
    member: Member | None = None,
    name: str = "",
    note: str = "",
    organization: Organization | None = None,
) -> CareRecipient:
    """Add a member from the roster, or a person not on it (a name and a short note, never an ID)."""
    _not_closed(round_)
    if group not in TargetGroup.values:
        raise ValidationError(_("Unknown target group %(value)s.") % {"value": group}, code="groups")
    if member is not None:
        organization = member.organization
        if member.category not in Member.PARTY_MEMBER_CATEGORIES:
            raise ValidationError(
                _("%(name)s is not a Party member on the roster.") % {"name": member.name}, code="member"
            )
        if CareRecipient.objects.filter(round=round_, member=member).exists():
            raise ValidationError(
                _("%(name)s is already a recipient of this round.") % {"name": member.name}, code="duplicate"
            )
        name, note = member.name, _person_clean(member.name, note)[1]
    else:
        if organization is None:
            raise ValidationError(_("Choose the organization that visits this person."), code="organization")
        name, note = _person_clean(name, note)
    _in_round(round_, organization)
    if not permissions.manages(actor, organization.path):
        raise _not_allowed()
    recipient = CareRecipient.objects.create(
        round=round_,
        member=member,
        name=name,
        note=note,
        group=group,
        organization=organization,
        source=CareRecipient.Source.HAND,
        added_by=actor,
    )
    event_record(
        subject=round_, actor=actor, verb=RoundVerb.RECIPIENT_ADDED, data={"recipient": recipient.pk, "group": group}
    )
    return recipient


def round_ledger_export(*, actor: Actor, round_: CareRound) -> bytes:
    """The visit ledger of the round as the actor reads it (their subtree), audited and on the timeline."""
    visits = list(visits_visible(user=actor, round_=round_))
    totals = round_totals(user=actor, round_=round_)
    content = round_ledger_xlsx(round_, visits, totals)
    audit_record(
        actor=actor,
        action="care.ledger_export",
        target=f"care_round:{round_.pk}",
        detail={"visits": len(visits), "yuan": str(totals.yuan)},
    )
    event_record(subject=round_, actor=actor, verb=RoundVerb.EXPORTED, data={"visits": len(visits)})
    return content

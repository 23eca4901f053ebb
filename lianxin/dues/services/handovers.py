"""上缴: what a branch hands up to its Party committee for a month's dues."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Actor
from lianxin.core.services import event_record
from lianxin.dues.models import DuesVerb, Handover
from lianxin.dues.rules.months import month_of, year_month
from lianxin.dues.rules.standard import CENT
from lianxin.organizations.models import Organization

HANDOVER_CAP = Decimal("10000000.00")


@transaction.atomic
def handover_record(
    *,
    actor: Actor | None,
    organization: Organization,
    month: date,
    amount: Decimal,
    handed_on: date,
    note: str = "",
    today: date | None = None,
) -> Handover:
    """Record that `organization` handed `amount` yuan of `month`'s dues to its parent organization."""
    today = today or timezone.localdate()
    month = month_of(month)
    if actor is not None and not roster_scope(actor).contains(organization.path):
        raise ValidationError(_("You may not record hand-overs for this organization."), code="forbidden")
    parent: Organization | None = Organization.objects.get_parent(organization)
    if parent is None:
        raise ValidationError(_("This organization has no Party committee above it to hand over to."), code="no_parent")
    if amount < 0 or amount != amount.quantize(CENT) or amount > HANDOVER_CAP:
        raise ValidationError(_("Enter the amount handed over in yuan, with at most two decimals."), code="bad_amount")
    if handed_on > today:
        raise ValidationError(_("The hand-over date %(date)s is in the future.") % {"date": handed_on}, code="bad_date")
    if month > month_of(handed_on):
        raise ValidationError(
            _("The dues of %(month)s cannot be handed over before that month.") % {"month": year_month(month)},
            code="bad_month",
        )
    if len(note) > 200:
        raise ValidationError(_("The note is at most 200 characters."), code="too_long")
    if Handover.objects.filter(organization=organization, month=month).exists():
        raise ValidationError(
            _("The hand-over of %(month)s is already recorded.") % {"month": year_month(month)}, code="duplicate"
        )
    handover = Handover.objects.create(
        organization=organization,
        to_organization=parent,
        month=month,
        amount=amount,
        handed_on=handed_on,
        note=note,
        recorded_by=actor,
    )
    event_record(
        subject=handover,
        actor=actor,
        verb=DuesVerb.HANDED_OVER,
        data={"month": year_month(month), "amount": str(amount), "to": parent.pk},
    )
    return handover

"""The yearly re-assessment: a branch may carry last year's band and amount forward, in one step,
for every member of its subtree not yet assessed for the year whose income has not changed."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Actor
from lianxin.core.services import event_record
from lianxin.dues.models import Assessment, DuesAccount, DuesVerb
from lianxin.dues.rules.standard import amount_problem
from lianxin.dues.selectors.ledger import not_assessed_of
from lianxin.organizations.models import Organization

CARRY_MAX = 5000  # members in one step


@transaction.atomic
def assessments_carry_forward(
    *, actor: Actor | None, organization: Organization, year: int, today: date | None = None
) -> int:
    """Assess for `year`, at last year's basis and amount, each Party member of the subtree not yet
    assessed for it who was assessed last year; how many were assessed. All or nothing."""
    today = today or timezone.localdate()
    if actor is not None and not roster_scope(actor).contains(organization.path):
        raise ValidationError(_("You may not record dues for this organization."), code="forbidden")
    if not 2009 <= year <= today.year + 1:
        raise ValidationError(
            _("The year must be between %(first)d and %(last)d.") % {"first": 2009, "last": today.year + 1}
        )
    waiting = not_assessed_of(organization=organization, year=year).values("pk")
    previous = list(
        Assessment.objects.filter(year=year - 1, member_id__in=waiting).select_related("member")[: CARRY_MAX + 1]
    )
    if len(previous) > CARRY_MAX:
        raise ValidationError(
            _("More than %(n)d members at once: carry the assessments forward for each organization below.")
            % {"n": CARRY_MAX}
        )
    if not previous:
        raise ValidationError(_("Nobody waiting for the year was assessed the year before."), code="nothing")
    for old in previous:
        problem = amount_problem(old.basis, old.monthly_amount)
        if problem:
            raise ValidationError(f"{old.member.name}: {problem}")
    Assessment.objects.bulk_create(
        [
            Assessment(
                member_id=old.member_id,
                year=year,
                basis=old.basis,
                monthly_amount=old.monthly_amount,
                note=_("carried forward from %(year)d") % {"year": year - 1},
                assessed_by=actor,
            )
            for old in previous
        ]
    )
    for account in DuesAccount.objects.filter(member_id__in=[old.member_id for old in previous]):
        event_record(subject=account, actor=actor, verb=DuesVerb.ASSESSED, data={"year": year, "carried": True})
    return len(previous)

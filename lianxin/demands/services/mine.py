"""A resident's own demands: one sent without an account is added to it with its lookup code.

The claim needs the code and the last four digits of the mobile number left with the demand,
like the public lookup. Any miss (no such code, other digits, a demand already someone's)
gets the same answer, so a claim never tells whether a code exists; misses are counted per
account (core.throttling) and taken before the lookup, however many requests come at once.
"""

import hmac

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.accounts.types import Actor
from lianxin.core.services import audit_record, event_record
from lianxin.core.throttling import Rule, throttle_give_back, throttle_minutes_left, throttle_take
from lianxin.demands.models import LOOKUP_ALPHABET, Demand, DemandVerb
from lianxin.demands.services.public import normalize_code

CLAIMS = Rule("demand-claim", "DEMAND_CLAIM_FAILURE_LIMIT", 5)
# The audit action of a claim (AuditEntry.action).
CLAIMED = "demand_claimed"


def _no_match() -> ValidationError:
    return ValidationError(
        _("No demand you can add matches this code and these digits. Check both and try again."), code="no_match"
    )


def _claimable(code: str, digits: str, actor: Actor) -> Demand | None:
    if len(code) != 8 or any(c not in LOOKUP_ALPHABET for c in code) or len(digits) != 4 or not digits.isdigit():
        return None
    demand: Demand | None = Demand.objects.filter(lookup_code=code).first()
    if demand is None or demand.resident_id not in (None, actor.pk) or not demand.submitter_phone:
        return None
    # Constant-time comparison: response times do not reveal how many digits were right.
    return demand if hmac.compare_digest(demand.submitter_phone[-4:], digits) else None


def demand_claim(*, actor: Actor, code: str, phone_last4: str) -> Demand:
    """Add the demand with this lookup code, whose mobile number ends in these digits, to the
    actor's own demands; claiming one already theirs changes nothing.

    Not atomic as a whole: a miss must stay counted. Raises ValidationError "rate_limited"
    (nothing looked up) when the account has no try left, "no_match" on any miss."""
    key = f"user:{actor.pk}"
    if not throttle_take(rule=CLAIMS, key=key):
        raise ValidationError(
            _("Too many attempts. Try again in %(minutes)s minutes."),
            code="rate_limited",
            params={"minutes": throttle_minutes_left(rule=CLAIMS, key=key)},
        )
    demand = _claimable(normalize_code(code), (phone_last4 or "").strip(), actor)
    if demand is None:
        raise _no_match()
    throttle_give_back(rule=CLAIMS, key=key)
    if demand.resident_id == actor.pk:
        return demand
    return _demand_claimed(demand=demand, actor=actor)


@transaction.atomic
def _demand_claimed(*, demand: Demand, actor: Actor) -> Demand:
    # Conditional: of two accounts claiming at once, one gets it.
    if not Demand.objects.filter(pk=demand.pk, resident__isnull=True).update(resident=actor):
        raise _no_match()
    demand.resident = actor
    event_record(subject=demand, actor=actor, verb=DemandVerb.CLAIMED)
    audit_record(actor=actor, action=CLAIMED, target=f"demands.demand:{demand.pk}")
    return demand

"""Residents submit a demand on a public page and follow it with a lookup code.

No account is needed. Spam is held back by a honeypot field (checked in the form) and by a
limit on submissions per client address per hour (the address from `core.clients`, so each
resident behind the proxy counts apart). The limit is a counter taken in the same transaction
that saves the demand (`core.throttling`), so simultaneous submissions cannot overrun it and
a refused submission uses none of it. The address itself is never stored: the counter and the
timeline keep only keyed hashes.

A lookup needs the code and the last four digits of the phone number given with the demand;
tries are counted per code and per address, apart from failed logins, and taken before the
lookup, so neither can be guessed by trying, however many requests come at once.
"""

import hmac
import re
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.accounts.models import User
from lianxin.accounts.types import Viewer
from lianxin.core.crypto import lookup_hash
from lianxin.core.services import event_record
from lianxin.core.throttling import Rule, throttle_give_back, throttle_take, throttle_used
from lianxin.demands.models import LOOKUP_ALPHABET, Demand, DemandCategory, DemandVerb
from lianxin.demands.services.handling import demand_create
from lianxin.organizations.models import Area, Organization

# The timeline verb of a submission through the public page; its data holds the address hash.
SUBMITTED_ONLINE = DemandVerb.SUBMITTED_ONLINE

SUBMISSIONS = Rule(
    "demand-submission", "DEMAND_PUBLIC_SUBMISSIONS_PER_HOUR", 10, window_setting=None, default_minutes=60
)
LOOKUP_CODE = Rule("demand-lookup", "DEMAND_LOOKUP_FAILURE_LIMIT", 5)
LOOKUP_ADDRESS = Rule("demand-lookup-address", "DEMAND_LOOKUP_ADDRESS_FAILURE_LIMIT", 200)

_CODE_NOISE = re.compile(r"[\s\-]")


def _client_key(ip_address: str | None) -> str:
    return lookup_hash(f"demand-submission:{ip_address}") if ip_address else ""


def organization_for_area(area: Area) -> Organization | None:
    """The active organization responsible for `area`: one whose area is `area`, else its nearest
    ancestor that has one. Of several organizations in one area, the highest in the tree (the
    community's Party committee rather than one of its branches) answers for it."""
    chain = [area.pk, *Area.objects.get_ancestors(area).values_list("pk", flat=True)]
    found: Organization | None = (
        Organization.objects.filter(area_id__in=chain, status=Organization.Status.ACTIVE)
        .order_by("-area__depth", "depth", "path")
        .first()
    )
    return found


def recent_submissions_from(ip_address: str | None) -> int:
    """How many demands were submitted on the public page from this address in the current hour."""
    return throttle_used(rule=SUBMISSIONS, key=ip_address or "")


@transaction.atomic
def demand_submit_public(
    *,
    actor: Viewer | None,
    category: DemandCategory | str,
    area: Area | None,
    address: str,
    title: str,
    description: str,
    submitter_name: str,
    submitter_phone: str,
    ip_address: str | None,
) -> Demand:
    """A resident (signed in or not) submits a demand; the organization responsible for the area collects it."""
    # Taken first and undone with the transaction when anything below refuses the demand.
    if not throttle_take(rule=SUBMISSIONS, key=ip_address or ""):
        raise ValidationError(
            _(
                "Many demands have been sent from your network in the last hour. Please try again later, "
                "or call the 12345 hotline."
            ),
            code="rate_limited",
        )
    if not (submitter_phone or "").strip():
        raise ValidationError(
            _("Leave a mobile number so that the community can tell you how your demand is handled."),
            code="no_phone",
        )
    if area is None:
        raise ValidationError(_("Choose the area the demand is about."), code="area")
    organization = organization_for_area(area)
    if organization is None:
        raise ValidationError(
            _("No organization takes demands for %(area)s yet; please call the 12345 hotline.") % {"area": area.name},
            code="no_organization",
        )
    demand = demand_create(
        actor=actor,
        source=Demand.Source.PUBLIC,
        title=title,
        description=description,
        category=category,
        area=area,
        organization=organization,
        address=address,
        submitter_name=submitter_name,
        submitter_phone=submitter_phone,
    )
    if isinstance(actor, User) and actor.is_authenticated:
        # Submitted signed in: the demand is the account's own ("my demands").
        Demand.objects.filter(pk=demand.pk).update(resident=actor)
        demand.resident = actor
    event_record(subject=demand, actor=actor, verb=SUBMITTED_ONLINE, data={"client": _client_key(ip_address)})
    return demand


def normalize_code(code: str) -> str:
    return _CODE_NOISE.sub("", code or "").upper()


def demand_lookup(*, code: str, phone_last4: str, ip_address: str | None) -> Demand | None:
    """The demand with this lookup code whose phone ends in these four digits, or None.

    Each lookup takes a try from the code and from the address first and gives them back when
    it finds the demand, so only misses count. Raises ValidationError (code "rate_limited"),
    looking nothing up, when either has no try left. Not atomic: a miss must stay counted."""
    code = normalize_code(code)
    address = ip_address or ""
    if not throttle_take(rule=LOOKUP_CODE, key=code):
        _too_many_lookups()
    if not throttle_take(rule=LOOKUP_ADDRESS, key=address):
        throttle_give_back(rule=LOOKUP_CODE, key=code)
        _too_many_lookups()
    digits = (phone_last4 or "").strip()
    demand = None
    if len(code) == 8 and all(c in LOOKUP_ALPHABET for c in code) and len(digits) == 4 and digits.isdigit():
        demand = Demand.objects.select_related("category", "area", "organization").filter(lookup_code=code).first()
    # Constant-time comparison: response times do not reveal how many digits were right.
    if demand is not None and demand.submitter_phone and hmac.compare_digest(demand.submitter_phone[-4:], digits):
        throttle_give_back(rule=LOOKUP_CODE, key=code)
        throttle_give_back(rule=LOOKUP_ADDRESS, key=address)
        return demand
    return None


def _too_many_lookups() -> NoReturn:
    raise ValidationError(_("Too many attempts. Please wait a quarter of an hour and try again."), code="rate_limited")

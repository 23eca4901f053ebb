"""Residents submit a demand on a public page and follow it with a lookup code.

No account is needed. Spam is held back by a honeypot field (checked in the form) and by a
limit on submissions per network address per hour, counted in the database like failed
logins are, so it holds across processes and servers. The address itself is never stored:
the timeline keeps only its keyed hash.

A lookup needs the code and the last four digits of the phone number given with the demand;
failed lookups are throttled through the failed-login table (per code and per address), so
neither can be guessed by trying.
"""

import hmac
import re
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.services import login_failure_record, login_is_locked
from lianxin.core.crypto import lookup_hash
from lianxin.core.models import Event
from lianxin.core.services import event_record
from lianxin.demands.models import LOOKUP_ALPHABET, Demand, DemandCategory
from lianxin.demands.services import demand_create
from lianxin.organizations.models import Area, Organization

# The timeline verb of a submission through the public page; its data holds the address hash.
SUBMITTED_ONLINE = "submitted_online"
SUBMISSION_WINDOW = timedelta(hours=1)

_CODE_NOISE = re.compile(r"[\s\-]")


def submissions_per_hour() -> int:
    return int(getattr(settings, "DEMAND_PUBLIC_SUBMISSIONS_PER_HOUR", 10))


def _client_key(ip_address: str | None) -> str:
    return lookup_hash(f"demand-submission:{ip_address}") if ip_address else ""


def organization_for_area(area: Area) -> Organization | None:
    """The active organization responsible for `area`: one whose area is `area`, else its nearest
    ancestor that has one. Of several organizations in one area, the highest in the tree (the
    community's Party committee rather than one of its branches) answers for it."""
    chain = [area.pk, *Area.objects.get_ancestors(area).values_list("pk", flat=True)]
    found = (
        Organization.objects.filter(area_id__in=chain, status=Organization.Status.ACTIVE)
        .order_by("-area__depth", "depth", "path")
        .first()
    )
    return found


def recent_submissions_from(ip_address: str | None) -> int:
    """How many demands were submitted on the public page from this address in the last hour."""
    key = _client_key(ip_address)
    if not key:
        return 0
    return Event.objects.filter(
        subject_type=ContentType.objects.get_for_model(Demand),
        verb=SUBMITTED_ONLINE,
        at__gte=timezone.now() - SUBMISSION_WINDOW,
        data__client=key,
    ).count()


@transaction.atomic
def demand_submit_public(
    *,
    actor: Any,
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
    if recent_submissions_from(ip_address) >= submissions_per_hour():
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
    event_record(subject=demand, actor=actor, verb=SUBMITTED_ONLINE, data={"client": _client_key(ip_address)})
    return demand


def normalize_code(code: str) -> str:
    return _CODE_NOISE.sub("", code or "").upper()


def _lookup_key(code: str) -> str:
    return f"demand-lookup:{code}"


def lookup_is_locked(*, code: str, ip_address: str | None) -> bool:
    return login_is_locked(username=_lookup_key(normalize_code(code)), ip_address=ip_address)


def demand_lookup(*, code: str, phone_last4: str, ip_address: str | None) -> Demand | None:
    """The demand with this lookup code whose phone ends in these four digits, or None.

    Every miss is recorded as a failed attempt; the caller checks `lookup_is_locked` first."""
    code = normalize_code(code)
    digits = (phone_last4 or "").strip()
    demand = None
    if len(code) == 8 and all(c in LOOKUP_ALPHABET for c in code) and len(digits) == 4 and digits.isdigit():
        demand = Demand.objects.select_related("category", "area", "organization").filter(lookup_code=code).first()
    # Constant-time comparison: response times do not reveal how many digits were right.
    if demand is not None and demand.submitter_phone and hmac.compare_digest(demand.submitter_phone[-4:], digits):
        return demand
    login_failure_record(username=_lookup_key(code), ip_address=ip_address)
    return None

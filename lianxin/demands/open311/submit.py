"""POST requests: a GeoReport client's or a FixMyStreet-style sender's report becomes a demand.

The sender's API key names a user; the demand is collected by that user's organization (the
highest one they administer or handle for; the city's root organization for a city
administrator) and placed in that organization's area, since areas carry no boundaries to
place coordinates in. The coordinates are kept on the demand. The resident's name and phone,
when sent, are kept like any resident's (the phone encrypted) and never shown back.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.accounts.models import RoleAssignment, User
from lianxin.demands.models import Demand, DemandCategory
from lianxin.demands.open311.formats import Open311Error
from lianxin.demands.permissions import can_collect_for
from lianxin.demands.services.handling import demand_create
from lianxin.organizations.models import Organization

Role = RoleAssignment.Role

TITLE_LENGTH = 40
DESCRIPTION_LENGTH = 4000


def collecting_organization(user: User) -> Organization | None:
    """The organization a key's user collects demands for, or None if they collect for none."""
    assignment = (
        RoleAssignment.objects.filter(
            user=user, role__in=(Role.ORG_ADMIN, Role.HANDLER), organization__status=Organization.Status.ACTIVE
        )
        .select_related("organization__area")
        .order_by("organization__depth", "organization__path")
        .first()
    )
    if assignment is not None and assignment.organization is not None:
        return assignment.organization
    if user.is_superuser or RoleAssignment.objects.filter(user=user, role=Role.CITY_ADMIN).exists():
        root: Organization | None = Organization.objects.filter(depth=1).select_related("area").order_by("path").first()
        return root
    return None


def _field(data: Mapping[str, str], name: str) -> str:
    return (data.get(name) or "").strip()


def _title(data: Mapping[str, str], description: str) -> str:
    """A sender's own title (FixMyStreet's attribute[title]), else the description's first line."""
    given = _field(data, "attribute[title]") or _field(data, "title")
    if given:
        return given
    first_line = description.splitlines()[0].strip()
    return first_line if len(first_line) <= TITLE_LENGTH else first_line[: TITLE_LENGTH - 1] + "…"


def _location(data: Mapping[str, str]) -> tuple[str, str, str]:
    lat, long = _field(data, "lat"), _field(data, "long")
    address = _field(data, "address_string")
    address_id = _field(data, "address_id")
    if bool(lat) != bool(long):
        raise Open311Error(400, _("lat and long must be given together."))
    if not (lat or address or address_id):
        raise Open311Error(400, _("A location is required: lat and long, address_string or address_id."))
    if not address and address_id:
        address = _("address id %(id)s") % {"id": address_id}
    return lat, long, address


def _validated(data: Mapping[str, str]) -> dict[str, Any]:
    """The fields of a POST, every problem reported at once (400), before anything is written."""
    errors: list[str] = []
    code = _field(data, "service_code")
    category = DemandCategory.objects.filter(code=code, is_active=True).first() if code else None
    if not code:
        errors.append(_("service_code is required."))
    elif category is None:
        errors.append(_("Unknown service_code: %(codes)s.") % {"codes": code})
    description = _field(data, "description")
    if not description:
        errors.append(_("description is required."))
    elif len(description) > DESCRIPTION_LENGTH:
        errors.append(_("description may be at most %(n)s characters.") % {"n": DESCRIPTION_LENGTH})
    try:
        lat, long, address = _location(data)
    except Open311Error as exc:
        errors.extend(exc.descriptions)
        lat = long = address = ""
    if errors:
        raise Open311Error(400, *errors)
    name = " ".join(part for part in (_field(data, "first_name"), _field(data, "last_name")) if part)
    return {
        "category": category,
        "title": _title(data, description),
        "description": description,
        "lat": lat or None,
        "long": long or None,
        "address": address,
        "submitter_name": name,
        "submitter_phone": _field(data, "phone"),
    }


@transaction.atomic
def open311_request_create(*, user: User, data: Mapping[str, str]) -> Demand:
    """Create the demand a POST describes, or raise Open311Error with nothing written."""
    organization = collecting_organization(user)
    if organization is None or not can_collect_for(user, organization.path):
        raise Open311Error(403, _("This api_key may not submit service requests: it collects for no organization."))
    fields = _validated(data)
    try:
        return demand_create(
            actor=user,
            source=Demand.Source.OPEN311,
            area=organization.area,
            organization=organization,
            **fields,
        )
    except ValidationError as exc:
        raise Open311Error(400, *exc.messages) from exc

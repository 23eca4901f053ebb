"""Every change to organizations, areas and service centres goes through here."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.core.services import event_record
from lianxin.organizations.models import Area, Organization, ServiceCenter


def _check_code_free(model: type[Area] | type[Organization], code: str, exclude_pk: int | None = None) -> None:
    taken = model.objects.filter(code=code)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError(_("The code %(code)s is already used.") % {"code": code}, code="duplicate_code")


@transaction.atomic
def area_create(*, name: str, code: str, kind: str, parent: Area | None = None) -> Area:
    _check_code_free(Area, code)
    fields = {"name": name, "code": code, "kind": kind}
    if parent is None:
        return Area.objects.add_root(fields)
    return Area.objects.add_child(parent, fields)


@transaction.atomic
def organization_create(
    *,
    actor: Any,
    name: str,
    code: str,
    kind: str,
    sector: str,
    area: Area,
    parent: Organization | None = None,
    short_name: str = "",
    contact_phone: str = "",
    founded_on: date | None = None,
    term_ends_on: date | None = None,
) -> Organization:
    _check_code_free(Organization, code)
    if parent is not None and not parent.is_active:
        raise ValidationError(_("%(name)s is no longer active.") % {"name": parent.name}, code="inactive_parent")
    fields = dict(
        name=name,
        short_name=short_name,
        code=code,
        kind=kind,
        sector=sector,
        area=area,
        contact_phone=contact_phone,
        founded_on=founded_on,
        term_ends_on=term_ends_on,
    )
    org = Organization.objects.add_root(fields) if parent is None else Organization.objects.add_child(parent, fields)
    event_record(subject=org, actor=actor, verb="created", to_state=org.status)
    return org


ORGANIZATION_EDITABLE_FIELDS = (
    "name",
    "short_name",
    "kind",
    "sector",
    "area",
    "secretary",
    "contact_phone",
    "founded_on",
    "term_ends_on",
)


@transaction.atomic
def organization_update(*, actor: Any, organization: Organization, **changes: Any) -> Organization:
    unknown = set(changes) - set(ORGANIZATION_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    diff = {}
    for field, value in changes.items():
        old = getattr(organization, field)
        if old != value:
            diff[field] = [str(old or ""), str(value or "")]
            setattr(organization, field, value)
    if diff:
        organization.full_clean(exclude=["path", "depth", "numchild"])
        organization.save()
        event_record(subject=organization, actor=actor, verb="updated", data={"changes": diff})
    return organization


@transaction.atomic
def organization_move(*, actor: Any, organization: Organization, new_parent: Organization) -> Organization:
    """Move an organization and its whole subtree under another parent."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    new_parent = Organization.objects.get(pk=new_parent.pk)
    if new_parent.path.startswith(organization.path):
        raise ValidationError(_("An organization cannot be moved under itself."), code="move_into_self")
    if not new_parent.is_active:
        raise ValidationError(_("%(name)s is no longer active.") % {"name": new_parent.name}, code="inactive_parent")
    old_parent = Organization.objects.get_parent(organization)
    Organization.objects.move(organization, new_parent, "sorted-child")
    organization.refresh_from_db()
    event_record(
        subject=organization,
        actor=actor,
        verb="moved",
        data={"from": old_parent.name if old_parent else "", "to": new_parent.name},
    )
    return organization


def _active_children(organization: Organization) -> list[Organization]:
    return list(Organization.objects.get_children(organization).filter(status=Organization.Status.ACTIVE))


@transaction.atomic
def organization_merge(
    *, actor: Any, source: Organization, target: Organization, merged_on: date, letter_number: str = ""
) -> Organization:
    """Merge `source` into `target`: its members transfer, its children move, its record stays."""
    # Imported here: members depend on organizations, not the other way round.
    from lianxin.members.models import Member
    from lianxin.members.services import member_transfer

    if source.pk == target.pk or target.path.startswith(source.path):
        raise ValidationError(_("An organization cannot be merged into itself or its own subtree."), code="merge_self")
    if not source.is_active or not target.is_active:
        raise ValidationError(_("Only active organizations can be merged."), code="inactive")
    reason = _("Merged into %(name)s") % {"name": target.name}
    for member in Member.objects.filter(organization=source).exclude(category=Member.Category.FORMER):
        member_transfer(
            actor=actor,
            member=member,
            to_organization=target,
            transferred_on=merged_on,
            letter_number=letter_number,
            reason=reason,
        )
    for child in _active_children(source):
        organization_move(actor=actor, organization=child, new_parent=target)
    source.refresh_from_db()
    source.status = Organization.Status.MERGED
    source.merged_into = target
    source.closed_on = merged_on
    source.save(update_fields=["status", "merged_into", "closed_on"])
    event_record(subject=source, actor=actor, verb="merged", from_state="active", to_state="merged", note=reason)
    event_record(subject=target, actor=actor, verb="absorbed", data={"source": source.name, "code": source.code})
    return target


@transaction.atomic
def organization_dissolve(*, actor: Any, organization: Organization, dissolved_on: date, reason: str) -> Organization:
    """Dissolve an empty organization; its record and history stay."""
    from lianxin.members.models import Member

    if not organization.is_active:
        raise ValidationError(_("%(name)s is no longer active.") % {"name": organization.name}, code="inactive")
    if Member.objects.filter(organization=organization).exclude(category=Member.Category.FORMER).exists():
        raise ValidationError(
            _("Transfer the members of %(name)s before dissolving it.") % {"name": organization.name},
            code="has_members",
        )
    if _active_children(organization):
        raise ValidationError(
            _("Move or dissolve the organizations under %(name)s first.") % {"name": organization.name},
            code="has_children",
        )
    organization.status = Organization.Status.DISSOLVED
    organization.closed_on = dissolved_on
    organization.save(update_fields=["status", "closed_on"])
    event_record(
        subject=organization, actor=actor, verb="dissolved", from_state="active", to_state="dissolved", note=reason
    )
    return organization


@transaction.atomic
def service_center_create(
    *,
    name: str,
    kind: str,
    area: Area,
    organization: Organization,
    address: str = "",
    opening_hours: str = "",
) -> ServiceCenter:
    center = ServiceCenter(
        name=name, kind=kind, area=area, organization=organization, address=address, opening_hours=opening_hours
    )
    center.full_clean()
    center.save()
    return center

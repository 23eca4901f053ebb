"""Every change to organizations, areas and service centres goes through here."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import roster_scope
from lianxin.core.services import event_record
from lianxin.organizations.models import Area, CommitteeSeat, Organization, ServiceCenter
from lianxin.organizations.selectors import current_seats


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
    from lianxin.members.services.roster import member_transfer

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


# ------------------------------------------------------------------ branch committee (支部委员会)

Seat = CommitteeSeat.Role


def _check_manages(actor: Any, organization: Organization) -> None:
    if not (getattr(actor, "is_authenticated", False) and roster_scope(actor).contains(organization.path)):
        raise ValidationError(_("You are not allowed to do this with this organization."), code="forbidden")


def _full_members(organization: Organization) -> int:
    from lianxin.members.models import Member

    return Member.objects.filter(organization=organization, category=Member.Category.FULL).count()


@transaction.atomic
def committee_seat_fill(
    *, actor: Any, organization: Organization, member: Any, role: str, since: date
) -> CommitteeSeat:
    """Seat a full member of the branch on its committee (支部工作条例 第六章): at most seven current
    seats and one current secretary; a branch with fewer than seven full members has no committee,
    only a secretary and, if needed, a deputy secretary. The secretary's seat also makes them the
    organization's secretary."""
    from lianxin.members.models import Member

    _check_manages(actor, organization)
    # Serializes seat changes of one organization, so two people cannot fill the seventh seat twice.
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.kind not in Organization.BRANCH_KINDS:
        raise ValidationError(_("Only a Party branch has a branch committee."), code="not_a_branch")
    if not organization.is_active:
        raise ValidationError(_("%(name)s is no longer active.") % {"name": organization.name}, code="inactive")
    if role not in Seat.values:
        raise ValidationError(_("Choose a committee role from the list."), code="bad_role")
    if since > timezone.localdate():
        raise ValidationError(_("A seat cannot start in the future."), code="future")
    if member.organization_id != organization.pk or member.category != Member.Category.FULL:
        raise ValidationError(
            _("%(name)s is not a full member of %(org)s; only full members sit on its committee.")
            % {"name": member.name, "org": organization.name},
            code="not_full_member",
        )
    current = current_seats(organization)
    if current.filter(member=member).exists():
        raise ValidationError(
            _("%(name)s already holds a seat on this committee.") % {"name": member.name}, code="already_seated"
        )
    if role == Seat.SECRETARY and current.filter(role=Seat.SECRETARY).exists():
        raise ValidationError(_("The committee already has a secretary; end that seat first."), code="secretary_taken")
    if _full_members(organization) < CommitteeSeat.COMMITTEE_FROM_FULL_MEMBERS:
        if role not in CommitteeSeat.SMALL_BRANCH_ROLES:
            raise ValidationError(
                _(
                    "A branch with fewer than 7 full members has no committee: "
                    "seat a secretary and, if needed, a deputy secretary."
                ),
                code="no_committee",
            )
        if role == Seat.DEPUTY_SECRETARY and current.filter(role=Seat.DEPUTY_SECRETARY).exists():
            raise ValidationError(
                _("A branch with fewer than 7 full members has at most one deputy secretary."),
                code="deputy_taken",
            )
    if current.count() >= CommitteeSeat.MAX_SEATS:
        raise ValidationError(_("A branch committee has at most 7 members."), code="committee_full")
    try:
        with transaction.atomic():
            seat = CommitteeSeat.objects.create(
                organization=organization, member=member, role=role, since=since, created_by=actor
            )
    except IntegrityError:
        raise ValidationError(
            _("This seat has just been filled by someone else; reload the page."), code="conflict"
        ) from None
    if role == Seat.SECRETARY and organization.secretary_id != member.pk:
        Organization.objects.filter(pk=organization.pk).update(secretary=member)
    event_record(
        subject=organization,
        actor=actor,
        verb="committee_seated",
        note=member.name,
        data={"role": role, "since": str(since)},
    )
    return seat


@transaction.atomic
def committee_seat_end(*, actor: Any, seat: CommitteeSeat, until: date) -> CommitteeSeat:
    """End a current seat (a term over, a resignation, a transfer); the record of it stays.
    Ending the secretary's seat leaves the organization without a secretary until the next one."""
    organization = seat.organization
    _check_manages(actor, organization)
    if until > timezone.localdate():
        raise ValidationError(_("A seat cannot end in the future."), code="future")
    if until < seat.since:
        raise ValidationError(_("A seat cannot end before it started."), code="ends_before_start")
    if not CommitteeSeat.objects.filter(pk=seat.pk, until__isnull=True).update(until=until):
        raise ValidationError(_("This seat has already ended."), code="already_ended")
    if seat.role == Seat.SECRETARY:
        Organization.objects.filter(pk=organization.pk, secretary_id=seat.member_id).update(secretary=None)
    seat.refresh_from_db()
    event_record(
        subject=organization,
        actor=actor,
        verb="committee_unseated",
        note=seat.member.name,
        data={"role": seat.role, "until": str(until)},
    )
    return seat

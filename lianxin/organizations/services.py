"""Every change to organizations, areas and service centres goes through here."""

from datetime import date
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Actor
from lianxin.core.services import event_record
from lianxin.core.transitions import state_transition
from lianxin.organizations.models import Area, CommitteeSeat, Organization, OrganizationVerb, ServiceCenter
from lianxin.organizations.selectors import FULL, current_members, current_seats, full_members
from lianxin.organizations.signals import organization_merged


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
    area: Area = Area.objects.add_root(fields) if parent is None else Area.objects.add_child(parent, fields)
    return area


@transaction.atomic
def organization_create(
    *,
    actor: Actor | None,
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
    org: Organization = (
        Organization.objects.add_root(fields) if parent is None else Organization.objects.add_child(parent, fields)
    )
    event_record(subject=org, actor=actor, verb=OrganizationVerb.CREATED, to_state=org.status)
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
def organization_update(*, actor: Actor | None, organization: Organization, **changes: Any) -> Organization:
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
        event_record(subject=organization, actor=actor, verb=OrganizationVerb.UPDATED, data={"changes": diff})
    return organization


@transaction.atomic
def organization_move(*, actor: Actor | None, organization: Organization, new_parent: Organization) -> Organization:
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
        verb=OrganizationVerb.MOVED,
        data={"from": old_parent.name if old_parent else "", "to": new_parent.name},
    )
    return organization


def _active_children(organization: Organization) -> list[Organization]:
    return list(Organization.objects.get_children(organization).filter(status=Organization.Status.ACTIVE))


@transaction.atomic
def organization_merge(
    *, actor: Actor | None, source: Organization, target: Organization, merged_on: date, letter_number: str = ""
) -> Organization:
    """Merge `source` into `target`: its children move, its record stays, closed as merged.

    The apps above carry along what hangs on `source` from the `organization_merged` signal
    (the members app transfers its members), inside this transaction."""
    if source.pk == target.pk or target.path.startswith(source.path):
        raise ValidationError(_("An organization cannot be merged into itself or its own subtree."), code="merge_self")
    if not source.is_active or not target.is_active:
        raise ValidationError(_("Only active organizations can be merged."), code="inactive")
    reason = _("Merged into %(name)s") % {"name": target.name}
    for child in _active_children(source):
        organization_move(actor=actor, organization=child, new_parent=target)
    source.refresh_from_db()
    state_transition(
        obj=source,
        to=Organization.Status.MERGED,
        actor=actor,
        changes={"merged_into": target, "closed_on": merged_on},
        note=reason,
    )
    event_record(
        subject=target, actor=actor, verb=OrganizationVerb.ABSORBED, data={"source": source.name, "code": source.code}
    )
    organization_merged.send(
        sender=Organization,
        source=source,
        target=target,
        actor=actor,
        merged_on=merged_on,
        letter_number=letter_number,
        reason=reason,
    )
    return target


@transaction.atomic
def organization_dissolve(
    *, actor: Actor | None, organization: Organization, dissolved_on: date, reason: str
) -> Organization:
    """Dissolve an empty organization; its record and history stay."""
    if not organization.is_active:
        raise ValidationError(_("%(name)s is no longer active.") % {"name": organization.name}, code="inactive")
    if current_members(organization).exists():
        raise ValidationError(
            _("Transfer the members of %(name)s before dissolving it.") % {"name": organization.name},
            code="has_members",
        )
    if _active_children(organization):
        raise ValidationError(
            _("Move or dissolve the organizations under %(name)s first.") % {"name": organization.name},
            code="has_children",
        )
    return state_transition(
        obj=organization,
        to=Organization.Status.DISSOLVED,
        actor=actor,
        changes={"closed_on": dissolved_on},
        note=reason,
    )


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


class SeatHolder(Protocol):
    """A member as the committee services read one (a members.Member: the app above this one)."""

    @property
    def pk(self) -> int: ...

    @property
    def name(self) -> str: ...

    @property
    def organization_id(self) -> int: ...

    @property
    def category(self) -> str: ...


def _check_manages(actor: Actor, organization: Organization) -> None:
    if not (actor.is_authenticated and roster_scope(actor).contains(organization.path)):
        raise ValidationError(_("You are not allowed to do this with this organization."), code="forbidden")


def _check_seat(organization: Organization, member: SeatHolder, role: str, since: date) -> None:
    """The seat itself: a branch's committee, an active one, a known role, no future date, a full member."""
    if organization.kind not in Organization.BRANCH_KINDS:
        raise ValidationError(_("Only a Party branch has a branch committee."), code="not_a_branch")
    if not organization.is_active:
        raise ValidationError(_("%(name)s is no longer active.") % {"name": organization.name}, code="inactive")
    if role not in Seat.values:
        raise ValidationError(_("Choose a committee role from the list."), code="bad_role")
    if since > timezone.localdate():
        raise ValidationError(_("A seat cannot start in the future."), code="future")
    if member.organization_id != organization.pk or member.category != FULL:
        raise ValidationError(
            _("%(name)s is not a full member of %(org)s; only full members sit on its committee.")
            % {"name": member.name, "org": organization.name},
            code="not_full_member",
        )


def _check_committee_room(organization: Organization, member: SeatHolder, role: str) -> None:
    """The committee as it sits: one seat each, one secretary, its size by the branch's full members."""
    current = current_seats(organization)
    if current.filter(member_id=member.pk).exists():
        raise ValidationError(
            _("%(name)s already holds a seat on this committee.") % {"name": member.name}, code="already_seated"
        )
    if role == Seat.SECRETARY and current.filter(role=Seat.SECRETARY).exists():
        raise ValidationError(_("The committee already has a secretary; end that seat first."), code="secretary_taken")
    if full_members(organization).count() < CommitteeSeat.COMMITTEE_FROM_FULL_MEMBERS:
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


@transaction.atomic
def committee_seat_fill(
    *, actor: Actor, organization: Organization, member: SeatHolder, role: str, since: date
) -> CommitteeSeat:
    """Seat a full member of the branch on its committee (支部工作条例 第六章): at most seven current
    seats and one current secretary; a branch with fewer than seven full members has no committee,
    only a secretary and, if needed, a deputy secretary. The secretary's seat also makes them the
    organization's secretary."""
    _check_manages(actor, organization)
    # Serializes seat changes of one organization, so two people cannot fill the seventh seat twice.
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    _check_seat(organization, member, role, since)
    _check_committee_room(organization, member, role)
    try:
        with transaction.atomic():
            seat = CommitteeSeat.objects.create(
                organization=organization, member_id=member.pk, role=role, since=since, created_by=actor
            )
    except IntegrityError:
        raise ValidationError(
            _("This seat has just been filled by someone else; reload the page."), code="conflict"
        ) from None
    if role == Seat.SECRETARY and organization.secretary_id != member.pk:
        Organization.objects.filter(pk=organization.pk).update(secretary_id=member.pk)
    event_record(
        subject=organization,
        actor=actor,
        verb=OrganizationVerb.COMMITTEE_SEATED,
        note=member.name,
        data={"role": role, "since": str(since)},
    )
    return seat


@transaction.atomic
def committee_seat_end(*, actor: Actor, seat: CommitteeSeat, until: date) -> CommitteeSeat:
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
        verb=OrganizationVerb.COMMITTEE_UNSEATED,
        note=seat.member.name,
        data={"role": seat.role, "until": str(until)},
    )
    return seat

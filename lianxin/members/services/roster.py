"""Every change to the roster goes through here, leaving a timeline event."""

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.types import Actor
from lianxin.core.crypto import lookup_hash
from lianxin.core.parsing import (
    ParseError,
    id_number_birth_date,
    id_number_sex,
    normalize_id_number,
    normalize_mobile,
)
from lianxin.core.picker import pinyin_initials
from lianxin.core.services import event_record
from lianxin.members.models import Member, MemberVerb, Transfer
from lianxin.members.rules.roster import MemberDates, date_errors
from lianxin.organizations.models import Area, Organization


@dataclass
class MemberData:
    """The official fields of one member, as a form, the API or an import row gives them."""

    name: str
    id_number: str
    category: str
    organization: Organization
    sex: str = ""
    birth_date: date | None = None
    ethnicity: str = ""
    native_place: str = ""
    education: str = ""
    occupation: str = ""
    leave_reason: str = ""
    applied_on: date | None = None
    activist_on: date | None = None
    candidate_on: date | None = None
    joined_on: date | None = None
    full_on: date | None = None
    left_on: date | None = None
    work_unit: str = ""
    post: str = ""
    mobile: str = ""
    home_address: str = ""
    community: Area | None = None
    is_mobile: bool = False
    is_abroad: bool = False
    is_lost_contact: bool = False
    lost_contact_since: date | None = None
    is_at_sea: bool = False
    errors: list[str] = field(default_factory=list, repr=False)


# Enum `.values` builds a new list on each call; the checks of an import's rows ask twice a row.
CATEGORIES = frozenset(Member.Category.values)

# Fields copied from MemberData onto a Member (the ID number is handled on its own).
COPIED_FIELDS = tuple(f.name for f in fields(MemberData) if f.name not in ("id_number", "errors"))


def member_data_clean(data: MemberData, *, today: date | None = None) -> list[str]:
    """Normalize `data` in place and return every blocking error found (empty when valid).

    Sex and date of birth come from the ID number; a conflicting given value is an error
    rather than silently overwritten, because it usually means a typo in the ID.
    """
    today = today or timezone.localdate()
    errors: list[str] = []
    data.name = data.name.strip()
    if not data.name:
        errors.append(_("The name is missing."))
    try:
        data.id_number = normalize_id_number(data.id_number)
    except ParseError as exc:
        errors.append(str(exc.message))
    if not data.id_number:
        errors.append(_("The ID number is missing."))
    else:
        derived_birth = id_number_birth_date(data.id_number)
        derived_sex = id_number_sex(data.id_number)
        if data.birth_date and data.birth_date != derived_birth:
            errors.append(
                _("The date of birth %(given)s does not match the ID number (%(derived)s).")
                % {"given": data.birth_date, "derived": derived_birth}
            )
        if data.sex and data.sex != derived_sex:
            errors.append(_("The sex does not match the ID number."))
        data.birth_date = derived_birth
        data.sex = derived_sex
    if data.mobile:
        try:
            data.mobile = normalize_mobile(data.mobile)
        except ParseError as exc:
            errors.append(str(exc.message))
    if data.category not in CATEGORIES:
        errors.append(_("Unknown category %(value)s.") % {"value": data.category})
    elif data.category == Member.Category.FORMER and not data.leave_reason:
        errors.append(_("A former member needs a reason for leaving."))
    if data.organization is not None and not data.organization.is_active:
        errors.append(_("%(name)s is no longer active.") % {"name": data.organization.name})
    if data.birth_date and data.category in CATEGORIES:
        errors.extend(
            date_errors(
                MemberDates(
                    birth_date=data.birth_date,
                    category=data.category,
                    applied_on=data.applied_on,
                    activist_on=data.activist_on,
                    candidate_on=data.candidate_on,
                    joined_on=data.joined_on,
                    full_on=data.full_on,
                ),
                today,
            )
        )
    if data.is_lost_contact and not data.lost_contact_since:
        errors.append(_("Say since when contact was lost."))
    return errors


def _raise_if(errors: list[str]) -> None:
    if errors:
        raise ValidationError(errors)


def member_snapshot(member: Member) -> dict[str, str]:
    """Comparable text values of every copied field, for change detection and events."""
    out = {}
    for name in COPIED_FIELDS:
        value = getattr(member, f"{name}_id" if name in ("organization", "community") else name)
        out[name] = "" if value is None else str(value)
    return out


def member_apply(member: Member, data: MemberData) -> dict[str, list[str]]:
    """Copy `data` onto `member`; return the changes as {field: [old, new]}."""
    before = member_snapshot(member) if member.pk else {}
    for name in COPIED_FIELDS:
        value = getattr(data, name)
        if isinstance(value, str) and name not in ("name",):
            value = value.strip()
        setattr(member, name, value)
    member.pinyin = pinyin_initials(member.name)[:60]
    member.id_number = data.id_number
    member.id_number_hash = lookup_hash(data.id_number)
    member.mobile_hash = lookup_hash(data.mobile)
    after = member_snapshot(member)
    return {k: [before.get(k, ""), v] for k, v in after.items() if before.get(k, "") != v}


@transaction.atomic
def member_create(*, actor: Actor | None, data: MemberData, today: date | None = None) -> Member:
    _raise_if(member_data_clean(data, today=today))
    if Member.objects.filter(id_number_hash=lookup_hash(data.id_number)).exists():
        raise ValidationError(_("A member with this ID number already exists."), code="duplicate_id")
    member = Member()
    member_apply(member, data)
    member.save()
    event_record(subject=member, actor=actor, verb=MemberVerb.CREATED, to_state=member.category)
    return member


@transaction.atomic
def member_update(
    *, actor: Actor | None, member: Member, data: MemberData, today: date | None = None, note: str = ""
) -> Member:
    _raise_if(member_data_clean(data, today=today))
    clash = Member.objects.filter(id_number_hash=lookup_hash(data.id_number)).exclude(pk=member.pk)
    if clash.exists():
        raise ValidationError(_("A member with this ID number already exists."), code="duplicate_id")
    if data.organization.pk != member.organization_id:
        # Changing organization is a transfer, with its own record; not an edit.
        raise ValidationError(_("Use a transfer to change a member's organization."), code="use_transfer")
    old_category = member.category
    changes = member_apply(member, data)
    if changes:
        member.save()
        event_record(
            subject=member,
            actor=actor,
            verb=MemberVerb.UPDATED,
            from_state=old_category if old_category != member.category else "",
            to_state=member.category if old_category != member.category else "",
            note=note,
            data={"changes": public_changes(changes)},
        )
    return member


def public_changes(changes: dict[str, list[str]]) -> dict[str, list[str]]:
    """Timeline rows are visible to more people than the full values; mask personal numbers."""
    masked = dict(changes)
    if "mobile" in masked:
        masked["mobile"] = ["***", "***"]
    return masked


@transaction.atomic
def member_transfer(
    *,
    actor: Actor | None,
    member: Member,
    to_organization: Organization,
    transferred_on: date,
    reason: str,
    letter_number: str = "",
) -> Transfer:
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.organization_id == to_organization.pk:
        raise ValidationError(_("The member already belongs to %(name)s.") % {"name": to_organization.name})
    if not to_organization.is_active:
        raise ValidationError(_("%(name)s is no longer active.") % {"name": to_organization.name})
    if member.category == Member.Category.FORMER:
        raise ValidationError(_("A former member cannot be transferred."))
    if transferred_on > timezone.localdate():
        raise ValidationError(_("The transfer date is in the future."))
    if not reason.strip():
        raise ValidationError(_("Give a reason for the transfer."))
    transfer = Transfer.objects.create(
        member=member,
        from_organization=member.organization,
        to_organization=to_organization,
        transferred_on=transferred_on,
        letter_number=letter_number.strip(),
        reason=reason.strip(),
        created_by=actor,
    )
    old = member.organization
    member.organization = to_organization
    member.save(update_fields=["organization", "updated_at"])
    event_record(
        subject=member,
        actor=actor,
        verb=MemberVerb.TRANSFERRED,
        note=reason,
        data={
            "from": old.name,
            "to": to_organization.name,
            "letter_number": letter_number,
            "date": str(transferred_on),
        },
    )
    return transfer


@transaction.atomic
def member_leave(*, actor: Actor | None, member: Member, reason: str, left_on: date, note: str = "") -> Member:
    """Record that someone is no longer a member (出党, 去世, 组织关系转出)."""
    if reason not in Member.LeaveReason.values:
        raise ValidationError(_("Unknown reason for leaving."))
    if member.category == Member.Category.FORMER:
        raise ValidationError(_("%(name)s is already a former member.") % {"name": member.name})
    if left_on > timezone.localdate():
        raise ValidationError(_("The date of leaving is in the future."))
    return member_category_move(
        member=member,
        to=Member.Category.FORMER,
        actor=actor,
        verb=MemberVerb.LEFT,
        changes={"leave_reason": reason, "left_on": left_on},
        # The timeline is read by people: the reason's label, not its code.
        note=note or str(Member.LeaveReason(reason).label),
    )


@transaction.atomic
def member_category_move(
    *,
    member: Member,
    to: str,
    actor: Actor | None,
    verb: MemberVerb,
    changes: dict[str, Any] | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> Member:
    """Move `member` to the category `to`, as Member.CATEGORY_TRANSITIONS allows, and record the event.

    Like core.transitions.state_transition on `category`: one conditional UPDATE (`... WHERE
    category = <what this process read>`), so of two people recording the same move at once
    one wins, and the other is told the member has moved on (code "moved_on")."""
    from_category = member.category
    if to not in Member.CATEGORY_TRANSITIONS.get(from_category, ()):
        raise ValidationError(
            _("%(name)s is %(from)s and cannot become %(to)s.")
            % {"name": member.name, "from": member.get_category_display(), "to": Member.Category(to).label},
            code="invalid_transition",
        )
    update: dict[str, Any] = {"category": to, **(changes or {}), "updated_at": timezone.now()}
    if not Member.objects.filter(pk=member.pk, category=from_category).update(**update):
        raise ValidationError(
            _("%(name)s has already moved on; reload the page.") % {"name": member.name}, code="moved_on"
        )
    for name, value in update.items():
        setattr(member, name, value)
    event_record(subject=member, actor=actor, verb=verb, from_state=from_category, to_state=to, note=note, data=data)
    return member


def member_data_from(member: Member) -> MemberData:
    """The current values of a member as MemberData, to edit a few fields of it."""
    values = {name: getattr(member, name) for name in COPIED_FIELDS}
    return MemberData(id_number=member.id_number, **values)

"""The rules a roster workbook's rows are checked against, batch by batch, before anything is written.

A row is checked with the same rules as the member form (`member_data_clean`), and more:
an ID number once per sheet, organizations and existing members within the importer's
scope (a record outside it is refused without saying where it is or what it holds), no
transfer of a former member, no date of leaving or of lost contact in the future.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.accounts.permissions import Scope
from lianxin.core.crypto import lookup_hash
from lianxin.core.spreadsheets import SheetRow, column_message
from lianxin.members.documents.lookups import RosterLookups
from lianxin.members.documents.roster import HEADERS, roster_row_values
from lianxin.members.models import Member
from lianxin.members.services.roster import COPIED_FIELDS, MemberData, member_apply, member_data_clean
from lianxin.organizations.models import Organization

# The one message for a row refused for a reason the importer may not be told.
ROW_NOT_IMPORTABLE = gettext_lazy("This row cannot be imported; check it with the organization above.")


@dataclass
class RowError:
    row: int  # as Excel numbers it
    messages: list[str]

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "messages": self.messages}


@dataclass
class RowUpdate:
    """An existing member a row changes, with what it was before."""

    member: Member
    changes: dict[str, list[str]]
    old_category: str
    old_organization_id: int


@dataclass
class RowChecker:
    """Checks rows batch by batch and keeps what the write phase needs."""

    scope: Scope
    lookups: RosterLookups
    today: date
    first_row_of: dict[str, int] = field(default_factory=dict)  # ID hash -> first row
    row_errors: list[RowError] = field(default_factory=list)
    creates: list[Member] = field(default_factory=list)
    updates: list[RowUpdate] = field(default_factory=list)
    unchanged: int = 0
    rows: int = 0

    def check_batch(self, batch: list[SheetRow]) -> None:
        # The organizations and communities the rows name, loaded together.
        self.lookups.prepare(texts=[row.values.get(key) for row in batch for key in ("organization", "community")])
        parsed = [(row.number, *roster_row_values(row, self.lookups)) for row in batch]
        hashes = {lookup_hash(values["id_number"]) for _n, values, _e in parsed if values.get("id_number")}
        # Not the ID number itself: it is known from the row, and decrypting costs.
        existing = {m.id_number_hash: m for m in Member.objects.filter(id_number_hash__in=hashes).defer("id_number")}
        self.lookups.prepare(
            organization_ids={m.organization_id for m in existing.values()},
            area_ids={m.community_id for m in existing.values() if m.community_id},
        )
        for number, values, errors in parsed:
            self._check_row(number, values, errors, existing)
        self.rows += len(batch)

    def _check_row(self, number: int, values: dict[str, Any], errors: list[str], existing: dict[str, Member]) -> None:
        suppressed: set[str] = set()
        id_number = values.get("id_number")
        if id_number is None:  # the cell could not be parsed; its message is in `errors`
            suppressed.add(_("The ID number is missing."))
        member = self._existing(number, id_number, errors, existing)
        data = self._data_for(member)
        for key, value in values.items():
            setattr(data, key, value)
        data.id_number = id_number or ""
        if values.get("category") == "":
            errors.append(_("%(column)s is empty.") % {"column": HEADERS["category"]})
        if not data.category:
            suppressed.add(_("Unknown category %(value)s.") % {"value": ""})
        errors.extend(self._scope_errors(member, values.get("organization"), data))
        errors.extend(e for e in member_data_clean(data, today=self.today) if e not in suppressed)
        for key in ("left_on", "lost_contact_since"):
            value = getattr(data, key)
            if value and value > self.today:
                errors.append(
                    _("%(column)s %(date)s is in the future.") % {"column": HEADERS[key], "date": value.isoformat()}
                )
        if errors:
            self.row_errors.append(RowError(number, list(dict.fromkeys(errors))))
        elif not self.row_errors:  # once a row is bad nothing will be written; keep memory for the errors
            self._keep(member, data)

    def _existing(
        self, number: int, id_number: str | None, errors: list[str], existing: dict[str, Member]
    ) -> Member | None:
        """The member the row's ID number names, when it is the first row with it and the importer may see them."""
        id_hash = lookup_hash(id_number) if id_number else ""
        if not id_hash:
            return None
        first = self.first_row_of.setdefault(id_hash, number)
        if first != number:
            errors.append(_("The same ID number is already on row %(row)d.") % {"row": first})
            return None
        member = existing.get(id_hash)
        if member is not None and not self.scope.contains(self.lookups.organization_of(member.organization_id).path):
            # Say nothing of a record the importer may not see: neither where it is nor what it
            # holds, so the row is checked as a new member's and refused like any other.
            errors.append(str(ROW_NOT_IMPORTABLE))
            return None
        return member

    def _scope_errors(self, member: Member | None, organization: Organization | None, data: MemberData) -> list[str]:
        errors = []
        if organization is not None and not self.scope.contains(organization.path):
            errors.append(
                column_message(
                    HEADERS["organization"],
                    _("%(value)s is outside your scope; you can import members of your own organizations only.")
                    % {"value": organization.name},
                )
            )
        if (
            member is not None
            and organization is not None
            and organization.pk != member.organization_id
            and data.category == Member.Category.FORMER
        ):
            errors.append(_("A former member cannot be transferred."))
        return errors

    def _keep(self, member: Member | None, data: MemberData) -> None:
        """What the write phase does with a valid row: create, update, or count it unchanged."""
        if member is None:
            new = Member()
            member_apply(new, data)
            self.creates.append(new)
            return
        old_category, old_organization_id = member.category, member.organization_id
        changes = member_apply(member, data)
        if changes:
            self.updates.append(RowUpdate(member, changes, old_category, old_organization_id))
        else:
            self.unchanged += 1

    def _data_for(self, member: Member | None) -> MemberData:
        """An existing member's current values, so that columns absent from the sheet stay as they are."""
        if member is None:
            # The organization is set from the row; a required column, so always present.
            return MemberData(name="", id_number="", category="", organization=None)  # type: ignore[arg-type]
        values = {name: getattr(member, name) for name in COPIED_FIELDS if name not in ("organization", "community")}
        return MemberData(
            id_number="",
            organization=self.lookups.organization_of(member.organization_id),
            community=self.lookups.area_of(member.community_id) if member.community_id else None,
            **values,
        )

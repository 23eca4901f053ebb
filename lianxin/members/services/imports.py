"""Roster import and export: validate a whole workbook first, then write it all or nothing.

An import reads the sheet once, in batches: each batch is parsed, matched against the
existing members (one query per batch, by ID-number hash) and checked with the same
rules as the member form (`member_data_clean`). Only when every row is valid does one
transaction write the new members, the updates, the transfers and their timeline
events with bulk statements. A bad file writes nothing; its rows' messages go into a
copy of the workbook with a 错误说明 column.

Progress is committed while checking, before the write transaction opens, so the page
can show it; writing is one step as far as progress goes.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any, cast

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.accounts.permissions import Scope, roster_scope
from lianxin.core.bulk import bulk_insert, bulk_update_fields
from lianxin.core.crypto import lookup_hash
from lianxin.core.models import Event
from lianxin.core.services import audit_record
from lianxin.core.spreadsheets import (
    NOT_A_WORKBOOK,
    SheetReader,
    SheetRow,
    SpreadsheetError,
    column_message,
    error_workbook_write,
)
from lianxin.core.transitions import state_transition
from lianxin.members.documents.roster import (
    ERROR_HEADER,
    HEADERS,
    ROSTER_COLUMNS,
    RosterLookups,
    roster_row_values,
    roster_workbook_write,
)
from lianxin.members.models import Member, RosterImport, Transfer
from lianxin.members.services.roster import COPIED_FIELDS, MemberData, member_apply, member_data_clean, public_changes
from lianxin.organizations.models import Organization

__all__ = [
    "SYSTEM_ACTOR",
    "RosterImportResult",
    "RowError",
    "access_roster_import",
    "roster_export",
    "roster_import_create",
    "roster_import_list_visible_to",
    "roster_import_run",
    "roster_workbook_import",
]

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000
# The page lists this many errors; the error workbook has them all.
STORED_ERRORS = 200
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

# The one message for a row refused for a reason the importer may not be told.
ROW_NOT_IMPORTABLE = gettext_lazy("This row cannot be imported; check it with the organization above.")

Source = str | IO[bytes]
Progress = Callable[[int, int | None], None]


class _SystemActor:
    """The command line: no account, whole city in scope (it runs with shell access)."""

    is_authenticated = False
    is_active = True
    is_superuser = True
    pk = None

    def __str__(self) -> str:
        return "system"


SYSTEM_ACTOR: Any = _SystemActor()


@dataclass
class RowError:
    row: int  # as Excel numbers it
    messages: list[str]

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "messages": self.messages}


@dataclass
class RosterImportResult:
    """What an import found and did; `dry_run` results say what it would do."""

    dry_run: bool = False
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    transferred: int = 0
    header_row: int = 0
    file_error: str = ""
    row_errors: list[RowError] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.file_error and not self.row_errors


@dataclass
class _Update:
    member: Member
    changes: dict[str, list[str]]
    old_category: str
    old_organization_id: int


@dataclass
class _Checker:
    """Checks rows batch by batch and keeps what the write phase needs."""

    scope: Scope
    lookups: RosterLookups
    today: date
    first_row_of: dict[str, int] = field(default_factory=dict)  # ID hash -> first row
    row_errors: list[RowError] = field(default_factory=list)
    creates: list[Member] = field(default_factory=list)
    updates: list[_Update] = field(default_factory=list)
    unchanged: int = 0
    rows: int = 0

    def check_batch(self, batch: list[SheetRow]) -> None:
        parsed = [(row.number, *roster_row_values(row, self.lookups)) for row in batch]
        hashes = {lookup_hash(values["id_number"]) for _n, values, _e in parsed if values.get("id_number")}
        # Not the ID number itself: it is known from the row, and decrypting costs.
        existing = {m.id_number_hash: m for m in Member.objects.filter(id_number_hash__in=hashes).defer("id_number")}
        for number, values, errors in parsed:
            self._check_row(number, values, errors, existing)
        self.rows += len(batch)

    def _check_row(self, number: int, values: dict[str, Any], errors: list[str], existing: dict[str, Member]) -> None:
        suppressed: set[str] = set()
        id_number = values.get("id_number")
        if id_number is None:  # the cell could not be parsed; its message is in `errors`
            suppressed.add(_("The ID number is missing."))
        id_hash = lookup_hash(id_number) if id_number else ""
        member = None
        if id_hash:
            first = self.first_row_of.setdefault(id_hash, number)
            if first != number:
                errors.append(_("The same ID number is already on row %(row)d.") % {"row": first})
            else:
                member = existing.get(id_hash)
        if member is not None and not self.scope.contains(self.lookups.organizations[member.organization_id].path):
            # Say nothing of a record the importer may not see: neither where it is nor what it
            # holds, so the row is checked as a new member's and refused like any other.
            errors.append(str(ROW_NOT_IMPORTABLE))
            member = None
        data = self._data_for(member)
        for key, value in values.items():
            setattr(data, key, value)
        data.id_number = id_number or ""
        if values.get("category") == "":
            errors.append(_("%(column)s is empty.") % {"column": HEADERS["category"]})
        if not data.category:
            suppressed.add(_("Unknown category %(value)s.") % {"value": ""})
        organization = values.get("organization")
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
        errors.extend(e for e in member_data_clean(data, today=self.today) if e not in suppressed)
        for key in ("left_on", "lost_contact_since"):
            value = getattr(data, key)
            if value and value > self.today:
                errors.append(
                    _("%(column)s %(date)s is in the future.") % {"column": HEADERS[key], "date": value.isoformat()}
                )
        if errors:
            self.row_errors.append(RowError(number, list(dict.fromkeys(errors))))
            return
        if self.row_errors:
            return  # nothing will be written; keep memory for the errors
        if member is None:
            new = Member()
            member_apply(new, data)
            self.creates.append(new)
            return
        old_category, old_organization_id = member.category, member.organization_id
        changes = member_apply(member, data)
        if changes:
            self.updates.append(_Update(member, changes, old_category, old_organization_id))
        else:
            self.unchanged += 1

    def _data_for(self, member: Member | None) -> MemberData:
        """An existing member's current values, so that columns absent from the sheet stay as they are."""
        if member is None:
            # The organization is set from the row; a required column, so always present.
            return MemberData(name="", id_number="", category="", organization=cast(Organization, None))
        values = {name: getattr(member, name) for name in COPIED_FIELDS if name not in ("organization", "community")}
        return MemberData(
            id_number="",
            organization=self.lookups.organizations[member.organization_id],
            community=self.lookups.areas.get(member.community_id) if member.community_id else None,
            **values,
        )


def roster_workbook_import(
    *,
    actor: Any,
    scope: Scope,
    source: Source,
    file_name: str = "",
    dry_run: bool = False,
    today: date | None = None,
    progress: Progress | None = None,
    roster_import_id: int | None = None,
    before_commit: Callable[[RosterImportResult], None] | None = None,
) -> RosterImportResult:
    """Check every row of a roster workbook, then (unless `dry_run` or any row is bad)
    create and update the members in one transaction.

    `scope` limits the organizations rows may name and the existing members they may
    update. `progress(rows_checked, rows_expected)` is called after each batch;
    `before_commit(result)` at the end of the write transaction (raising undoes it all).
    """
    today = today or timezone.localdate()
    result = RosterImportResult(dry_run=dry_run)
    lookups = RosterLookups.load()
    try:
        with SheetReader(source, ROSTER_COLUMNS) as reader:
            result.header_row = reader.header_row
            checker = _Checker(scope=scope, lookups=lookups, today=today)
            batch: list[SheetRow] = []
            for row in reader:
                batch.append(row)
                if len(batch) == BATCH_SIZE:
                    checker.check_batch(batch)
                    batch = []
                    if progress:
                        progress(checker.rows, reader.total_rows_estimate)
            checker.check_batch(batch)
    except SpreadsheetError as exc:
        result.file_error = exc.message
        return result
    result.total_rows = checker.rows
    result.row_errors = checker.row_errors
    if checker.rows == 0 and not result.row_errors:
        result.file_error = _("The sheet has a header row but no members under it.")
    if not result.is_valid:
        return result
    result.created = len(checker.creates)
    result.updated = len(checker.updates)
    result.unchanged = checker.unchanged
    result.transferred = sum(1 for u in checker.updates if "organization" in u.changes)
    if progress:
        progress(checker.rows, checker.rows)
    if not dry_run:
        with transaction.atomic():
            _write(actor=actor, checker=checker, result=result, file_name=file_name, roster_import_id=roster_import_id)
            if before_commit:
                before_commit(result)
    return result


def _db_fields(changes: Mapping[str, list[str]]) -> tuple[str, ...]:
    names = set(changes)
    if "mobile" in names:
        names.add("mobile_hash")
    return (*sorted(names), "updated_at")


@transaction.atomic
def _write(
    *, actor: Any, checker: _Checker, result: RosterImportResult, file_name: str, roster_import_id: int | None
) -> None:
    now = timezone.now()
    bulk_insert(Member, checker.creates)
    # Rows differ in what changed; updating only those fields keeps each statement small.
    groups: dict[tuple[str, ...], list[Member]] = {}
    for update in checker.updates:
        update.member.updated_at = now
        groups.setdefault(_db_fields(update.changes), []).append(update.member)
    bulk_update_fields(Member, groups)

    subject_type = ContentType.objects.get_for_model(Member)
    event_actor = actor if getattr(actor, "is_authenticated", False) else None
    note = _("roster import")
    source = {"roster_import": roster_import_id, "file": file_name}
    events = [
        Event(
            subject_type=subject_type,
            subject_id=m.pk,
            actor=event_actor,
            verb="created",
            to_state=m.category,
            note=note,
            data=source,
        )
        for m in checker.creates
    ]
    transfers = []
    organizations = checker.lookups.organizations
    for update in checker.updates:
        member, changes = update.member, dict(update.changes)
        if changes.pop("organization", None) is not None:
            # A change of organization is a transfer, with its own record, never a silent edit.
            transfers.append(
                Transfer(
                    member=member,
                    from_organization_id=update.old_organization_id,
                    to_organization_id=member.organization_id,
                    transferred_on=checker.today,
                    reason=note,
                    created_by=event_actor,
                )
            )
            events.append(
                Event(
                    subject_type=subject_type,
                    subject_id=member.pk,
                    actor=event_actor,
                    verb="transferred",
                    note=note,
                    data={
                        "from": organizations[update.old_organization_id].name,
                        "to": organizations[member.organization_id].name,
                        "letter_number": "",
                        "date": str(checker.today),
                        **source,
                    },
                )
            )
        if changes:
            category_changed = update.old_category != member.category
            events.append(
                Event(
                    subject_type=subject_type,
                    subject_id=member.pk,
                    actor=event_actor,
                    verb="imported",
                    from_state=update.old_category if category_changed else "",
                    to_state=member.category if category_changed else "",
                    note=note,
                    data={"changes": public_changes(changes), **source},
                )
            )
    Transfer.objects.bulk_create(transfers, batch_size=BATCH_SIZE)
    bulk_insert(Event, events)
    audit_record(
        actor=actor,
        action="import",
        target=file_name or "members",
        detail={
            "roster_import": roster_import_id,
            "rows": result.total_rows,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "transferred": result.transferred,
        },
    )


# ---------------------------------------------------------------- uploads and runs


@transaction.atomic
def roster_import_create(*, actor: Any, uploaded_file: UploadedFile) -> RosterImport:
    """Store an uploaded workbook as a pending import; refuse what is plainly not .xlsx."""
    name = os.path.basename(uploaded_file.name or "")
    if not name.lower().endswith((".xlsx", ".xlsm")):
        raise ValidationError(
            _("Upload an Excel workbook (.xlsx). An old .xls file: open it in Excel or WPS and save it as .xlsx."),
            code="not_xlsx",
        )
    if uploaded_file.size and uploaded_file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)d MB; split the roster into several files.")
            % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="too_large",
        )
    uploaded_file.seek(0)
    head = uploaded_file.read(4)
    uploaded_file.seek(0)
    if head != b"PK\x03\x04":  # every .xlsx is a zip archive
        raise ValidationError(str(NOT_A_WORKBOOK), code="not_a_workbook")
    roster_import = RosterImport(created_by=actor, file_name=name[:200])
    roster_import.file.save(name, uploaded_file, save=False)
    roster_import.save()
    return roster_import


class ImportAbandoned(Exception):
    """The run no longer owns its import: it was marked failed as stale while this worker went on."""


def roster_import_run(*, roster_import: RosterImport, dry_run: bool = False) -> RosterImportResult:
    """Run a stored import and record its outcome on it.

    Deliberately not atomic as a whole: progress is committed on its own, with a heartbeat
    that tells a live run from one whose worker died. The data is written in one
    transaction inside `roster_workbook_import` (all rows or none), and a successful
    import becomes "done" in that same transaction, so an import marked failed as stale
    meanwhile stops this run with nothing written. The upload is deleted once the import
    has ended (a failed one keeps it, to be started again, until the retention time).
    """
    pk = roster_import.pk
    Status = RosterImport.Status
    try:
        state_transition(
            obj=roster_import,
            to=Status.RUNNING,
            actor=None,
            changes={"processed_rows": 0, "heartbeat_at": timezone.now()},
        )
    except ValidationError:
        logger.info("roster import %s is %s, not waiting: not run again", pk, roster_import.status)
        return RosterImportResult(dry_run=dry_run, file_error=roster_import.message)

    def progress(done: int, expected: int | None) -> None:
        # Blank rows count in `expected` but not in `done`; 0 means "unknown", shown without a bar.
        still_running = RosterImport.objects.filter(pk=pk, status=Status.RUNNING).update(
            processed_rows=done, total_rows=max(expected, done) if expected else 0, heartbeat_at=timezone.now()
        )
        if not still_running:
            raise ImportAbandoned

    def finish_with_the_data(result: RosterImportResult) -> None:
        _outcome_record(roster_import, result, dry_run=dry_run)

    actor = roster_import.created_by
    try:
        with roster_import.file.open("rb") as source:
            result = roster_workbook_import(
                actor=actor,
                scope=roster_scope(actor),
                source=source,
                file_name=roster_import.file_name,
                dry_run=dry_run,
                progress=progress,
                roster_import_id=pk,
                before_commit=finish_with_the_data,
            )
        if roster_import.status == Status.RUNNING:  # nothing was written: record the outcome now
            if result.row_errors:
                _error_file_save(roster_import, result)
            _outcome_record(roster_import, result, dry_run=dry_run)
    except ImportAbandoned:
        logger.warning("roster import %s was marked failed while running; this run stopped, nothing written", pk)
        roster_import.refresh_from_db()
        return RosterImportResult(dry_run=dry_run, file_error=roster_import.message)
    except Exception:
        logger.exception("roster import %s failed", pk)
        message = _("The import failed unexpectedly; nothing was imported. Please try again.")
        roster_import_fail(roster_import=roster_import, message=message)
        return RosterImportResult(dry_run=dry_run, file_error=message)
    _upload_delete(roster_import)
    return result


def _outcome_record(roster_import: RosterImport, result: RosterImportResult, *, dry_run: bool) -> None:
    now = timezone.now()
    checked_only = _("Checked only: nothing was written.")
    changes = {
        "total_rows": result.total_rows,
        "processed_rows": result.total_rows,
        "created_count": result.created,
        "updated_count": result.updated,
        "unchanged_count": result.unchanged,
        "error_count": len(result.row_errors),
        "errors": [e.as_json() for e in result.row_errors[:STORED_ERRORS]],
        "error_file": roster_import.error_file.name or "",
        "message": result.file_error or (checked_only if dry_run and result.is_valid else ""),
        "finished_at": now,
        "heartbeat_at": now,
    }
    to = RosterImport.Status.DONE if result.is_valid else RosterImport.Status.INVALID
    try:
        state_transition(obj=roster_import, to=to, actor=None, changes=changes)
    except ValidationError as exc:
        if exc.code == "conflict":  # failed as stale meanwhile: keep it failed, write nothing
            raise ImportAbandoned from exc
        raise


def roster_import_fail(*, roster_import: RosterImport, message: str, actor: Any = None) -> bool:
    """Mark a waiting or running import failed with `message`; False when it has ended meanwhile."""
    current = RosterImport.objects.filter(pk=roster_import.pk).values_list("status", flat=True).first()
    if current is None:
        return False
    roster_import.status = current
    try:
        state_transition(
            obj=roster_import,
            to=RosterImport.Status.FAILED,
            actor=actor,
            changes={"message": message, "finished_at": timezone.now()},
        )
    except ValidationError:
        return False
    return True


def _upload_delete(roster_import: RosterImport) -> None:
    """The uploaded workbook of an import that has ended; its error copy stays until the retention time."""
    if roster_import.file:
        roster_import.file.delete(save=False)
        RosterImport.objects.filter(pk=roster_import.pk).update(file="")


def _error_file_save(roster_import: RosterImport, result: RosterImportResult) -> None:
    errors = {e.row: e.messages for e in result.row_errors}
    stem = os.path.splitext(roster_import.file_name)[0] or "roster"
    with tempfile.TemporaryFile() as out, roster_import.file.open("rb") as source:
        error_workbook_write(
            source=source, target=out, header_row=result.header_row, errors=errors, error_header=ERROR_HEADER
        )
        out.seek(0)
        roster_import.error_file.save(f"{stem}_{ERROR_HEADER}.xlsx", File(out), save=False)


def roster_import_list_visible_to(*, user: Any) -> QuerySet[RosterImport]:
    """Imports carry personal data: each is seen by its uploader, and by city admins."""
    if roster_scope(user).is_empty:
        return RosterImport.objects.none()
    if roster_scope(user).everything:
        return RosterImport.objects.all()
    return RosterImport.objects.filter(created_by=user)


def access_roster_import(user: Any, pk: int) -> RosterImport:
    roster_import = roster_import_list_visible_to(user=user).filter(pk=pk).first()
    if roster_import is None:
        raise Http404
    return roster_import


# ------------------------------------------------------------------------- export


@transaction.atomic
def roster_export(
    *, actor: Any, members: QuerySet[Member], target: Source, filters: Mapping[str, Any], where: str = ""
) -> int:
    """Write `members` (already scoped to the viewer) as a roster workbook under `where`, and audit it."""
    count = roster_workbook_write(members=members, target=target, where=where)
    audit_record(
        actor=actor,
        action="export",
        target="members",
        detail={"filters": {k: v for k, v in filters.items() if v not in ("", None)}, "rows": count},
    )
    return count

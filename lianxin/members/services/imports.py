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
from typing import IO, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import Scope, roster_scope
from lianxin.accounts.types import Actor
from lianxin.core.bulk import bulk_insert, bulk_update_fields
from lianxin.core.models import Event
from lianxin.core.services import audit_record
from lianxin.core.spreadsheets import NOT_A_WORKBOOK, SheetReader, SheetRow, SpreadsheetError, error_workbook_write
from lianxin.core.transitions import state_transition
from lianxin.members.documents.lookups import RosterLookups
from lianxin.members.documents.roster import ERROR_HEADER, ROSTER_COLUMNS, roster_workbook_write
from lianxin.members.models import Member, MemberVerb, RosterImport, RosterImportVerb, Transfer
from lianxin.members.notices import IMPORT_DONE, IMPORT_FAILED
from lianxin.members.rules.imports import RowChecker, RowError, RowUpdate
from lianxin.members.services.roster import public_changes
from lianxin.notifications.services import notify

__all__ = [
    "ImportAbandoned",
    "RosterImportResult",
    "RosterLookups",
    "RowError",
    "roster_export",
    "roster_import_create",
    "roster_import_fail",
    "roster_import_run",
    "roster_workbook_import",
]

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000
# The page lists this many errors; the error workbook has them all.
STORED_ERRORS = 200
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

Source = str | IO[bytes]
Progress = Callable[[int, int | None], None]


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


def roster_workbook_import(
    *,
    actor: Actor | None,
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
            checker = RowChecker(scope=scope, lookups=lookups, today=today)
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
    if "name" in names:
        names.add("pinyin")
    return (*sorted(names), "updated_at")


@dataclass
class _EventRows:
    """The timeline rows of one import, built in memory and written with one bulk statement."""

    actor: Actor | None
    source: dict[str, Any]
    note: str = field(default_factory=lambda: _("roster import"))
    subject_type: ContentType = field(default_factory=lambda: ContentType.objects.get_for_model(Member))
    rows: list[Event] = field(default_factory=list)

    def add(self, member: Member, verb: MemberVerb, **values: Any) -> None:
        self.rows.append(
            Event(
                subject_type=self.subject_type,
                subject_id=member.pk,
                actor=self.actor,
                verb=verb,
                note=self.note,
                **values,
            )
        )


@transaction.atomic
def _write(
    *,
    actor: Actor | None,
    checker: RowChecker,
    result: RosterImportResult,
    file_name: str,
    roster_import_id: int | None,
) -> None:
    now = timezone.now()
    bulk_insert(Member, checker.creates)
    # Rows differ in what changed; updating only those fields keeps each statement small.
    groups: dict[tuple[str, ...], list[Member]] = {}
    for update in checker.updates:
        update.member.updated_at = now
        groups.setdefault(_db_fields(update.changes), []).append(update.member)
    bulk_update_fields(Member, groups)
    events = _EventRows(actor=actor, source={"roster_import": roster_import_id, "file": file_name})
    for member in checker.creates:
        events.add(member, MemberVerb.CREATED, to_state=member.category, data=events.source)
    transfers = [_update_record(update, checker, events) for update in checker.updates]
    Transfer.objects.bulk_create([t for t in transfers if t is not None], batch_size=BATCH_SIZE)
    bulk_insert(Event, events.rows)
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


def _update_record(update: RowUpdate, checker: RowChecker, events: _EventRows) -> Transfer | None:
    """The events of one updated member, and its transfer when the row changed its organization."""
    member, changes = update.member, dict(update.changes)
    transfer = None
    if changes.pop("organization", None) is not None:
        # A change of organization is a transfer, with its own record, never a silent edit.
        lookups = checker.lookups
        transfer = Transfer(
            member=member,
            from_organization_id=update.old_organization_id,
            to_organization_id=member.organization_id,
            transferred_on=checker.today,
            reason=events.note,
            created_by=events.actor,
        )
        moved = {
            "from": lookups.organization_of(update.old_organization_id).name,
            "to": lookups.organization_of(member.organization_id).name,
            "letter_number": "",
            "date": str(checker.today),
        }
        events.add(member, MemberVerb.TRANSFERRED, data={**moved, **events.source})
    if changes:
        category_changed = update.old_category != member.category
        events.add(
            member,
            MemberVerb.IMPORTED,
            from_state=update.old_category if category_changed else "",
            to_state=member.category if category_changed else "",
            data={"changes": public_changes(changes), **events.source},
        )
    return transfer


# ---------------------------------------------------------------- uploads and runs


@transaction.atomic
def roster_import_create(*, actor: Actor | None, uploaded_file: UploadedFile) -> RosterImport:
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
    try:
        state_transition(
            obj=roster_import,
            to=RosterImport.Status.RUNNING,
            actor=None,
            verb=RosterImportVerb.RUNNING,
            changes={"processed_rows": 0, "heartbeat_at": timezone.now()},
        )
    except ValidationError:
        logger.info("roster import %s is %s, not waiting: not run again", pk, roster_import.status)
        return RosterImportResult(dry_run=dry_run, file_error=roster_import.message)
    try:
        result = _checked_and_written(roster_import, dry_run=dry_run)
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


def _progress_of(pk: int) -> Progress:
    """Progress committed as the check goes; a run whose import is no longer running stops."""

    def progress(done: int, expected: int | None) -> None:
        # Blank rows count in `expected` but not in `done`; 0 means "unknown", shown without a bar.
        still_running = RosterImport.objects.filter(pk=pk, status=RosterImport.Status.RUNNING).update(
            processed_rows=done, total_rows=max(expected, done) if expected else 0, heartbeat_at=timezone.now()
        )
        if not still_running:
            raise ImportAbandoned

    return progress


def _checked_and_written(roster_import: RosterImport, *, dry_run: bool) -> RosterImportResult:
    """The running import's workbook checked, and written when valid, with its outcome recorded."""

    def finish_with_the_data(result: RosterImportResult) -> None:
        _outcome_record(roster_import, result, dry_run=dry_run)

    actor = roster_import.created_by
    with roster_import.file.open("rb") as source:
        result = roster_workbook_import(
            actor=actor,
            # An uploader whose account is gone may import nothing.
            scope=roster_scope(actor) if actor is not None else Scope(),
            source=source,
            file_name=roster_import.file_name,
            dry_run=dry_run,
            progress=_progress_of(roster_import.pk),
            roster_import_id=roster_import.pk,
            before_commit=finish_with_the_data,
        )
    if roster_import.status == RosterImport.Status.RUNNING:  # nothing was written: record the outcome now
        if result.row_errors:
            _error_file_save(roster_import, result)
        _outcome_record(roster_import, result, dry_run=dry_run)
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
        state_transition(obj=roster_import, to=to, actor=None, verb=RosterImportVerb(to), changes=changes)
    except ValidationError as exc:
        if exc.code == "conflict":  # failed as stale meanwhile: keep it failed, write nothing
            raise ImportAbandoned from exc
        raise
    if not dry_run:  # a check only leaves nobody waiting
        _ended_notify(roster_import)


def roster_import_fail(*, roster_import: RosterImport, message: str, actor: Actor | None = None) -> bool:
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
            verb=RosterImportVerb.FAILED,
            changes={"message": message, "finished_at": timezone.now()},
        )
    except ValidationError:
        return False
    _ended_notify(roster_import)
    return True


def _ended_notify(roster_import: RosterImport) -> None:
    """Tell the uploader the import has ended, imported or not, with a link to its page. A failed
    import started again ends again: its end time tells the occurrences apart."""
    if roster_import.created_by_id is None or roster_import.finished_at is None:
        return
    done = roster_import.status == RosterImport.Status.DONE
    params: dict[str, object] = {"uploaded": f"{timezone.localtime(roster_import.created_at):%m-%d %H:%M}"}
    if done:
        params |= {
            "created": roster_import.created_count,
            "updated": roster_import.updated_count,
            "unchanged": roster_import.unchanged_count,
        }
    notify(
        kind=IMPORT_DONE if done else IMPORT_FAILED,
        recipients=[roster_import.created_by_id],
        event=f"roster_import:{roster_import.pk}:{roster_import.status}:{roster_import.finished_at.timestamp():.6f}",
        params=params,
        url=reverse("members:import_status", args=[roster_import.pk]),
    )


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


# ------------------------------------------------------------------------- export


@transaction.atomic
def roster_export(
    *, actor: Actor | None, members: QuerySet[Member], target: Source, filters: Mapping[str, Any], where: str = ""
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

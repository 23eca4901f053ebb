"""12345 hotline transfers: a workbook of work orders becomes demands, all or nothing.

Every row is checked first (work order number, content, category, area, phone, transfer time;
a number already imported or repeated in the file is an error); if any row is wrong nothing is
written and each bad row gets its message, also in a copy of the workbook with a 错误说明
column (docs/adr/0003). Otherwise one transaction records every row through demand_create with
source=hotline and the work order number, collected by the organization that imports them.

The headers are Chinese literals on purpose: they are the hotline's export format, not
interface text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.accounts.types import Actor
from lianxin.core.parsing import ParseError, normalize_mobile, normalize_text, parse_date
from lianxin.core.spreadsheets import Column, SheetReader, SpreadsheetError, column_message, error_workbook_write
from lianxin.demands.models import Demand, DemandCategory
from lianxin.demands.permissions import can_collect_for
from lianxin.demands.services.handling import demand_create
from lianxin.organizations.models import Area, Organization
from lianxin.organizations.selectors import area_by_code

ERROR_HEADER = "错误说明"
# A day's or a week's transfers; a bigger file is split by the hotline's own export anyway.
MAX_ROWS = 5000
# The sheet's last row number: blank rows and a title may sit among the work orders.
MAX_SHEET_ROWS = 2 * MAX_ROWS
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
TITLE_FROM_CONTENT = 30

Source = str | IO[bytes]

_DATETIME = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?$", re.ASCII)


def _work_order_number(value: Any) -> str:
    # A number typed into a numeric cell comes back as 20261120001 or 20261120001.0.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize_text(value)


def _prose(value: Any) -> str:
    """Free text as written: full-width punctuation (，。) is part of Chinese prose, not noise."""
    if value is None:
        return ""
    return str(value).strip()


def _transfer_time(value: Any) -> datetime | None:
    """转办时间: a date-time cell, "2026-11-20 09:30", or a date alone (taken as midnight)."""
    if isinstance(value, datetime):
        return value
    text = normalize_text(value)
    if match := _DATETIME.match(text):
        try:
            year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
            return datetime(year, month, day, hour, minute, second)
        except ValueError:
            raise ParseError(
                gettext_lazy("Invalid date: %(value)s"), code="invalid_date", params={"value": text}
            ) from None
    only_date = parse_date(value)
    return datetime.combine(only_date, time(0, 0)) if only_date is not None else None


HOTLINE_COLUMNS: list[Column] = [
    Column(
        key="hotline_number",
        header="工单编号",
        parse=_work_order_number,
        aliases=("工单号", "工单编码", "受理编号"),
        required=True,
    ),
    Column(key="title", header="诉求标题", parse=_prose, aliases=("标题", "工单标题", "诉求主题")),
    Column(
        key="description",
        header="诉求内容",
        parse=_prose,
        aliases=("内容", "问题描述", "诉求描述", "来电内容"),
        required=True,
    ),
    Column(key="category", header="类别", aliases=("诉求类别", "问题类别", "分类"), required=True),
    Column(key="area", header="所属区域", aliases=("区域", "所属地区", "区域编码", "属地"), required=True),
    Column(key="address", header="地址", parse=_prose, aliases=("事发地址", "详细地址", "事发地点")),
    Column(key="submitter_name", header="联系人", aliases=("来电人", "诉求人")),
    Column(key="submitter_phone", header="联系电话", parse=normalize_mobile, aliases=("来电号码", "手机号码")),
    Column(key="transferred_at", header="转办时间", parse=_transfer_time, aliases=("派单时间", "转派时间", "交办时间")),
]
HEADERS = {column.key: column.header for column in HOTLINE_COLUMNS}


@dataclass
class RowError:
    row: int  # as Excel numbers it
    messages: list[str]


@dataclass
class HotlineImportResult:
    """What an import found and did; a dry run says what it would do."""

    dry_run: bool = False
    total_rows: int = 0
    created: int = 0
    header_row: int = 0
    file_error: str = ""
    row_errors: list[RowError] = field(default_factory=list)
    demand_ids: list[int] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.file_error and not self.row_errors


@dataclass
class _Row:
    number: int
    values: dict[str, Any]


class _Lookups:
    """Categories by code or name; the areas inside the organization's area by code or name."""

    def __init__(self, organization: Organization) -> None:
        self.organization = organization
        self.categories: dict[str, DemandCategory] = {}
        for category in DemandCategory.objects.filter(is_active=True):
            self.categories[category.code.casefold()] = category
            self.categories[normalize_text(category.name).casefold()] = category
        self.category_names = "、".join(DemandCategory.objects.filter(is_active=True).values_list("name", flat=True))
        self.area_by_code: dict[str, Area] = {}
        self.areas_by_name: dict[str, list[Area]] = {}
        for area in Area.objects.filter(path__startswith=organization.area.path):
            self.area_by_code[area.code.casefold()] = area
            self.areas_by_name.setdefault(normalize_text(area.name), []).append(area)

    def category(self, text: str) -> DemandCategory:
        found = self.categories.get(text.casefold())
        if found is None:
            raise ValidationError(
                _("Unknown category %(value)s: use one of %(allowed)s.")
                % {"value": text, "allowed": self.category_names}
            )
        return found

    def area(self, text: str) -> Area:
        found = self.area_by_code.get(text.casefold())
        if found is not None:
            return found
        named = self.areas_by_name.get(text, [])
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            raise ValidationError(
                _("Several areas are called %(value)s: write the area's code instead.") % {"value": text}
            )
        if area_by_code(text) is not None or Area.objects.filter(name=text).exists():
            raise ValidationError(
                _("%(value)s is outside the area of %(organization)s.")
                % {"value": text, "organization": self.organization.name}
            )
        raise ValidationError(_("Unknown area %(value)s: write its name or code.") % {"value": text})


def _check_row(
    number: int, values: dict[str, Any], errors: list[str], lookups: _Lookups, now: datetime
) -> dict[str, Any]:
    """The row's demand fields; problems are appended to `errors` (which holds the cell errors)."""
    fields: dict[str, Any] = {}
    for key, message in (
        ("hotline_number", _("The work order number is empty.")),
        ("description", _("The content of the demand is empty.")),
        ("category", _("The category is empty.")),
        ("area", _("The area is empty.")),
    ):
        if key in values and not values[key]:
            errors.append(column_message(HEADERS[key], message))
    for key, lookup in (("category", lookups.category), ("area", lookups.area)):
        if values.get(key):
            try:
                fields[key] = lookup(values[key])
            except ValidationError as exc:
                errors.append(column_message(HEADERS[key], exc.messages[0]))
    transferred = values.get("transferred_at")
    if transferred is not None:
        transferred = timezone.make_aware(transferred) if timezone.is_naive(transferred) else transferred
        if transferred > now:
            errors.append(column_message(HEADERS["transferred_at"], _("The transfer time is in the future.")))
    description = values.get("description") or ""
    fields.update(
        hotline_number=values.get("hotline_number") or "",
        title=values.get("title") or description[:TITLE_FROM_CONTENT],
        description=description,
        address=values.get("address") or "",
        submitter_name=values.get("submitter_name") or "",
        submitter_phone=values.get("submitter_phone") or "",
        transferred_at=transferred,
    )
    return fields


def _check_numbers(rows: list[tuple[int, dict[str, Any], list[str]]]) -> None:
    """A work order number repeated in the file, or already imported, is an error on its row."""
    first_row: dict[str, int] = {}
    numbers = [fields["hotline_number"] for _n, fields, _e in rows if fields["hotline_number"]]
    existing = dict(
        Demand.objects.filter(hotline_number__in=numbers)
        .exclude(hotline_number="")
        .values_list("hotline_number", "title")
    )
    for number, fields, errors in rows:
        value = fields["hotline_number"]
        if not value:
            continue
        first = first_row.setdefault(value, number)
        if first != number:
            errors.append(
                column_message(
                    HEADERS["hotline_number"],
                    _("The same work order number is already on row %(row)d.") % {"row": first},
                )
            )
        elif value in existing:
            errors.append(
                column_message(
                    HEADERS["hotline_number"],
                    _("Work order %(number)s was already imported as the demand %(title)s.")
                    % {"number": value, "title": existing[value]},
                )
            )


def _write(actor: Actor, organization: Organization, rows: list[tuple[int, dict[str, Any], list[str]]]) -> list[int]:
    ids: list[int] = []
    for number, fields, _errors in rows:
        transferred = fields.pop("transferred_at")
        try:
            demand = demand_create(actor=actor, source=Demand.Source.HOTLINE, organization=organization, **fields)
        except ValidationError as exc:
            raise _RowFailed(number, exc.messages) from exc
        if transferred is not None:
            # Collected when the hotline transferred it, so periods and deadlines count from then.
            Demand.objects.filter(pk=demand.pk).update(created_at=transferred)
        ids.append(demand.pk)
    return ids


class _RowFailed(Exception):
    def __init__(self, row: int, messages: list[str]) -> None:
        super().__init__(row, messages)
        self.row = row
        self.messages = messages


# pg_advisory_xact_lock key of hotline imports ("12345" as a number).
HOTLINE_LOCK_KEY = 12345


def _hold_import_lock() -> None:
    """Queue concurrent imports, so a work order in two files at once is recorded once.

    There is no unique index on the work order number (most demands have none), so the re-check
    of the numbers must run after any other import has committed. PostgreSQL takes a transaction
    advisory lock; SQLite transactions already take the write lock when they begin
    (transaction_mode IMMEDIATE in the settings), so they queue by themselves."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [HOTLINE_LOCK_KEY])


def hotline_import(
    *, actor: Actor, organization: Organization, source: Source, dry_run: bool = False
) -> HotlineImportResult:
    """Check every row of a 12345 work-order workbook, then record all as demands or none."""
    result = HotlineImportResult(dry_run=dry_run)
    if not can_collect_for(actor, organization.path):
        raise ValidationError(_("You are not allowed to record demands for %(name)s.") % {"name": organization.name})
    if not organization.is_active:
        raise ValidationError(_("%(name)s is no longer active.") % {"name": organization.name}, code="inactive")
    lookups = _Lookups(organization)
    now = timezone.now()
    rows: list[tuple[int, dict[str, Any], list[str]]] = []
    try:
        with SheetReader(source, HOTLINE_COLUMNS, max_rows=MAX_SHEET_ROWS) as reader:
            result.header_row = reader.header_row
            for row in reader:
                if len(rows) >= MAX_ROWS:
                    result.file_error = _("The workbook has more than %(max)d work orders; split it.") % {
                        "max": MAX_ROWS
                    }
                    return result
                errors = list(row.errors)
                rows.append((row.number, _check_row(row.number, row.values, errors, lookups, now), errors))
    except SpreadsheetError as exc:
        result.file_error = exc.message
        return result
    result.total_rows = len(rows)
    if not rows:
        result.file_error = _("The workbook has no work orders under its header row.")
        return result
    _check_numbers(rows)
    result.row_errors = [RowError(number, errors) for number, _f, errors in rows if errors]
    if result.row_errors or dry_run:
        return result
    try:
        with transaction.atomic():
            _hold_import_lock()
            # Checked again under the lock: another import may have written since.
            _check_numbers(rows)
            late = [RowError(number, errors) for number, _f, errors in rows if errors]
            if late:
                result.row_errors = late
                return result
            result.demand_ids = _write(actor, organization, rows)
    except _RowFailed as failed:
        result.row_errors = [RowError(failed.row, failed.messages)]
        result.demand_ids = []
        return result
    result.created = len(result.demand_ids)
    return result


def hotline_error_workbook(*, source: Source, target: Source, result: HotlineImportResult) -> None:
    """A copy of the uploaded workbook with each bad row's messages in a 错误说明 column."""
    error_workbook_write(
        source=source,
        target=target,
        header_row=result.header_row,
        errors={e.row: e.messages for e in result.row_errors},
        error_header=ERROR_HEADER,
    )

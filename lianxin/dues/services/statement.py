"""Payments imported from a bank statement (.xlsx), all or nothing as the roster import is.

Every row is read and checked first, in order, against the members of the organization's
subtree and each member's 交至年月 as the rows before it leave it; only when every row
passes does one transaction record the payments, each with its receipt. A bad file writes
nothing and the report names each bad row with its line and reason.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Actor
from lianxin.core.services import audit_record
from lianxin.core.spreadsheets import SheetReader, SheetRow, SpreadsheetError
from lianxin.dues.models import Assessment, DuesAccount
from lianxin.dues.models import Payment as PaymentModel
from lianxin.dues.rules.months import month_add, month_index
from lianxin.dues.rules.statement import MAX_ROWS, MAX_UPLOAD_BYTES, STATEMENT_COLUMNS
from lianxin.dues.selectors.ledger import party_members_of
from lianxin.dues.services.ledger import MONTHS_AHEAD_MAX, PaymentInput, payment_check, payment_write
from lianxin.members.models import Member
from lianxin.organizations.models import Organization


@dataclass
class RowError:
    row: int  # as Excel numbers it
    messages: list[str]

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "messages": self.messages}


@dataclass
class StatementResult:
    total_rows: int = 0
    written: int = 0
    amount: Decimal = Decimal("0.00")
    file_error: str = ""
    row_errors: list[RowError] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.file_error and not self.row_errors


@dataclass
class _Checked:
    entry: PaymentInput
    first: date | None
    last: date | None


class _Matcher:
    """The Party members of a subtree a row may name, by name (read once per statement)."""

    def __init__(self, organization: Organization) -> None:
        members = party_members_of(organization).select_related("organization")
        self.by_name: dict[str, list[Member]] = {}
        for member in members:
            self.by_name.setdefault(member.name, []).append(member)

    def find(self, values: dict[str, Any]) -> Member:
        name, number, last4 = values.get("name") or "", values.get("number"), values.get("last4") or ""
        if not name:
            raise ValidationError(_("The name is empty."))
        if number is None and not last4:
            raise ValidationError(_("Give the member number or the last 4 characters of the ID number."))
        found = self.by_name.get(name, [])
        if number is not None:
            found = [m for m in found if m.pk == number]
        if last4:
            found = [m for m in found if m.id_number.upper().endswith(last4)]
        if not found:
            raise ValidationError(_("No Party member of this organization matches the name and number given."))
        if len(found) > 1:
            raise ValidationError(_("Several members match; give the member number."))
        return found[0]


def _months_for_amount(member: Member, paid_through: date, amount: Decimal) -> date:
    """The last month an amount pays for, month by month from 交至年月 at each year's assessment."""
    assessed = dict(Assessment.objects.filter(member=member).values_list("year", "monthly_amount"))
    total, month = Decimal("0.00"), paid_through
    for _step in range(MONTHS_AHEAD_MAX * 3):
        month = month_add(month, 1)
        if month.year not in assessed:
            break
        total += assessed[month.year]
        if total == amount:
            return month
        if total > amount:
            break
    raise ValidationError(
        _("%(amount)s yuan is not a whole number of months of %(name)s's dues; fill in 缴至年月.")
        % {"amount": amount, "name": member.name}
    )


class _Checker:
    def __init__(self, organization: Organization, today: date) -> None:
        self.matcher = _Matcher(organization)
        self.today = today
        self.accounts: dict[int, DuesAccount] = {}  # 交至年月 as the rows so far leave it
        self.checked: list[_Checked] = []
        self.errors: list[RowError] = []

    def account_of(self, member: Member) -> DuesAccount | None:
        if member.pk not in self.accounts:
            stored = DuesAccount.objects.filter(member=member).first()
            if stored is None:
                return None
            self.accounts[member.pk] = stored
        return self.accounts[member.pk]

    def check(self, row: SheetRow) -> None:
        messages = list(row.errors)
        if not messages:
            try:
                self.checked.append(self._checked(row.values))
            except ValidationError as exc:
                messages.extend(exc.messages)
        if messages:
            self.errors.append(RowError(row.number, list(dict.fromkeys(messages))))

    def _checked(self, values: dict[str, Any]) -> _Checked:
        member = self.matcher.find(values)
        amount, paid_on = values.get("amount"), values.get("paid_on")
        if amount is None:
            raise ValidationError(_("The amount is empty."))
        if paid_on is None:
            raise ValidationError(_("The date is empty."))
        account = self.account_of(member)
        months_to = values.get("months_to")
        if months_to is None and account is not None and amount > 0:
            months_to = _months_for_amount(member, account.paid_through, amount)
        entry = PaymentInput(
            member=member,
            kind=PaymentModel.Kind.REGULAR,
            method=PaymentModel.Method.STATEMENT,
            amount=amount,
            paid_on=paid_on,
            months_to=months_to,
            note=values.get("note") or "",
        )
        first, last = payment_check(entry, today=self.today, account=account)
        if account is not None and last is not None:
            self.accounts[member.pk] = DuesAccount(member=member, starts_on=account.starts_on, paid_through=last)
        return _Checked(entry, first, last)


def statement_import(
    *,
    actor: Actor | None,
    organization: Organization,
    source: IO[bytes],
    size: int,
    file_name: str = "",
    today: date | None = None,
) -> StatementResult:
    """Check every row of a bank statement; when all pass, record every payment in one transaction."""
    today = today or timezone.localdate()
    if actor is not None and not roster_scope(actor).contains(organization.path):
        raise ValidationError(_("You may not record dues for this organization."), code="forbidden")
    result = StatementResult()
    if size > MAX_UPLOAD_BYTES:
        result.file_error = _("The file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        return result
    checker = _Checker(organization, today)
    try:
        with SheetReader(source, STATEMENT_COLUMNS, max_rows=MAX_ROWS + 5) as reader:
            for row in reader:
                result.total_rows += 1
                if result.total_rows > MAX_ROWS:
                    result.file_error = _("A statement holds at most %(n)d rows; split it.") % {"n": MAX_ROWS}
                    return result
                checker.check(row)
    except SpreadsheetError as exc:
        result.file_error = exc.message
        return result
    result.row_errors = checker.errors
    if result.total_rows == 0:
        result.file_error = _("The sheet has a header row but no payments under it.")
    if not result.is_valid:
        return result
    _write(actor, organization, checker.checked, result, file_name)
    return result


@transaction.atomic
def _write(
    actor: Actor | None, organization: Organization, rows: list[_Checked], result: StatementResult, file_name: str
) -> None:
    rows = sorted(rows, key=lambda c: (c.entry.member.pk, month_index(c.first) if c.first else 0))
    for checked in rows:
        payment_write(actor, checked.entry, checked.first, checked.last)
        result.written += 1
        result.amount += checked.entry.amount
    audit_record(
        actor=actor,
        action="import",
        target=f"dues.statement:{organization.code}",
        detail={"file": file_name[:100], "payments": result.written, "amount": str(result.amount)},
    )

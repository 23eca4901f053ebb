"""Builders for the dues ledger: an assessed member, a payment, a bank statement workbook."""

import io
from datetime import date
from decimal import Decimal
from typing import Any

import openpyxl

from lianxin.dues.models import Payment
from lianxin.dues.rules.standard import Basis
from lianxin.dues.services.ledger import PaymentInput, assessment_set, payment_record
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member
from lianxin.organizations.models import Organization

TODAY = date(2026, 12, 7)


def assessed_member(
    organization: Organization, *, monthly: str = "10.00", basis: str = Basis.EMPLOYED_3000, year: int = 2026, **kw: Any
) -> Member:
    """A full member assessed for `year` (dues start in January, nothing paid yet)."""
    member = make_member(organization, **kw)
    assessment_set(actor=None, member=member, year=year, basis=basis, monthly_amount=Decimal(monthly), today=TODAY)
    return member


def pay(member: Member, months_to: date, amount: str, *, kind: str = Payment.Kind.REGULAR, **kw: Any) -> Payment:
    entry = PaymentInput(
        member=member,
        kind=kind,
        method=kw.pop("method", Payment.Method.CASH),
        amount=Decimal(amount),
        paid_on=kw.pop("paid_on", date(2026, 11, 20)),
        months_to=months_to,
        **kw,
    )
    return payment_record(actor=None, entry=entry, today=TODAY)


def statement_workbook(rows: list[dict[str, Any]]) -> io.BytesIO:
    headers = list(dict.fromkeys(key for row in rows for key in row))
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["银行流水"])
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out

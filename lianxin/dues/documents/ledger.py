"""The dues ledger (党费台账) of a subtree as a printable .xlsx, audited."""

from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lianxin.accounts.types import Actor
from lianxin.core.services import audit_record
from lianxin.core.spreadsheets import Column, workbook_write
from lianxin.dues.rules.months import year_month
from lianxin.dues.rules.standard import CENT, Basis
from lianxin.dues.selectors.ledger import behind_of
from lianxin.members.models import Member
from lianxin.organizations.models import Organization


def _monthly(m: Any) -> Decimal | None:
    return None if m.dues_monthly is None else Decimal(m.dues_monthly).quantize(CENT)


def _columns(on: date) -> list[Column]:
    def basis(m: Any) -> str:
        return str(Basis(m.dues_basis).label) if m.dues_basis else ""

    return [
        Column("name", "姓名", export=lambda m: m.name, width=10),
        Column("organization", "所在党组织", export=lambda m: m.organization.name, width=24),
        Column("basis", "缴纳依据", export=basis, width=26),
        Column("monthly", "月缴金额(元)", export=_monthly, width=12),
        Column("paid_through", "交至年月", export=lambda m: year_month(m.dues_paid_through), width=10),
        Column("behind", "欠缴月数", export=lambda m: behind_of(m.dues_paid_through, on), width=10),
    ]


def ledger_export(
    *, actor: Actor, organization: Organization, members: QuerySet[Member], year: int, on: date, target: IO[bytes]
) -> int:
    """Write the ledger rows (already scoped to the viewer) and record who exported what."""
    count = workbook_write(
        target=target,
        columns=_columns(on),
        objects=members.iterator(chunk_size=500),
        sheet_title=_("Dues ledger"),
        title=f"{organization.name} {year}年党费台账",
        where_and_when=f"截至 {on.isoformat()}",
    )
    audit_record(
        actor=actor,
        action="export",
        target="dues.ledger",
        detail={"organization": organization.code, "year": year, "rows": count},
    )
    return count

"""A care round's visit ledger (走访慰问台账) as .xlsx: one row per visit, then the totals."""

import io

from django.utils.translation import gettext as _

from lianxin.care.models import CareRound, CareVisit
from lianxin.care.selectors.rounds import Totals
from lianxin.core.ledgers import LedgerColumn, column_width, ledger_open, subtitle


def ledger_columns() -> list[LedgerColumn]:
    headers = [
        (_("No."), 6, "text"),
        (_("Recipient"), 12, "text"),
        (_("Target group"), 14, "text"),
        (_("Organization"), 24, "text"),
        (_("Visited on"), 12, "date"),
        (_("Visiting organization"), 24, "text"),
        (_("Visitors"), 20, "text"),
        (_("Money (yuan)"), 12, "text"),
        (_("Goods"), 18, "text"),
        (_("Value of goods (yuan)"), 12, "text"),
        (_("Repeat visit"), 8, "text"),
        (_("Note"), 20, "text"),
    ]
    return [LedgerColumn(h, max(w, column_width(h, w)), kind) for h, w, kind in headers]


def round_ledger_xlsx(round_: CareRound, visits: list[CareVisit], totals: Totals) -> bytes:
    out = io.BytesIO()
    title = _("Care visit ledger: %(title)s") % {"title": round_.title}
    with ledger_open(
        out,
        title=title,
        where_and_when=subtitle(round_.organization.name, round_.year),
        columns=ledger_columns(),
        sheet_title=_("Visits"),
    ) as ledger:
        for n, v in enumerate(visits, start=1):
            ledger.append(
                [
                    n,
                    v.recipient.name,
                    v.recipient.get_group_display(),
                    v.recipient.organization.name,
                    v.visited_on,
                    v.organization.name,
                    v.visitors,
                    v.money,
                    v.goods,
                    v.goods_value,
                    _("yes") if v.repeat else "",
                    v.note,
                ]
            )
        ledger.append(
            [
                _("Total"),
                _("%(n)s people") % {"n": totals.people},
                "",
                _("%(n)s units") % {"n": totals.units},
                "",
                "",
                "",
                totals.money,
                "",
                totals.goods,
                "",
                _("%(yuan)s yuan in all") % {"yuan": totals.yuan},
            ]
        )
    return out.getvalue()

"""The 光荣在党50年 list for the ceremony as an .xlsx: each member due, their organization, the
date they became full members, whether issued; needs checking on a sheet of its own. No ID or
mobile numbers."""

import io

from django.utils.translation import gettext as _

from lianxin.core.xlsx_writer import STYLE_HEADER, STYLE_TITLE, XlsxWriter
from lianxin.honours.models import MedalAward
from lianxin.honours.selectors.medals import MedalList
from lianxin.members.models import Member

WIDTHS = {0: 6, 1: 14, 2: 36, 3: 14, 4: 14, 5: 14, 6: 24}


def _status(member: Member) -> str:
    award: MedalAward | None = getattr(member, "medal_award", None)
    if award is None:
        return str(_("not yet confirmed"))
    if award.status == MedalAward.Status.ISSUED:
        return f"{award.get_way_display()} {award.issued_on or ''}"
    return str(award.get_status_display())


def medals_xlsx(title: str, found: MedalList) -> bytes:
    out = io.BytesIO()
    header = [_("No."), _("Name"), _("Party organization"), _("Sex"), _("Full member since"), _("State")]
    with XlsxWriter(out, sheet_title=_("Due"), widths=WIDTHS, freeze_rows=2, sheets=2) as sheet:
        sheet.append([title], styles={0: STYLE_TITLE})
        sheet.append(header, styles=dict.fromkeys(range(len(header)), STYLE_HEADER))
        for n, member in enumerate([*found.not_issued, *found.issued], start=1):
            sheet.append(
                [n, member.name, member.organization.name, member.get_sex_display(), member.full_on, _status(member)]
            )
        sheet.sheet_next(sheet_title=_("Needs checking"), widths=WIDTHS, freeze_rows=1)
        sheet.append(header[:4], styles=dict.fromkeys(range(4), STYLE_HEADER))
        for n, member in enumerate(found.needs_checking, start=1):
            sheet.append([n, member.name, member.organization.name, member.get_sex_display()])
    return out.getvalue()

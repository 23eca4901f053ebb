"""Word documents people print: A4 pages, Chinese fonts, tables that survive page breaks.

python-docx starts a document on US Letter with equal-width table columns; these helpers
set A4 (portrait or landscape) with margins, give East Asian text a Chinese font, size a
table's columns, repeat its header row on every page and keep each row whole on one page.
"""

from collections.abc import Sequence
from typing import Any

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length

__all__ = ["CJK_FONT", "a4_section", "cjk", "table_layout", "usable_width"]

# Word picks this for CJK text when the document's own font has no Chinese glyphs.
CJK_FONT = "SimSun"
A4_SHORT, A4_LONG = Cm(21.0), Cm(29.7)
MARGIN = Cm(2.0)


def a4_section(section: Any, *, landscape: bool = False, margin: Length = MARGIN) -> None:
    """Make a section A4, portrait or landscape, with even margins."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (A4_LONG, A4_SHORT) if landscape else (A4_SHORT, A4_LONG)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, margin)


def usable_width(section: Any) -> int:
    return int(section.page_width - section.left_margin - section.right_margin)


def cjk(run_or_style: Any) -> None:
    """Give East Asian text a Chinese font; python-docx only sets the Latin one."""
    r_pr = run_or_style.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.append(fonts)
    fonts.set(qn("w:eastAsia"), CJK_FONT)


def _row_flag(row: Any, tag: str) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # python-docx has no API for these flags
    if tr_pr.find(qn(tag)) is None:
        tr_pr.append(OxmlElement(tag))


def table_layout(table: Any, *, widths: Sequence[float], total: int, header_rows: int = 1) -> None:
    """Columns in proportion to `widths` filling `total` (EMU), a fixed layout, the first
    `header_rows` repeated on every page and no row split across pages.

    Call after the rows are added: rows added later are not marked.
    """
    share = sum(widths)
    sizes = [int(total * w / share) for w in widths]
    table.autofit = False  # a fixed layout: Word keeps the widths given
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, size in zip(table.columns, sizes, strict=True):
        column.width = size
    for index, row in enumerate(table.rows):
        for cell, size in zip(row.cells, sizes, strict=True):
            cell.width = size
        if index < header_rows:
            _row_flag(row, "w:tblHeader")
        _row_flag(row, "w:cantSplit")

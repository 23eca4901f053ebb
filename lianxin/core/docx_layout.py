"""Word documents people print: A4 pages, Chinese fonts, tables that survive page breaks, and the
layout of official documents (公文, GB/T 9704-2012).

python-docx starts a document on US Letter with equal-width table columns; these helpers
set A4 (portrait or landscape) with margins, give East Asian text a Chinese font (with the fonts
Word falls back to where it is not installed), size a table's columns, repeat its header row on
every page and keep each row whole on one page; for official documents, the text block as a grid
of lines and characters, paragraphs indented by characters and page numbers "— 1 —".
"""

import math
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Mm, Pt
from lxml import etree

__all__ = [
    "CJK_FONT",
    "OFFICIAL_MARGINS",
    "Margins",
    "a4_section",
    "cjk",
    "first_line_indent",
    "font_fallbacks",
    "line_grid",
    "page_number_footer",
    "table_layout",
    "usable_width",
]

# Word picks this for CJK text when the document's own font has no Chinese glyphs.
CJK_FONT = "SimSun"
A4_SHORT, A4_LONG = Cm(21.0), Cm(29.7)
MARGIN = Cm(2.0)


class Margins(NamedTuple):
    top: Length
    bottom: Length
    left: Length
    right: Length


# GB/T 9704-2012 §5.2: the text block of an official document is 156 × 225 mm, 37 mm from the top
# edge and 28 mm from the left one (so 35 mm at the bottom and 26 mm at the right of an A4 page).
OFFICIAL_MARGINS = Margins(top=Mm(37), bottom=Mm(35), left=Mm(28), right=Mm(26))


def a4_section(
    section: Any, *, landscape: bool = False, margin: Length = MARGIN, margins: Margins | None = None
) -> None:
    """Make a section A4, portrait or landscape, with even margins (or each side's own)."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (A4_LONG, A4_SHORT) if landscape else (A4_SHORT, A4_LONG)
    sides = margins or Margins(margin, margin, margin, margin)
    section.top_margin, section.bottom_margin = sides.top, sides.bottom
    section.left_margin, section.right_margin = sides.left, sides.right


def usable_width(section: Any) -> int:
    return int(section.page_width - section.left_margin - section.right_margin)


def cjk(run_or_style: Any, font: str = CJK_FONT, *, latin: bool = False) -> None:
    """Give East Asian text a Chinese font (python-docx only sets the Latin one); with `latin`, the
    Latin letters and digits too, as official documents set them in the same face."""
    fonts = run_or_style.element.get_or_add_rPr().get_or_add_rFonts()  # in its place among the properties
    fonts.set(qn("w:eastAsia"), font)
    if latin:
        for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attribute), font)


def font_fallbacks(document: Any, chains: Mapping[str, Sequence[str]]) -> None:
    """Name, in the document's font table, the fonts Word uses where a named one is not installed:
    each font of a chain gets the next as its alternative name (w:altName), e.g. 仿宋_GB2312 → 仿宋 →
    FangSong → STFangsong. Every font is declared as a Chinese (GB2312) face."""
    part = next(p for p in document.part.package.iter_parts() if str(p.partname).endswith("/fontTable.xml"))
    fonts = parse_xml(part.blob)
    for chain in chains.values():
        for name, alternative in zip(chain, [*chain[1:], ""], strict=True):
            for old in fonts.findall(qn("w:font")):
                if old.get(qn("w:name")) == name:
                    fonts.remove(old)
            font = OxmlElement("w:font", {qn("w:name"): name})
            if alternative:
                font.append(OxmlElement("w:altName", {qn("w:val"): alternative}))
            font.append(OxmlElement("w:charset", {qn("w:val"): "86"}))
            font.append(OxmlElement("w:family", {qn("w:val"): "auto"}))
            font.append(OxmlElement("w:pitch", {qn("w:val"): "variable"}))
            fonts.append(font)
    # python-docx reads the font table as plain bytes and offers no API for it.
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def line_grid(section: Any, *, lines: int, chars: int, font_size: Length) -> tuple[Length, Length]:
    """The text block as `lines` lines of `chars` characters of `font_size` (Word's document grid,
    w:docGrid of lines and characters); returns the line pitch and the character pitch."""
    height = section.page_height - section.top_margin - section.bottom_margin
    line_pitch = Length(height // lines)
    char_pitch = Length(usable_width(section) // chars)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(line_pitch // 635))  # in twentieths of a point
    # The character pitch as 4096ths of a point added to the font size (ECMA-376 §17.6.5).
    # Rounded down: the `chars` characters fit.
    grid.set(qn("w:charSpace"), str(math.floor((char_pitch - font_size) / Pt(1) * 4096)))
    return line_pitch, char_pitch


def first_line_indent(paragraph_format: Any, *, chars: int, font_size: Length) -> None:
    """Indent the first line by `chars` characters, in characters (w:firstLineChars) where Word reads
    them and in length elsewhere."""
    paragraph_format.first_line_indent = Length(font_size * chars)
    indent = paragraph_format.element.get_or_add_pPr().find(qn("w:ind"))
    if indent is not None:
        indent.set(qn("w:firstLineChars"), str(chars * 100))


PAGE_NUMBER_SIZE = Pt(14)  # 4号


def _page_number(footer: Any, *, font: str, size: Length, alignment: Any, indent: Length) -> None:
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.alignment = alignment
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.line_spacing = size
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = indent
    elif alignment == WD_ALIGN_PARAGRAPH.LEFT:
        paragraph.paragraph_format.left_indent = indent
    field = OxmlElement("w:fldSimple", {qn("w:instr"): " PAGE "})
    for text in ("— ", None, " —"):
        run = paragraph.add_run("1" if text is None else text)
        run.font.size = size
        run.font.name = font
        cjk(run, font)
        if text is None:  # the number is the field's result, which Word replaces with the page's
            field.append(run._r)
            paragraph._p.append(field)


def page_number_footer(
    document: Any, section: Any, *, font: str = "宋体", size: Length = PAGE_NUMBER_SIZE, outer: bool = True
) -> None:
    """Page numbers as official documents print them (GB/T 9704 §7.5): "— 1 —" in 4号 (14 pt) 宋体,
    7 mm below the text block; on the outer side (odd pages right, even pages left, each one
    character in), or centred."""
    if outer:
        document.settings.odd_and_even_pages_header_footer = True
        _page_number(section.footer, font=font, size=size, alignment=WD_ALIGN_PARAGRAPH.RIGHT, indent=size)
        _page_number(section.even_page_footer, font=font, size=size, alignment=WD_ALIGN_PARAGRAPH.LEFT, indent=size)
    else:
        _page_number(section.footer, font=font, size=size, alignment=WD_ALIGN_PARAGRAPH.CENTER, indent=Length(0))
    section.footer_distance = Length(section.bottom_margin - Mm(7) - size)


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

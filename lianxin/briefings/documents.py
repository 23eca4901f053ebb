"""A briefing as a Word document laid out as a Chinese official document (公文, GB/T 9704-2012).

A4 with the text block of 156 × 225 mm (margins 37 mm top, 35 bottom, 28 left, 26 right) holding
22 lines of 28 characters; the title in 方正小标宋简体 二号 (22 pt) centred; the text in 仿宋_GB2312
三号 (16 pt), each paragraph indented two characters; section headings in 黑体 三号 numbered 一、二、;
the issuing organization and the date at the end, the date four characters from the right; page
numbers "— 1 —" in 宋体 四号 on the outer side. Each font names those Word uses where it is missing.
An attachment (附件) lists every number the text used, with its value as counted and the address of
the rows behind it. The document is Chinese whatever language the person downloading it reads.
"""

import io
import re
from datetime import date

from django.conf import settings
from django.utils import timezone
from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.shared import Length, Pt
from docx.text.paragraph import Paragraph

from lianxin.briefings.models import Briefing, BriefingFigure
from lianxin.briefings.selectors import ShownSection
from lianxin.core.docx_layout import (
    OFFICIAL_MARGINS,
    a4_section,
    cjk,
    first_line_indent,
    font_fallbacks,
    line_grid,
    page_number_footer,
    table_layout,
    usable_width,
)

TITLE_FONT, BODY_FONT, HEADING_FONT, NUMBER_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "宋体"
FALLBACKS = {
    TITLE_FONT: [TITLE_FONT, "华文中宋", "STZhongsong", "宋体"],
    BODY_FONT: [BODY_FONT, "仿宋", "FangSong", "STFangsong"],
    HEADING_FONT: [HEADING_FONT, "SimHei", "STHeiti"],
    NUMBER_FONT: [NUMBER_FONT, "SimSun", "STSong"],
}
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(12)  # 小四: the attachment's table
LINES, CHARS = 22, 28
NUMERALS = "一二三四五六七八九十"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def day_words(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def ordinal(n: int) -> str:
    """一, 二, … 十, 十一, … 二十: a level-one heading's number."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return f"{'' if tens == 1 else NUMERALS[tens - 1]}十{NUMERALS[ones - 1] if ones else ''}"


def briefing_filename(briefing: Briefing) -> str:
    name = _UNSAFE.sub("_", briefing.title).strip() or "简报"
    return f"{name}.docx" if briefing.is_published else f"{name}（草稿）.docx"


def _paragraph(document: WordDocument, text: str, *, font: str = BODY_FONT, size: Length = BODY_SIZE) -> Paragraph:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.font.size = size
    run.font.name = font
    cjk(run, font, latin=True)
    return paragraph


def _width(text: str) -> float:
    """The text's width in characters: digits and Latin letters are half a character."""
    return sum(0.5 if ch.isascii() else 1 for ch in text)


def _styles(document: WordDocument, line_pitch: Length) -> None:
    normal = document.styles["Normal"]
    normal.font.size = BODY_SIZE
    normal.font.name = BODY_FONT
    cjk(normal, BODY_FONT, latin=True)
    layout = normal.paragraph_format
    layout.space_before = layout.space_after = Pt(0)
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    layout.line_spacing = line_pitch
    layout.widow_control = False


def _body(document: WordDocument, sections: list[ShownSection]) -> None:
    number = 0
    for shown in sections:
        section = shown.section
        if not section.paragraphs:
            continue
        if section.heading:
            number += 1
            heading = _paragraph(document, f"{ordinal(number)}、{section.heading}", font=HEADING_FONT)
            first_line_indent(heading.paragraph_format, chars=2, font_size=BODY_SIZE)
            heading.paragraph_format.keep_with_next = True
        for text in section.paragraphs:
            paragraph = _paragraph(document, text)
            first_line_indent(paragraph.paragraph_format, chars=2, font_size=BODY_SIZE)


def _signature(document: WordDocument, briefing: Briefing) -> None:
    """The organization, centred over the date, and the date four characters from the right (§7.3.5)."""
    when = timezone.localtime(briefing.published_at).date() if briefing.published_at else timezone.localdate()
    dated = day_words(when)
    document.add_paragraph()
    for text in (briefing.organization.name, dated):
        paragraph = _paragraph(document, text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        chars = 4 + (_width(dated) - _width(text)) / 2
        paragraph.paragraph_format.right_indent = Length(int(BODY_SIZE * max(chars, 0)))


def _figures_attachment(document: WordDocument, briefing: Briefing, figures: list[BriefingFigure]) -> None:
    """附件: every number the text used, as counted, with the address of the rows behind it."""
    _paragraph(document, "").runs[0].add_break(WD_BREAK.PAGE)
    _paragraph(document, "附件", font=HEADING_FONT)
    title = _paragraph(document, "数据来源", font=TITLE_FONT, size=TITLE_SIZE)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    counted = day_words(timezone.localtime(briefing.created_at).date())
    note = _paragraph(
        document,
        f"以下数字为{briefing.organization.name}及其下属党组织{day_words(briefing.starts_on)}至"
        f"{day_words(briefing.ends_on)}的数据，于{counted}统计；打开各项链接可查看所统计的明细。",
    )
    first_line_indent(note.paragraph_format, chars=2, font_size=BODY_SIZE)
    site = settings.LIANXIN_SITE_URL.rstrip("/")
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    rows = [("序号", "数据", "文中写作（统计值）", "明细")]
    for index, figure in enumerate(figures, start=1):
        value = "—" if figure.number is None else str(figure.number)
        rows.append((str(index), figure.label, f"{figure.phrase}（{value}）", f"{site}{figure.rows_url}"))
    for number, values in enumerate(rows):
        cells = table.rows[0].cells if number == 0 else table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            run = cell.paragraphs[0].add_run(text)
            run.font.size = TABLE_SIZE
            run.bold = number == 0
            cjk(run, BODY_FONT, latin=True)
            cell.paragraphs[0].paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    section = document.sections[-1]
    table_layout(table, widths=[1.2, 4, 4, 9], total=usable_width(section))


def briefing_docx(briefing: Briefing, sections: list[ShownSection]) -> bytes:
    document = Document()
    section = document.sections[0]
    a4_section(section, margins=OFFICIAL_MARGINS)
    line_pitch, _char_pitch = line_grid(section, lines=LINES, chars=CHARS, font_size=BODY_SIZE)
    font_fallbacks(document, FALLBACKS)
    _styles(document, line_pitch)
    page_number_footer(document, section, font=NUMBER_FONT, size=Pt(14))
    if not briefing.is_published:
        _paragraph(document, "草稿（未发布）", font=HEADING_FONT)
    title = _paragraph(document, briefing.title, font=TITLE_FONT, size=TITLE_SIZE)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph()  # a blank line under the title (§7.3.1)
    _body(document, sections)
    _signature(document, briefing)
    figures = [shown.figure for part in sections for shown in part.figures]
    if figures:
        _figures_attachment(document, briefing, figures)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

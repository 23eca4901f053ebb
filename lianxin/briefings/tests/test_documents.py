"""The briefing's .docx, opened with python-docx: laid out as a Chinese official document (GB/T 9704)."""

import io
import zipfile

import pytest
from django.test import Client
from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.run import Run

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.briefings.documents import ordinal
from lianxin.briefings.models import Briefing
from lianxin.briefings.services import briefing_publish
from lianxin.briefings.tests.factories import make_briefing, make_month
from lianxin.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _download(client: Client, user: User, briefing: Briefing) -> tuple[WordDocument, bytes]:
    assert client.login(username=user.username, password=PASSWORD)
    response = client.get(f"/briefings/{briefing.pk}/docx/")
    assert response.status_code == 200
    content = response.getvalue()
    return Document(io.BytesIO(content)), content


def _mm(length: int | None) -> float:
    """A length in millimetres to a tenth: Word keeps them in twentieths of a point."""
    assert length is not None
    return round(length / Mm(1), 1)


def _east_asian(run: Run) -> str | None:
    fonts = run._r.rPr.find(qn("w:rFonts")) if run._r.rPr is not None else None
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


@pytest.fixture
def published(city: City, district_admin: User) -> Briefing:
    make_month(city, district_admin)
    return briefing_publish(actor=district_admin, briefing=make_briefing(city, district_admin))


def test_the_document_is_a4_with_the_text_block_of_an_official_document(
    client: Client, district_admin: User, published: Briefing
) -> None:
    document, _content = _download(client, district_admin, published)
    section = document.sections[0]
    assert (_mm(section.page_width), _mm(section.page_height)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [_mm(m) for m in margins] == [37, 35, 28, 26]
    # 22 lines of 28 characters: the document grid of the 156 × 225 mm text block
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid is not None and grid.get(qn("w:type")) == "linesAndChars"
    line_pitch = int(grid.get(qn("w:linePitch")))
    assert 578 <= line_pitch <= 580 and line_pitch * 22 <= Mm(225) / 635
    char_pitch = Pt(16) + int(grid.get(qn("w:charSpace"))) * Pt(1) / 4096
    assert section.page_width and section.left_margin and section.right_margin
    width = section.page_width - section.left_margin - section.right_margin
    assert _mm(width) == 156 and 28 * char_pitch <= width < 29 * char_pitch


def test_the_title_is_22_pt_centred_and_the_text_16_pt_indented_two_characters(
    client: Client, district_admin: User, published: Briefing
) -> None:
    document, _content = _download(client, district_admin, published)
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    title = paragraphs[0]
    assert title.text == published.title and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert {r.font.size for r in title.runs} == {Pt(22)}
    assert _east_asian(title.runs[0]) == "方正小标宋简体"
    lead = paragraphs[1]
    assert lead.text.startswith("今年是中国共产党成立")
    assert {r.font.size for r in lead.runs} == {Pt(16)}
    assert _east_asian(lead.runs[0]) == "仿宋_GB2312"
    assert lead.paragraph_format.first_line_indent == Pt(32)
    indent = lead._p.pPr.find(qn("w:ind")) if lead._p.pPr is not None else None
    assert indent is not None and indent.get(qn("w:firstLineChars")) == "200"
    headings = [p.text for p in paragraphs if p.text[:2] in {f"{ordinal(n)}、" for n in range(1, 10)}]
    assert headings[:2] == ["一、支部书记讲党课", "二、开展主题党日"]
    # the organization and the date close the text, the date in figures (成文日期)
    body = [p.text for p in paragraphs]
    assert "中共城区委员会" in body
    assert any(text.endswith("日") and text[:4].isdigit() for text in body)


def test_the_page_number_is_a_field_in_the_footer_between_dashes(
    client: Client, district_admin: User, published: Briefing
) -> None:
    document, _content = _download(client, district_admin, published)
    section = document.sections[0]
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert "w:fldSimple" in xml and 'w:instr=" PAGE "' in xml
        # the text with the field's result (python-docx's text leaves fields out)
        assert "".join(t.text or "" for t in footer.paragraphs[0]._p.iter(qn("w:t"))) == "— 1 —"
        assert {r.font.size for r in footer.paragraphs[0].runs} == {Pt(14)}
    assert section.footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT  # odd pages: the outer side
    assert section.even_page_footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert document.settings.odd_and_even_pages_header_footer


def test_each_font_names_those_word_falls_back_to(client: Client, district_admin: User, published: Briefing) -> None:
    _document, content = _download(client, district_admin, published)
    fonts = zipfile.ZipFile(io.BytesIO(content)).read("word/fontTable.xml").decode()
    for name, fallback in (("仿宋_GB2312", "仿宋"), ("仿宋", "FangSong"), ("FangSong", "STFangsong")):
        assert f'<w:font w:name="{name}"><w:altName w:val="{fallback}"/>' in fonts


def test_an_attachment_lists_each_number_with_its_value_and_the_address_of_its_rows(
    client: Client, district_admin: User, published: Briefing
) -> None:
    document, _content = _download(client, district_admin, published)
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "数据", "文中写作（统计值）", "明细"]
    rows = {r.cells[1].text: r.cells for r in table.rows[1:]}
    lectures = rows["党课"]
    assert lectures[2].text == "2场次（2）"
    lecture = published.figures.get(measure="activities-party_lecture")
    assert lectures[3].text == f"https://lianxin.example.cn/briefings/{published.pk}/figures/{lecture.position}/"
    assert len(table.rows) == published.figures.count() + 1


def test_a_draft_downloads_marked_as_a_draft_and_every_download_is_audited(
    client: Client, city: City, district_admin: User
) -> None:
    make_month(city, district_admin)
    draft = make_briefing(city, district_admin)
    AuditEntry.objects.all().delete()
    document, _content = _download(client, district_admin, draft)
    assert document.paragraphs[0].text == "草稿（未发布）"
    entry = AuditEntry.objects.get()
    assert entry.target == f"briefings.docx:{draft.pk}" and entry.detail["file"].endswith("（草稿）.docx")


def test_ordinals_read_as_chinese_numerals() -> None:
    assert [ordinal(n) for n in (1, 9, 10, 11, 19, 20, 21, 35)] == [
        "一",
        "九",
        "十",
        "十一",
        "十九",
        "二十",
        "二十一",
        "三十五",
    ]

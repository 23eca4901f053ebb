"""Reading a roster workbook: every cell format real sheets contain, headers, broken files."""

import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import openpyxl
import pytest
from django.utils import translation

from conftest import City
from lianxin.core.parsing import id_checksum
from lianxin.core.spreadsheets import SheetReader, SpreadsheetError, error_workbook_write, header_key
from lianxin.members.documents.roster import ROSTER_COLUMNS, RosterLookups, parse_flag, roster_row_values
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_roster_row, make_roster_workbook

pytestmark = pytest.mark.django_db

# A man born 1974-07-01, as an 18-digit number and as the old 15-digit one.
ID_18 = "33010219740701001" + id_checksum("33010219740701001")
ID_15 = "330102740701001"
ID_WITH_X = "11010519851231058X"  # a woman born 1985-12-31


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def read(workbook: io.BytesIO) -> list[tuple[int, dict[str, Any], list[str]]]:
    lookups = RosterLookups.load()
    with SheetReader(workbook, ROSTER_COLUMNS) as reader:
        return [(row.number, *roster_row_values(row, lookups)) for row in reader]


def one_row(city: City, **cells: object) -> tuple[dict[str, Any], list[str]]:
    rows = read(make_roster_workbook([make_roster_row(city.east, **cells)]))
    assert len(rows) == 1
    return rows[0][1], rows[0][2]


@pytest.mark.parametrize(
    "cell",
    [
        "1974-07-01",
        "1974/7/1",
        "1974.07.01",
        "1974年7月1日",
        "19740701",
        19740701,
        datetime(1974, 7, 1),  # a real Excel date cell
        27211,  # the same date as an Excel serial number in a plain numeric cell
        "１９７４－０７－０１",  # full-width, from a Chinese input method
        " 1974年 7月 1日 ",
    ],
)
def test_every_date_format_of_real_sheets_reads_as_the_same_day(city: City, cell: object) -> None:
    values, errors = one_row(city, 出生日期=cell, 公民身份号码=ID_18)
    assert errors == []
    assert values["birth_date"] == date(1974, 7, 1)


@pytest.mark.parametrize("cell", ["1974.7", "1974年7月", "197407"])
def test_a_date_without_a_day_means_the_first_of_the_month(city: City, cell: str) -> None:
    values, errors = one_row(city, 入党日期=cell)
    assert errors == []
    assert values["joined_on"] == date(1974, 7, 1)


def test_an_unreadable_date_names_its_column(city: City) -> None:
    _values, errors = one_row(city, 入党日期="去年七月")
    assert errors == ["入党日期：Invalid date: 去年七月"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (ID_18, ID_18),
        (ID_WITH_X.lower(), ID_WITH_X),  # lower-case x
        ("１１０１０５１９８５１２３１０５８ｘ", ID_WITH_X),  # full-width
        (" 110105 19851231 058X ", ID_WITH_X),  # spaces
        (ID_15, ID_18),  # old 15-digit number converted to 18
        (int(ID_15), ID_18),  # ... even typed into a numeric cell
    ],
)
def test_id_numbers_are_normalized_to_18_characters(city: City, cell: object, expected: str) -> None:
    values, errors = one_row(city, 公民身份号码=cell)
    assert errors == []
    assert values["id_number"] == expected


def test_a_bad_id_checksum_is_a_row_error(city: City) -> None:
    bad = ID_18[:-1] + ("0" if ID_18[-1] != "0" else "1")
    _values, errors = one_row(city, 公民身份号码=bad)
    assert errors == [f"公民身份号码：Invalid ID number {bad}: the check digit does not match, please check for typos"]


@pytest.mark.parametrize(
    ("cell", "category", "reason"),
    [
        ("入党申请人", "applicant", ""),
        ("入党积极分子", "activist", ""),
        ("发展对象", "candidate", ""),
        ("预备党员", "probationary", ""),
        ("正式党员", "full", ""),
        ("出党", "former", "expelled"),
        ("去世", "former", "deceased"),
        ("组织关系转出", "former", "transferred_out"),
        ("full", "full", ""),
    ],
)
def test_category_labels(city: City, cell: str, category: str, reason: str) -> None:
    values, errors = one_row(city, 人员类别=cell)
    assert errors == []
    assert (values["category"], values["leave_reason"]) == (category, reason)


def test_the_reason_column_refines_the_generic_category_出党(city: City) -> None:
    values, errors = one_row(city, 人员类别="出党", 出党原因="去世")
    assert errors == []
    assert (values["category"], values["leave_reason"]) == ("former", "deceased")


def test_a_reason_for_leaving_on_a_current_member_is_an_error(city: City) -> None:
    _values, errors = one_row(city, 出党原因="去世")
    assert errors == ["出党原因 is only for former members, but 人员类别 is 正式党员."]


def test_an_unknown_category_lists_the_allowed_labels(city: City) -> None:
    _values, errors = one_row(city, 人员类别="党员")
    assert len(errors) == 1
    assert errors[0].startswith("人员类别：Invalid value 党员: choose one of 入党申请人 / 入党积极分子")


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"性别": "男"}, {"sex": "male"}),
        ({"性别": "女"}, {"sex": "female"}),
        ({"学历": "高中/中专"}, {"education": "senior"}),
        ({"学历": "中专"}, {"education": "senior"}),
        ({"学历": "硕士研究生"}, {"education": "master"}),
        ({"学历": "博士研究生"}, {"education": "doctor"}),
        ({"学历": "本科"}, {"education": "bachelor"}),
        ({"职业/身份": "党政机关工作人员"}, {"occupation": "official"}),
        ({"职业": "农牧渔民"}, {"occupation": "farmer"}),
        ({"身份": "离退休人员"}, {"occupation": "retired"}),
    ],
)
def test_choice_cells_accept_chinese_labels(city: City, cells: dict[str, str], expected: dict[str, str]) -> None:
    values, errors = one_row(city, **cells)
    assert errors == []
    assert {key: values[key] for key in expected} == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("是", True),
        ("Y", True),
        ("y", True),
        ("√", True),
        (1, True),
        ("否", False),
        ("N", False),
        ("", False),
        (None, False),
    ],
)
def test_flags(cell: object, expected: bool) -> None:
    assert parse_flag(cell) is expected


def test_a_flag_that_is_neither_yes_nor_no_is_an_error(city: City) -> None:
    _values, errors = one_row(city, 流动党员="也许")
    assert errors == ["流动党员：Invalid value 也许: write 是 or 否, or leave the cell empty"]


def test_mobile_numbers_from_numeric_cells_and_with_country_code(city: City) -> None:
    assert one_row(city, 手机号码=13812345678)[0]["mobile"] == "13812345678"
    assert one_row(city, 手机号码="+86 138-1234-5678")[0]["mobile"] == "13812345678"


def test_organization_by_code_full_name_or_unique_short_name(city: City) -> None:
    city.west.short_name = "西社区"
    city.west.save()
    for cell in ("D1W", "西社区党支部", "西社区", "d1w", " 西社区党支部 "):
        values, errors = one_row(city, 所在党组织=cell)
        assert errors == [], cell
        assert values["organization"] == city.west


def test_an_unknown_organization_is_a_row_error(city: City) -> None:
    _values, errors = one_row(city, 所在党组织="北社区党支部")
    assert errors == ["所在党组织：Unknown organization 北社区党支部: use its full name or its code."]


def test_community_by_name_or_code(city: City) -> None:
    area = city.east.area
    assert one_row(city, 居住社区=area.name)[0]["community"] == area
    assert one_row(city, 居住社区=area.code)[0]["community"] == area
    assert one_row(city, 居住社区="")[0]["community"] is None
    assert one_row(city, 居住社区="月亮社区")[1] == ["居住社区：Unknown community 月亮社区: use its name or its code."]


# ------------------------------------------------------------------ the sheet as a whole


def test_columns_may_come_in_any_order_with_extra_columns_and_spaced_headers(city: City) -> None:
    row = make_roster_row(city.east, 姓名="张 三")
    headers = ["序号", "所在党组织", "人员类别", "姓  名", "*公民身份号码", "备注", "入党日期", "转正日期"]
    data = {**row, "序号": 1, "备注": "无", "姓  名": row["姓名"], "*公民身份号码": row["公民身份号码"]}
    rows = read(make_roster_workbook([data], headers=headers))
    values, errors = rows[0][1], rows[0][2]
    assert errors == []
    assert values["name"] == "张 三"
    assert values["organization"] == city.east
    assert set(values) == {"organization", "category", "leave_reason", "name", "id_number", "joined_on", "full_on"}


def test_the_header_may_sit_under_a_title_row_and_rows_keep_their_excel_numbers(city: City) -> None:
    workbook = make_roster_workbook(
        [make_roster_row(city.east), {}, make_roster_row(city.east)],
        above_header=[["2024年党员名册"], []],
    )
    with SheetReader(workbook, ROSTER_COLUMNS) as reader:
        assert reader.header_row == 3
        assert [row.number for row in reader] == [4, 6]


def test_empty_trailing_rows_and_template_rows_with_only_a_number_are_ignored(city: City) -> None:
    headers = ["序号", *make_roster_row(city.east)]
    rows = [{"序号": 1, **make_roster_row(city.east)}] + [{"序号": n} for n in range(2, 50)] + [{}] * 20
    assert len(read(make_roster_workbook(rows, headers=headers))) == 1


def test_a_missing_required_header_fails_the_file_listing_every_missing_column(city: City) -> None:
    row = make_roster_row(city.east)
    del row["人员类别"], row["所在党组织"]
    with pytest.raises(SpreadsheetError) as exc:
        SheetReader(make_roster_workbook([row]), ROSTER_COLUMNS)
    assert exc.value.code == "missing_columns"
    assert exc.value.message == "The header row (row 1) lacks these required columns: 人员类别、所在党组织"


def test_a_column_given_twice_fails_the_file() -> None:
    workbook = make_roster_workbook([], headers=["姓名", "公民身份号码", "身份证号", "人员类别", "所在党组织"])
    with pytest.raises(SpreadsheetError) as exc:
        SheetReader(workbook, ROSTER_COLUMNS)
    assert exc.value.code == "duplicate_columns"
    assert "公民身份号码" in exc.value.message


def test_a_sheet_whose_first_rows_are_empty_has_no_header() -> None:
    workbook = make_roster_workbook([], headers=[], above_header=[[], [], [], [], [], ["姓名"]])
    with pytest.raises(SpreadsheetError) as exc:
        SheetReader(workbook, ROSTER_COLUMNS)
    assert exc.value.code == "no_header"


@pytest.mark.parametrize(
    "content",
    [
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old .xls file",
        b"name,id\nzhang,1\n",
        b"PK\x03\x04 a truncated zip",
        b"",
    ],
)
def test_a_file_that_is_not_an_xlsx_gets_a_clear_message(content: bytes) -> None:
    with pytest.raises(SpreadsheetError) as exc:
        SheetReader(io.BytesIO(content), ROSTER_COLUMNS)
    assert exc.value.code == "not_a_workbook"
    assert "save it as .xlsx" in exc.value.message


def test_header_key_ignores_spacing_marks_and_notes() -> None:
    assert header_key(" 姓\u3000名 ") == "姓名"
    assert header_key("*公民身份号码") == "公民身份号码"
    assert header_key("出生日期（年月日）") == "出生日期"


def test_error_workbook_copies_every_row_and_explains_the_bad_ones() -> None:
    source = make_roster_workbook(
        [{"姓名": "甲", "入党日期": datetime(2001, 7, 1)}, {"姓名": "乙"}], above_header=[["名册"]]
    )
    out = io.BytesIO()
    error_workbook_write(source=source, target=out, header_row=2, errors={4: ["一", "二"]}, error_header="错误说明")
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "名册"
    assert rows[1] == ["姓名", "入党日期", "错误说明"]
    assert rows[2] == ["甲", datetime(2001, 7, 1), None]
    assert rows[3] == ["乙", None, "一；二"]
    assert sheet["C2"].font.b
    assert sheet["C4"].fill.fgColor.rgb == "FFFFC7CE"


def test_the_default_exported_sheet_has_every_roster_header_in_order() -> None:
    assert [c.header for c in ROSTER_COLUMNS] == [
        "姓名", "性别", "公民身份号码", "民族", "出生日期", "籍贯", "学历", "职业/身份", "人员类别", "出党原因",
        "申请入党日期", "确定积极分子日期", "确定发展对象日期", "入党日期", "转正日期", "离开日期",
        "所在党组织", "工作单位", "职务", "手机号码", "家庭住址", "居住社区", "流动党员", "出国境",
        "失联", "失联日期", "涉海/在船",
    ]  # fmt: skip
    assert [c.header for c in ROSTER_COLUMNS if c.required] == ["姓名", "公民身份号码", "人员类别", "所在党组织"]
    assert Member.Category.FORMER in Member.Category.values


# ------------------------------------------------ a workbook as Excel and WPS save it

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def excel_saved_workbook(sheet_rows: str, *, strings: list[str], dimension: str = "") -> io.BytesIO:
    """A minimal .xlsx written the way Excel writes it, unlike openpyxl: a shared string
    table (with rich text and phonetic guides), date styles, cells without references,
    and a notes sheet before the active roster sheet."""
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet2.xml" ContentType="{_CT}.worksheet+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView activeTab="1"/></bookViews>'
            '<sheets><sheet name="填表说明" sheetId="1" r:id="rId1"/><sheet name="名册" sheetId="2" r:id="rId2"/>'
            "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_REL}/worksheet" Target="worksheets/sheet2.xml"/>'
            f'<Relationship Id="rId3" Type="{_REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId4" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": (
            f'<styleSheet xmlns="{_MAIN}"><fonts count="1"><font/></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
        ),
        "xl/sharedStrings.xml": f'<sst xmlns="{_MAIN}">{"".join(strings)}</sst>',
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{_MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>请填写第二页</t>'
            "</is></c></row></sheetData></worksheet>"
        ),
        "xl/worksheets/sheet2.xml": (
            f'<worksheet xmlns="{_MAIN}">{dimension}<sheetData>{sheet_rows}</sheetData></worksheet>'
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, xml in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml)
    out.seek(0)
    return out


def test_a_workbook_saved_by_excel_reads_like_one_written_by_openpyxl(city: City) -> None:
    strings = [
        "<si><t>姓名</t></si>",
        "<si><t>公民身份号码</t></si>",
        "<si><t>人员类别</t></si>",
        "<si><t>所在党组织</t></si>",
        "<si><t>入党日期</t></si>",
        "<si><t>流动党员</t></si>",
        "<si><r><t>张</t></r><r><rPr><b/></rPr><t>三</t></r></si>",  # rich text
        '<si><t>正式党员</t><rPh sb="0" eb="2"><t>セイシキ</t></rPh></si>',  # with a phonetic guide
    ]
    joined = (date(2005, 7, 1) - date(1899, 12, 30)).days
    rows = (
        # Header: cells without references, as some exporters write them.
        '<row r="1">' + "".join(f'<c t="s"><v>{i}</v></c>' for i in range(6)) + "</row>"
        # Row 2 is not stored at all; row 3 is the member.
        '<row r="3"><c r="A3" t="s"><v>6</v></c>'
        f'<c r="B3" t="inlineStr"><is><t>{ID_18.lower()}</t></is></c>'
        '<c r="C3" t="s"><v>7</v></c>'
        '<c r="D3" t="str"><f>"D1"&amp;"E"</f><v>D1E</v></c>'  # a formula: its cached result
        f'<c r="E3" s="1"><v>{joined}</v></c>'  # a date cell
        '<c r="F3" t="b"><v>1</v></c></row>'  # a boolean
    )
    with SheetReader(excel_saved_workbook(rows, strings=strings), ROSTER_COLUMNS) as reader:
        assert reader.header_row == 1
        assert reader.total_rows_estimate == 1  # stored rows counted, as there is no stored size
        lookups = RosterLookups.load()
        [(number, values, errors)] = [(r.number, *roster_row_values(r, lookups)) for r in reader]
    assert errors == []
    assert number == 3
    assert values["name"] == "张三"
    assert values["id_number"] == ID_18
    assert values["category"] == "full"
    assert values["organization"] == city.east
    assert values["joined_on"] == date(2005, 7, 1)
    assert values["is_mobile"] is True


def test_the_stored_sheet_size_gives_the_progress_estimate(city: City) -> None:
    rows = [make_roster_row(city.east) for _ in range(7)]
    with SheetReader(make_roster_workbook(rows, above_header=[["名册"]]), ROSTER_COLUMNS) as reader:
        assert reader.header_row == 2
        assert reader.total_rows_estimate == 7


def test_an_error_cell_is_read_as_its_text_and_refused_by_the_column(city: City) -> None:
    strings = [
        "<si><t>姓名</t></si>",
        "<si><t>公民身份号码</t></si>",
        "<si><t>人员类别</t></si>",
        "<si><t>所在党组织</t></si>",
    ]
    rows = (
        '<row r="1">' + "".join(f'<c t="s"><v>{i}</v></c>' for i in range(4)) + "</row>"
        '<row r="2"><c t="inlineStr"><is><t>李四</t></is></c><c t="e"><v>#N/A</v></c></row>'
    )
    with SheetReader(
        excel_saved_workbook(rows, strings=strings, dimension='<dimension ref="A1:D2"/>'), ROSTER_COLUMNS
    ) as r:
        [row] = list(r)
    assert row.errors == ["公民身份号码：Invalid ID number #N/A: it has 4 characters, 18 are required"]

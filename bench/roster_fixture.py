"""A valid roster workbook of any size, for benchmarks of the import and export.

    from bench.roster_fixture import make_roster_workbook
    make_roster_workbook("/tmp/roster.xlsx", 100_000, ["D1E", "D1W"])

Rows are deterministic (row i is always the same person), pass every import rule, have
unique ID numbers, and use the same headers and cell types as a sheet kept in Excel:
ID numbers as text, dates as real date cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

from lianxin.core.parsing import id_checksum
from lianxin.members.documents.roster import ROSTER_COLUMNS

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰海波宁红建国志军文斌浩宇晨阳欣怡子涵梓轩"
EDUCATION = ["初中", "高中/中专", "大专", "本科", "本科", "硕士研究生"]
# Out of 100 rows: 80 full members, 8 probationary, 5 candidates, 4 activists, 3 applicants.
CATEGORIES = ["正式党员"] * 80 + ["预备党员"] * 8 + ["发展对象"] * 5 + ["入党积极分子"] * 4 + ["入党申请人"] * 3
DAYS = 12_000  # birth dates spread over ~33 years from 1955


def _years_after(d: date, years: int) -> date:
    return d.replace(year=d.year + years, day=min(d.day, 28))


def roster_row(
    i: int, organizations: Sequence[str], today: date | None = None, region: str = "330902"
) -> dict[str, object]:
    """Row `i` of the fixture, keyed by header; ID numbers start with `region` (six digits)."""
    today = today or date.today()
    birth = date(1955, 1, 1) + timedelta(days=i % DAYS)
    # Birth date and this serial make the ID unique for up to 12 million rows.
    serial = i // DAYS
    first17 = f"{region}{birth:%Y%m%d}{serial % 1000:03d}"
    id_number = first17 + id_checksum(first17)
    sex = "男" if int(first17[16]) % 2 else "女"
    category = CATEGORIES[i % len(CATEGORIES)]
    applied = _years_after(birth, 22)
    row: dict[str, object] = {
        "姓名": SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 7) % len(GIVEN)] + GIVEN[(i // 3) % len(GIVEN)],
        "性别": sex,
        "公民身份号码": id_number,
        "民族": "汉族",
        "出生日期": birth,
        "籍贯": "浙江舟山",
        "学历": EDUCATION[i % len(EDUCATION)],
        "人员类别": category,
        "申请入党日期": applied,
        "所在党组织": organizations[i % len(organizations)],
        "工作单位": f"海城第{i % 300 + 1}单位",
        "职务": "职员",
        "手机号码": f"139{i:08d}",
        "家庭住址": f"海城市新城路{i % 999 + 1}号",
        "流动党员": "是" if i % 50 == 0 else "否",
        "出国境": "否",
        "失联": "否",
        "涉海/在船": "是" if i % 20 == 0 else "否",
    }
    if category != "入党申请人":
        row["确定积极分子日期"] = _years_after(birth, 23)
    if category in ("发展对象", "预备党员", "正式党员"):
        row["确定发展对象日期"] = _years_after(birth, 24)
    if category == "预备党员":
        row["入党日期"] = min(_years_after(birth, 25), today - timedelta(days=200))
    if category == "正式党员":
        row["入党日期"] = _years_after(birth, 25)
        row["转正日期"] = _years_after(birth, 26)
    return row


def make_roster_workbook(path: str | Path, rows: int, organizations: Sequence[str], region: str = "330902") -> Path:
    """Write `rows` valid members, spread over `organizations` (codes or full names). A `region` the
    database's people do not use (the demo uses 330900-330922) makes every row a new member."""
    if not organizations:
        raise ValueError("at least one organization is needed")
    headers = [column.header for column in ROSTER_COLUMNS]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("党员名册")
    sheet.append(headers)
    today = date.today()
    for i in range(rows):
        values = roster_row(i, organizations, today, region)
        sheet.append([values.get(header) for header in headers])
    workbook.save(path)
    return Path(path)


def read_baseline(path: str | Path) -> int:
    """The least any import must do: one openpyxl read-only pass over every cell."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    sheet = workbook.active
    assert sheet is not None
    rows = sum(1 for _row in sheet.iter_rows(values_only=True))
    workbook.close()
    return rows


def write_baseline(path: str | Path, rows: int) -> None:
    """The least any export must do: openpyxl write-only of as many rows of constants."""
    from openpyxl import Workbook

    from lianxin.members.documents.roster import HEADERS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(HEADERS.values()))
    row = ["张三", "男", "330902198005170011", "汉族", "1980-05-17", *["x"] * (len(HEADERS) - 5)]
    for _ in range(rows):
        sheet.append(row)
    workbook.save(path)

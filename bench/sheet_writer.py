"""The xlsx writer question: today's hand-written streaming writer beside XlsxWriter's
constant_memory mode, on a 100,000-row export shaped like the roster (text, dates, numbers).

Run: .venv/bin/python bench/sheet_writer.py [rows] [runs] [names...]. Prints wall time per
run, peak memory of one run (tracemalloc) and the file size. Needs no database. The third
writer is the hand-written one as the app's ledgers use it (title rows, print setup, the
ledger's per-row date handling: lianxin.core.ledgers).
"""

import io
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import xlsxwriter

from lianxin.core.xlsx_writer import XlsxWriter as HandWritten

KINDS = ["text", "text", "text", "date", "text", "text", "text", "date", "text", "text", "text", "datetime"]

HEADERS = [
    "姓名",
    "身份证号",
    "性别",
    "出生日期",
    "手机号",
    "所在党组织",
    "人员类别",
    "入党日期",
    "学历",
    "备注",
    "序号",
    "签到时间",
]
WIDTHS = [10, 20, 6, 12, 14, 30, 12, 12, 12, 30, 8, 18]


def rows(count: int) -> Iterator[list[Any]]:
    born, joined, at = date(1960, 1, 1), date(1990, 7, 1), datetime(2026, 12, 28, 19, 0)
    for i in range(count):
        yield [
            f"张{i % 97}伟{i % 13}",
            f"11010519{60 + i % 40}0101{i % 10000:04d}",
            "男" if i % 2 else "女",
            born + timedelta(days=i % 15000),
            f"138{i:08d}",
            f"第{i % 300}党支部",
            "正式党员",
            joined + timedelta(days=i % 9000),
            "本科",
            "" if i % 3 else "流动党员",
            i + 1,
            at + timedelta(minutes=i % 600),
        ]


def hand_written(count: int) -> bytes:
    out = io.BytesIO()
    with HandWritten(out, sheet_title="党员名册", widths=dict(enumerate(WIDTHS)), freeze_header=True) as sheet:
        sheet.append(HEADERS)
        for row in rows(count):
            sheet.append(row)
    return out.getvalue()


def ledger(count: int) -> bytes:
    from lianxin.core.ledgers import LedgerColumn, ledger_open

    out = io.BytesIO()
    columns = [LedgerColumn(h, w, k) for h, w, k in zip(HEADERS, WIDTHS, KINDS, strict=True)]
    with ledger_open(out, title="党员名册", where_and_when="某党委　生成于 2026-12-06 22:00", columns=columns) as sheet:
        for row in rows(count):
            sheet.append(row)
    return out.getvalue()


def xlsxwriter_constant_memory(count: int) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = book.add_worksheet("党员名册")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    datetime_format = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    sheet.write_row(0, 0, HEADERS)
    write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
    for r, row in enumerate(rows(count), start=1):
        for c, value in enumerate(row):
            kind = type(value)
            if kind is str:
                if value:
                    write_string(r, c, value)
            elif kind is int:
                write_number(r, c, value)
            elif kind is date:
                write_datetime(r, c, value, date_format)
            elif kind is datetime:
                write_datetime(r, c, value, datetime_format)
    book.close()
    return out.getvalue()


def measure(name: str, fn: Callable[[int], bytes], count: int, runs: int) -> None:
    times = []
    size = 0
    for _ in range(runs):
        start = time.perf_counter()
        size = len(fn(count))
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    fn(count)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    times.sort()
    print(
        f"{name:28s} median {times[len(times) // 2]:6.2f} s  best {times[0]:6.2f} s  "
        f"peak {peak / 2**20:6.1f} MiB  file {size / 2**20:5.1f} MiB  ({runs} runs)"
    )


if __name__ == "__main__":
    import django

    django.setup()
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    writers = {
        "hand-written streaming": hand_written,
        "hand-written, as a ledger": ledger,
        "XlsxWriter constant_memory": xlsxwriter_constant_memory,
    }
    chosen = sys.argv[3:] or list(writers)
    print(f"{count} rows x {len(HEADERS)} columns")
    for name in chosen:
        measure(name, writers[name], count, runs)

"""The column widths of an uploaded workbook's first sheet, so a copy of it (the 错误说明
workbook) looks like the file its owner made.

Only the sheet's <cols> element is read: it comes before the cells, so reading stops at
<sheetData> whatever the sheet's size. Entities are not resolved and sizes are bounded;
anything unreadable gives no widths (the copy then sizes columns by their headers).
"""

from __future__ import annotations

import logging
import os
import posixpath
import zipfile
from typing import IO

from lxml import etree

logger = logging.getLogger(__name__)

__all__ = ["MAX_COLUMNS", "sheet_column_widths"]

MAX_COLUMNS = 16384  # Excel's last column, XFD
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MAX_PART = 10 * 1024 * 1024  # workbook.xml and its rels are small; refuse a bloated one

Source = str | os.PathLike[str] | IO[bytes]


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > _MAX_PART:
        raise ValueError(f"{name} is too large")
    return archive.read(name)


def _active_sheet_path(archive: zipfile.ZipFile) -> str:
    workbook = etree.fromstring(_read_small(archive, "xl/workbook.xml"), _parser())
    sheets = workbook.findall(f"{_MAIN}sheets/{_MAIN}sheet")
    view = workbook.find(f"{_MAIN}bookViews/{_MAIN}workbookView")
    active = int(view.get("activeTab", "0")) if view is not None else 0
    sheet = sheets[active] if 0 <= active < len(sheets) else sheets[0]
    rel_id = sheet.get(f"{_R}id")
    rels = etree.fromstring(_read_small(archive, "xl/_rels/workbook.xml.rels"), _parser())
    for rel in rels.iter(f"{_PKG}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    raise KeyError(rel_id)


def sheet_column_widths(source: Source) -> dict[int, float]:
    """{0-based column: width} as the active sheet stores them; {} when it stores none or is unreadable."""
    stream = None if isinstance(source, (str, os.PathLike)) else source
    start = stream.tell() if stream is not None else 0
    widths: dict[int, float] = {}
    try:
        with zipfile.ZipFile(source) as archive:
            path = _active_sheet_path(archive)
            with archive.open(path) as xml:
                for _event, element in etree.iterparse(
                    xml, events=("start",), resolve_entities=False, no_network=True, huge_tree=False
                ):
                    if element.tag == f"{_MAIN}sheetData":
                        break
                    if element.tag != f"{_MAIN}col" or element.get("width") is None:
                        continue
                    first = int(element.get("min", "0"))
                    last = min(int(element.get("max", "0")), MAX_COLUMNS)
                    width = float(element.get("width", "0"))
                    if 1 <= first <= last and 0 < width < 256:
                        # A <col> may span thousands of columns; keep those that matter (by the caller's header).
                        for number in range(first, min(last, first + 1024) + 1):
                            widths[number - 1] = width
    except (zipfile.BadZipFile, KeyError, ValueError, IndexError, OSError, etree.LxmlError) as exc:
        logger.info("no column widths read from an uploaded workbook: %s", exc)
        return {}
    finally:
        if stream is not None:
            stream.seek(start)
    return widths

"""The monthly notice (整改通报) as a Word document, worded the way the seeds publish figures.

The notice is an official Chinese document: its sentences follow the seeds ("共收集问题诉求19153个，
整改解决18487个，解决率96.52%") whatever language the person downloading it reads the site in.
It carries the frozen figures and the reviewed summaries only: no titles, names or phones.
"""

import io
from datetime import date
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from lianxin.core.docx_layout import a4_section, cjk
from lianxin.demands.models import PublicNotice


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def figures_sentence(figures: dict[str, Any], start: date, end: date) -> str:
    """The figures in one paragraph, e.g. "…共收集问题诉求19153个，整改解决18487个，解决率96.52%。"."""
    parts = [f"{_day(start)}至{_day(end)}，共收集问题诉求{figures.get('collected', 0)}个"]
    left_out = []
    if figures.get("duplicates"):
        left_out.append(f"重复反映{figures['duplicates']}个")
    if figures.get("not_ours"):
        left_out.append(f"不属于本级职责{figures['not_ours']}个")
    if left_out:
        parts[0] += "（其中" + "、".join(left_out) + "，不计入解决率）"
    parts.append(f"整改解决{figures.get('resolved', 0)}个")
    if figures.get("resolution_rate") is not None:
        parts.append(f"解决率{figures['resolution_rate']}%")
    if figures.get("closed_unresolved"):
        parts.append(f"经说明情况暂无法解决{figures['closed_unresolved']}个")
    if figures.get("open"):
        parts.append(f"正在办理{figures['open']}个")
    if figures.get("on_time_rate") is not None:
        parts.append(f"按期办结率{figures['on_time_rate']}%")
    if figures.get("satisfaction_rate") is not None:
        parts.append(f"回访满意率{figures['satisfaction_rate']}%")
    return "，".join(parts) + "。"


def item_sentence(item: dict[str, Any]) -> str:
    """One numbered line: the area and category, then the reviewed summary."""
    place = "·".join(p for p in (item.get("area", ""), item.get("category", "")) if p)
    return f"【{place}】{item.get('summary', '')}" if place else str(item.get("summary", ""))


def notice_filename(notice: PublicNotice) -> str:
    return f"{notice.title}.docx"


def notice_docx(notice: PublicNotice, figures: dict[str, Any], items: list[dict[str, Any]]) -> bytes:
    """A title, the organization and date, the figures paragraph and the numbered items."""
    document = Document()
    # A4 with the margins of official documents (GB/T 9704: 37 mm top, 28 mm left).
    a4_section(document.sections[0], margin=Cm(2.6))
    document.sections[0].top_margin = Cm(3.7)
    document.sections[0].left_margin = Cm(2.8)
    normal = document.styles["Normal"]
    normal.font.size = Pt(12)
    cjk(normal)

    heading = document.add_heading(notice.title, level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in heading.runs:
        cjk(run)
    issued = notice.published_at.date() if notice.published_at else None
    byline = document.add_paragraph(notice.organization.name + (f"　{_day(issued)}" if issued else ""))
    byline.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if notice.introduction:
        document.add_paragraph(notice.introduction)
    document.add_paragraph(figures_sentence(figures, notice.starts_on, notice.ends_on))
    if items:
        document.add_paragraph("现将已整改解决的问题通报如下：")
        for number, item in enumerate(items, start=1):
            document.add_paragraph(f"{number}. {item_sentence(item)}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

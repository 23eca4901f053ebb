"""Builders for the records demands come from, and 12345 work-order workbooks, through the services."""

import io
from datetime import timedelta
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from lianxin.accounts.models import User
from lianxin.demands.models import FaceToFace, ResearchTopic, Visit
from lianxin.demands.services.sources import face_to_face_create, topic_create, visit_create
from lianxin.organizations.models import Organization

HOTLINE_HEADER = ["工单编号", "诉求标题", "诉求内容", "类别", "所属区域", "地址", "联系人", "联系电话", "转办时间"]


def make_visit(organization: Organization, *, by: User, **overrides: Any) -> Visit:
    values: dict[str, Any] = {
        "kind": Visit.Kind.HOUSEHOLD,
        "area": organization.area,
        "visited": "幸福小区3幢陈大爷家",
        "visitors": "王海、李红",
        "visited_on": timezone.localdate() - timedelta(days=1),
        "findings": "楼道灯坏了，老人晚上出门不便。",
    }
    values.update(overrides)
    return visit_create(actor=by, organization=organization, **values)


def make_topic(organization: Organization, *, by: User, **overrides: Any) -> ResearchTopic:
    values: dict[str, Any] = {
        "title": "老旧小区加装电梯意愿调研",
        "leader": "张书记",
        "is_key": False,
        "starts_on": timezone.localdate() - timedelta(days=30),
        "ends_on": timezone.localdate() + timedelta(days=60),
    }
    values.update(overrides)
    return topic_create(actor=by, organization=organization, **values)


def make_face_to_face(organization: Organization, *, by: User, **overrides: Any) -> FaceToFace:
    values: dict[str, Any] = {
        "title": "十一月民生面对面",
        "area": organization.area,
        "held_on": timezone.localdate() - timedelta(days=2),
        "place": "社区党群服务中心",
        "attendance": 35,
    }
    values.update(overrides)
    return face_to_face_create(actor=by, organization=organization, **values)


def hotline_row(number: str | int = "GD20261120001", **overrides: Any) -> list[Any]:
    """One work order as the hotline exports it; override cells by header key."""
    values: dict[str, Any] = {
        "工单编号": number,
        "诉求标题": "广场舞噪音扰民",
        "诉求内容": "每晚九点后小区广场仍有广场舞音乐，影响休息。",
        "类别": "噪音扰民",
        "所属区域": "城区",
        "地址": "幸福小区中心广场",
        "联系人": "刘女士",
        "联系电话": "13800138000",
        "转办时间": "2026-11-20 09:30",
    }
    values.update(overrides)
    return [values[h] for h in HOTLINE_HEADER]


def hotline_workbook(rows: list[list[Any]], header: list[str] | None = None, title: str | None = None) -> io.BytesIO:
    """An .xlsx with an optional title line, the header and `rows`."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if title:
        sheet.append([title])
    sheet.append(header or HOTLINE_HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "12345.xlsx"
    return buffer

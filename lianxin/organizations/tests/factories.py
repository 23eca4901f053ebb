"""Builders for areas and organizations (treebeard nodes need add_root/add_child)."""

import itertools
from typing import Any

from lianxin.organizations.models import Area, Organization
from lianxin.organizations.services import area_create, organization_create

_seq = itertools.count(1)


def make_area(*, name: str = "", kind: str = Area.Kind.DISTRICT, parent: Area | None = None) -> Area:
    n = next(_seq)
    return area_create(name=name or f"区域{n}", code=f"A{n:05d}", kind=kind, parent=parent)


def make_organization(
    *,
    name: str = "",
    parent: Organization | None = None,
    kind: str = Organization.Kind.BRANCH,
    sector: str = Organization.Sector.COMMUNITY,
    area: Area | None = None,
    code: str = "",
    **extra: Any,
) -> Organization:
    n = next(_seq)
    return organization_create(
        actor=None,
        name=name or f"测试党组织{n}",
        code=code or f"T{n:05d}",
        kind=kind,
        sector=sector,
        area=area or (parent.area if parent else make_area(kind=Area.Kind.CITY)),
        parent=parent,
        **extra,
    )

"""The picker kinds of organizations and areas (lianxin/core/picker.py), registered on import:

- `organization`: the active organizations the user may browse (their subtrees);
- `roster_organization`: those they manage (roster scope, closed ones too): the figures' subtree;
- `managed_organization`: the active ones of those: where to move or merge an organization;
- `public_organization`: every active organization (organizations are public facts): public
  pages' filters and choices open to anyone signed in, such as a transfer's destination;
- `community`: the active community and village organizations, which members report to;
- `area`: every area (public place names), also browsed district → street → community.

All search by name, short name, pinyin initials and code, and read with their full path.
"""

import re
from typing import Any, TypeVar

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from lianxin.accounts.permissions import browse_scope, roster_scope
from lianxin.core.picker import PATH_SEPARATOR, Choice, PickerKind, picker_register
from lianxin.core.types import Person
from lianxin.organizations.models import Area, Organization

Node = TypeVar("Node", Area, Organization)

# Pinyin initials and codes are ASCII; other text is only searched in names.
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")
COMMUNITY_SECTORS = (Organization.Sector.COMMUNITY, Organization.Sector.VILLAGE)


# ------------------------------------------------------------------ scopes


def _user(user: Person) -> Any:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def organization_scope(user: Person) -> QuerySet[Organization]:
    viewer = _user(user)
    qs: QuerySet[Organization] = Organization.objects.all()
    if viewer is None:
        return qs.none()
    return qs.filter(browse_scope(viewer).q("path"), status=Organization.Status.ACTIVE)


def roster_organization_scope(user: Person) -> QuerySet[Organization]:
    viewer = _user(user)
    qs: QuerySet[Organization] = Organization.objects.all()
    if viewer is None:
        return qs.none()
    return qs.filter(roster_scope(viewer).q("path"))


def managed_organization_scope(user: Person) -> QuerySet[Organization]:
    return roster_organization_scope(user).filter(status=Organization.Status.ACTIVE)


def public_organization_scope(user: Person) -> QuerySet[Organization]:
    qs: QuerySet[Organization] = Organization.objects.filter(status=Organization.Status.ACTIVE)
    return qs


def community_scope(user: Person) -> QuerySet[Organization]:
    return public_organization_scope(user).filter(sector__in=COMMUNITY_SECTORS)


def area_scope(user: Person) -> QuerySet[Area]:
    qs: QuerySet[Area] = Area.objects.all()
    return qs


# ------------------------------------------------------------------ search


def tree_match(qs: QuerySet[Node], text: str) -> QuerySet[Node]:
    """Name (and short name) containing the text, a code starting with it, or pinyin initials
    containing it; an exact code first, then names that start with the text, then tree order."""
    short = qs.model is Organization
    words = Q(name__icontains=text) | Q(code__istartswith=text)
    if short:
        words |= Q(short_name__icontains=text)
    if _ASCII_WORD.fullmatch(text):
        words |= Q(pinyin__contains=text.lower())
    starts = Q(name__startswith=text) | (Q(short_name__startswith=text) if short else Q())
    rank = Case(
        When(code__iexact=text, then=Value(0)),
        When(starts, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    ranked: QuerySet[Node] = qs.filter(words).annotate(picker_rank=rank).order_by("picker_rank", "depth", "path")
    return ranked


def tree_fallback(qs: QuerySet[Node], text: str) -> Node | None:
    """Typed without JavaScript: a code, or a name (or short name) only one item has."""
    found: Node | None = qs.filter(code=text).first()
    if found is not None:
        return found
    named = Q(name=text) | (Q(short_name=text) if qs.model is Organization else Q())
    only = list(qs.filter(named)[:2])
    return only[0] if len(only) == 1 else None


# ------------------------------------------------------------------ how results read


def _ancestor_paths(path: str, steplen: int) -> list[str]:
    return [path[:i] for i in range(steplen, len(path), steplen)]


def _names_of_ancestors(model: type[Node], nodes: list[Node]) -> dict[str, str]:
    """Every ancestor of every node, in one query: path → the name it reads by."""
    wanted = {p for n in nodes for p in _ancestor_paths(n.path, model.steplen)}
    if not wanted:
        return {}
    if model is Organization:
        rows = Organization.objects.filter(path__in=wanted).values_list("path", "short_name", "name")
        return {str(path): str(short or name) for path, short, name in rows}
    return {str(path): str(name) for path, name in Area.objects.filter(path__in=wanted).values_list("path", "name")}


def _path_text(model: type[Node], node: Node, names: dict[str, str]) -> str:
    ancestors = [names[p] for p in _ancestor_paths(node.path, model.steplen) if p in names]
    # The city at the top is the same for everyone: left out once there is more to say.
    if len(ancestors) > 1:
        ancestors = ancestors[1:]
    return PATH_SEPARATOR.join(ancestors)


def describe_organizations(orgs: list[Organization]) -> list[Choice]:
    names = _names_of_ancestors(Organization, orgs)
    return [
        Choice(
            key=org.code,
            label=org.name,
            path=_path_text(Organization, org, names),
            detail=org.code,
            browsable=org.numchild > 0,
        )
        for org in orgs
    ]


def describe_areas(areas: list[Area]) -> list[Choice]:
    names = _names_of_ancestors(Area, areas)
    return [Choice(key=a.code, label=a.name, path=_path_text(Area, a, names), browsable=a.numchild > 0) for a in areas]


# ------------------------------------------------------------------ browsing the tree


def tree_children(qs: QuerySet[Node], parent: str | None) -> QuerySet[Node]:
    """One level of the tree within the scope: under `parent` (a code), or the top; a single
    top node (the city) is opened at once."""
    if parent is not None:
        node = qs.filter(code=parent).first()
        if node is None:
            return qs.none()
        return qs.filter(path__startswith=node.path, depth=node.depth + 1).order_by("path")
    top = qs.order_by("depth", "path").first()
    if top is None:
        return qs.none()
    level = qs.filter(depth=top.depth).order_by("path")
    if level.count() == 1:
        return qs.filter(path__startswith=top.path, depth=top.depth + 1).order_by("path")
    return level


def tree_parent_key(qs: QuerySet[Node], key: str) -> str | None:
    node = qs.filter(code=key).first()
    if node is None or node.depth <= 1:
        return None
    parent = qs.filter(path=node.path[: -qs.model.steplen]).first()
    if parent is None or (parent.depth == 1 and qs.filter(depth=1).count() == 1):
        return None  # the opened top node: its children are the top level
    code: str = parent.code
    return code


# ------------------------------------------------------------------ registration


def organization_kind(name: str, scope: Any, *, browsable: bool = False) -> PickerKind:
    """A kind of organizations from `scope` (user → queryset): the apps above offer their own sets."""
    return PickerKind(
        name=name,
        scope=scope,
        match=tree_match,
        describe=describe_organizations,
        key="code",
        fallback=tree_fallback,
        children=tree_children if browsable else None,
        parent_key=tree_parent_key if browsable else None,
    )


def register() -> None:
    picker_register(organization_kind("organization", organization_scope, browsable=True))
    picker_register(organization_kind("roster_organization", roster_organization_scope, browsable=True))
    picker_register(organization_kind("managed_organization", managed_organization_scope, browsable=True))
    picker_register(organization_kind("public_organization", public_organization_scope, browsable=True))
    picker_register(organization_kind("community", community_scope, browsable=False))
    picker_register(
        PickerKind(
            name="area",
            scope=area_scope,
            match=tree_match,
            describe=describe_areas,
            key="code",
            fallback=tree_fallback,
            children=tree_children,
            parent_key=tree_parent_key,
        )
    )


register()

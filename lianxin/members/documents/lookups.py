"""How a roster sheet's cells name organizations and areas: by code, full name, or short name when
that is unique in the whole tree, resolved without a query per row."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy

from lianxin.core.parsing import ParseError, normalize_text
from lianxin.members.models import Member
from lianxin.organizations.models import Area, Organization


class RosterLookups:
    """Organizations and areas, so that rows resolve them without a query each.

    A cell names an organization by code, full name, or short name when that is
    unique; an area by code or (unique) name. Comparison ignores full-width forms and
    spacing.

    Names and codes of the whole tree are indexed (an import may name any organization, and
    a name is unique or not across the whole tree); the objects themselves are loaded only for
    the organizations and areas rows name or existing members belong to (`prepare`), so that an
    import into one district of a province loads the district, not the province.
    """

    def __init__(
        self,
        organizations: Iterable[Organization],
        areas: Iterable[Area],
        name_counts: tuple[Counter[str], Counter[str]] | None = None,
    ) -> None:
        self.organizations: dict[int, Organization] = {o.pk: o for o in organizations}
        self.areas: dict[int, Area] = {a.pk: a for a in areas}
        self._index(
            [(o.pk, o.code, o.name, o.short_name) for o in self.organizations.values()],
            [(a.pk, a.code, a.name) for a in self.areas.values()],
        )
        # How many organizations and areas of the whole tree bear each name (an export's labels).
        self._org_name_counts, self._area_name_counts = name_counts or (
            Counter(o.name for o in self.organizations.values()),
            Counter(a.name for a in self.areas.values()),
        )

    def _index(self, organizations: list[tuple[int, str, str, str]], areas: list[tuple[int, str, str]]) -> None:
        """Keys (normalized codes and names) to primary keys; a name key says whether it is a full name."""
        self._org_codes = {lookup_key(code): pk for pk, code, _name, _short in organizations}
        self._org_names: dict[str, list[tuple[int, bool]]] = {}
        for pk, _code, name, short in organizations:
            full = lookup_key(name)
            for key in {full, lookup_key(short)} - {""}:
                self._org_names.setdefault(key, []).append((pk, key == full))
        self._area_codes = {lookup_key(code): pk for pk, code, _name in areas}
        self._area_names: dict[str, list[int]] = {}
        for pk, _code, name in areas:
            if key := lookup_key(name):
                self._area_names.setdefault(key, []).append(pk)

    @classmethod
    def load(cls) -> RosterLookups:
        """The codes and names of every organization and area: an import may name any of them."""
        lookups = cls([], [])
        organizations = list(Organization.objects.values_list("pk", "code", "name", "short_name"))
        areas = list(Area.objects.values_list("pk", "code", "name"))
        lookups._index(organizations, areas)
        lookups._org_name_counts = Counter(name for _pk, _code, name, _short in organizations)
        lookups._area_name_counts = Counter(name for _pk, _code, name in areas)
        return lookups

    @classmethod
    def for_export(cls, members: QuerySet[Member]) -> RosterLookups:
        """Only the organizations and communities of `members`, with how many of the whole tree share
        each of their names (so labels read as with every one loaded): an export of a district
        loads the district, not the province."""
        organizations = list(Organization.objects.filter(pk__in=members.order_by().values("organization_id")))
        areas = list(Area.objects.filter(pk__in=members.order_by().values("community_id")))
        org_names = Organization.objects.filter(name__in={o.name for o in organizations})
        area_names = Area.objects.filter(name__in={a.name for a in areas})
        counts = (
            Counter(dict(org_names.order_by().values_list("name").annotate(n=Count("pk")))),
            Counter(dict(area_names.order_by().values_list("name").annotate(n=Count("pk")))),
        )
        return cls(organizations, areas, counts)

    def prepare(
        self, organization_ids: Iterable[int] = (), area_ids: Iterable[int] = (), texts: Iterable[Any] = ()
    ) -> None:
        """Load, with one query for each model, the organizations and areas of `organization_ids`,
        `area_ids` and of the cells in `texts` that name one (codes or names of either)."""
        org_ids, area_ids = set(organization_ids), set(area_ids)
        for text in texts:
            key = lookup_key(text)
            if not key:
                continue
            org_ids.update(pk for pk, _full in self._org_names.get(key, ()))
            area_ids.update(self._area_names.get(key, ()))
            for codes, ids in ((self._org_codes, org_ids), (self._area_codes, area_ids)):
                if (pk := codes.get(key)) is not None:
                    ids.add(pk)
        missing = org_ids - self.organizations.keys()
        if missing:
            self.organizations.update((o.pk, o) for o in Organization.objects.filter(pk__in=missing))
        missing = area_ids - self.areas.keys()
        if missing:
            self.areas.update((a.pk, a) for a in Area.objects.filter(pk__in=missing))

    def organization_of(self, pk: int) -> Organization:
        """The organization with primary key `pk` (one query unless prepared)."""
        if pk not in self.organizations:
            self.prepare(organization_ids=[pk])
        return self.organizations[pk]

    def area_of(self, pk: int) -> Area:
        if pk not in self.areas:
            self.prepare(area_ids=[pk])
        return self.areas[pk]

    def organization(self, text: str) -> Organization:
        key = lookup_key(text)
        if (pk := self._org_codes.get(key)) is not None:
            return self.organization_of(pk)
        matches = self._org_names.get(key, [])
        # A full name beats a short name that happens to be the same text.
        full = [pk for pk, is_full in matches if is_full]
        if len(full) == 1 or (not full and len(matches) == 1):
            return self.organization_of(full[0] if full else matches[0][0])
        if matches:
            raise ParseError(
                gettext_lazy("%(value)s names several organizations: use the organization's code."),
                code="ambiguous_organization",
                params={"value": text},
            )
        raise ParseError(
            gettext_lazy("Unknown organization %(value)s: use its full name or its code."),
            code="unknown_organization",
            params={"value": text},
        )

    def area(self, text: str) -> Area | None:
        key = lookup_key(text)
        if not key:
            return None
        if (pk := self._area_codes.get(key)) is not None:
            return self.area_of(pk)
        matches = self._area_names.get(key, [])
        if len(matches) == 1:
            return self.area_of(matches[0])
        if matches:
            raise ParseError(
                gettext_lazy("%(value)s names several areas: use the area's code."),
                code="ambiguous_area",
                params={"value": text},
            )
        raise ParseError(
            gettext_lazy("Unknown community %(value)s: use its name or its code."),
            code="unknown_area",
            params={"value": text},
        )

    def organization_label(self, organization_id: int) -> str:
        """How an export names an organization: its full name, or its code when the name is shared."""
        org = self.organizations[organization_id]
        label: str = org.name if self._org_name_counts[org.name] == 1 else org.code
        return label

    def area_label(self, area_id: int | None) -> str:
        if area_id is None:
            return ""
        area = self.areas[area_id]
        label: str = area.name if self._area_name_counts[area.name] == 1 else area.code
        return label


def lookup_key(text: Any) -> str:
    return normalize_text(text).casefold()

"""Demand figures for a subtree and a period: counts, the three rates, breakdowns, and the rows
behind every figure.

Which demands a subtree counts: those its organizations COLLECTED (demand.organization under
the organization), created in the period (both dates included, in the site's time zone), in
the state they are in now. A demand handed to a unit outside the subtree still counts where it
was collected; the breakdown by unit shows who handled it.

The figures partition the demands collected:

    collected = awaiting acceptance + accepted + not ours + duplicates
    accepted  = open after acceptance + resolved + closed unresolved

- resolved: resolved, or resolved and followed up (Demand.RESOLVED_STATUSES). A demand closed
  as cannot be resolved is never resolved.
- resolution rate = resolved / (collected − duplicates − not ours): a duplicate or a demand
  that was not ours leaves the denominator; one still open stays in it.
- on-time rate = on time / resolved, where on time means resolved on or before the deadline
  (the day of resolution, in the site's time zone).
- satisfaction rate = satisfied / followed up, by each demand's latest follow-up; satisfied
  includes basically satisfied.
- overdue: being handled with a deadline before today (as the handler's inbox marks it).
- rework: the times demands were sent back by an unsatisfied follow-up (one demand sent back
  twice counts two).

Every figure is a queryset of rows (FIGURES), and the counts are one conditional aggregate over
the same conditions, so a figure and its drill-down list never disagree.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Count, F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lianxin.core.figures import rate
from lianxin.core.periods import Period
from lianxin.demands.models import Demand, DemandCategory
from lianxin.demands.selectors.handling import category_by_code
from lianxin.organizations.models import Area, Organization
from lianxin.organizations.selectors import (
    Subtree,
    area_by_code,
    organization_by_code,
    per_organization_sums,
    subtree_organizations,
)

S = Demand.Status
SAT = Demand.Satisfaction

# The unit filter for demands no unit was assigned to yet.
UNASSIGNED = "unassigned"
Unit = Organization | Literal["unassigned"] | None
Breakdown = Literal["unit", "area", "category", "source"]
BREAKDOWNS: tuple[Breakdown, ...] = ("unit", "area", "category", "source")

ACCEPTED_STATUSES = (S.ACCEPTED, S.ASSIGNED, S.RESOLVED, S.CLOSED, S.UNRESOLVABLE)
SATISFIED = (SAT.SATISFIED, SAT.BASIC)


def _conditions(today: date) -> dict[str, Q]:
    """What each counted figure means, as a condition on one collected demand."""
    return {
        "collected": Q(pk__isnull=False),
        "awaiting": Q(status=S.SUBMITTED),
        "accepted": Q(status__in=ACCEPTED_STATUSES),
        "resolved": Q(status__in=Demand.RESOLVED_STATUSES),
        "closed_unresolved": Q(status=S.UNRESOLVABLE),
        "duplicates": Q(status=S.DUPLICATE),
        "not_ours": Q(status=S.NOT_OURS),
        "open": Q(status__in=Demand.OPEN_STATUSES),
        "overdue": Q(status=S.ASSIGNED, deadline__lt=today),
        "on_time": Q(status__in=Demand.RESOLVED_STATUSES, resolved_at__date__lte=F("deadline")),
        "followed_up": ~Q(satisfaction=""),
        "satisfied": Q(satisfaction__in=SATISFIED),
        "unsatisfied": Q(satisfaction=SAT.UNSATISFIED),
        "rework": Q(rework_count__gt=0),
    }


COUNTED: tuple[str, ...] = (
    "collected",
    "awaiting",
    "accepted",
    "resolved",
    "closed_unresolved",
    "duplicates",
    "not_ours",
    "open",
    "overdue",
    "on_time",
    "followed_up",
    "satisfied",
    "unsatisfied",
    "rework",
)


def _formula(part: int, whole: int) -> str:
    share = rate(part, whole)
    return f"{part} / {whole} = {share}%" if share is not None else f"{part} / {whole}"


@dataclass(frozen=True)
class DemandStats:
    collected: int = 0
    awaiting: int = 0
    accepted: int = 0
    resolved: int = 0
    closed_unresolved: int = 0
    duplicates: int = 0
    not_ours: int = 0
    open: int = 0
    overdue: int = 0
    on_time: int = 0
    followed_up: int = 0
    satisfied: int = 0
    unsatisfied: int = 0
    rework: int = 0  # times sent back, summed over demands

    @property
    def counted(self) -> int:
        """The resolution rate's denominator: collected less duplicates and not ours."""
        return self.collected - self.duplicates - self.not_ours

    @property
    def resolution_rate(self) -> Decimal | None:
        """Percent, two decimals; None when nothing is counted."""
        return rate(self.resolved, self.counted)

    @property
    def resolution_formula(self) -> str:
        """Both parts and the rate, e.g. "18487 / 19153 = 96.52%"."""
        return _formula(self.resolved, self.counted)

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.on_time, self.resolved)

    @property
    def on_time_formula(self) -> str:
        return _formula(self.on_time, self.resolved)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return rate(self.satisfied, self.followed_up)

    @property
    def satisfaction_formula(self) -> str:
        return _formula(self.satisfied, self.followed_up)


def collected(
    *,
    organization: Subtree,
    start: date,
    end: date,
    area: Area | None = None,
    category: DemandCategory | None = None,
    source: str | None = None,
    unit: Unit = None,
) -> QuerySet[Demand]:
    """Demands collected by the subtree in the period, narrowed by the optional filters."""
    # The subtree's organizations as a list of ids, so each one's demands of the period are read
    # by its range of the (organization, created_at) index, and nothing of the rest of the city.
    subtree = subtree_organizations(organization).values("pk")
    return _narrowed(start, end, area, category, source, unit).filter(organization__in=subtree)


def _narrowed(
    start: date, end: date, area: Area | None, category: DemandCategory | None, source: str | None, unit: Unit
) -> QuerySet[Demand]:
    """Demands of every organization collected in the period, narrowed by the optional filters."""
    low, high = Period(start, end).bounds
    qs = Demand.objects.filter(created_at__gte=low, created_at__lt=high)
    if area is not None:
        qs = qs.filter(area__in=Area.objects.filter(path__startswith=area.path).values("pk"))
    if category is not None:
        qs = qs.filter(category=category)
    if source:
        qs = qs.filter(source=source)
    if unit == UNASSIGNED:
        qs = qs.filter(responsible_unit__isnull=True)
    elif isinstance(unit, Organization):
        qs = qs.filter(responsible_unit=unit)
    return qs


def _aggregates(today: date) -> dict[str, Any]:
    conditions = _conditions(today)
    counts: dict[str, Any] = {name: Count("pk", filter=q) for name, q in conditions.items() if name != "rework"}
    counts["collected"] = Count("pk")
    counts["rework"] = Coalesce(Sum("rework_count"), Value(0), output_field=IntegerField())
    return counts


def demand_stats(
    *,
    organization: Subtree,
    start: date,
    end: date,
    area: Area | None = None,
    category: DemandCategory | None = None,
    source: str | None = None,
    unit: Unit = None,
    today: date | None = None,
) -> DemandStats:
    """Every figure of the subtree and period in one aggregate query."""
    today = today or timezone.localdate()
    # Every figure is a count or a sum: below a root on PostgreSQL they are added up organization by
    # organization, each from its own index range, so a district's cost what the district holds.
    row = per_organization_sums(_narrowed(start, end, area, category, source, unit), organization, _aggregates(today))
    if row is None:
        qs = collected(
            organization=organization, start=start, end=end, area=area, category=category, source=source, unit=unit
        )
        # One row of conditional counts: nothing is sorted or hashed but the subtree's ids, so the
        # server's work_mem suffices and no statement_memory is asked for.
        row = qs.order_by().aggregate(**_aggregates(today))
    return DemandStats(**{name: int(row[name] or 0) for name in COUNTED})


def demand_stats_grouped(
    *, organization: Subtree, start: date, end: date, group: Any, today: date | None = None
) -> dict[Any, DemandStats]:
    """Every figure of the subtree and period for each value of `group` (an expression on a collected
    demand, e.g. the child of the subtree it lies under), in one grouped query."""
    today = today or timezone.localdate()
    qs = collected(organization=organization, start=start, end=end).order_by()
    rows = qs.annotate(group=group).values("group").annotate(**_aggregates(today))
    return {r["group"]: DemandStats(**{n: int(r[n] or 0) for n in COUNTED}) for r in rows}


@dataclass(frozen=True)
class StatsRow:
    """One line of a breakdown: `key` is what the drill-down filter takes (a code or value)."""

    key: str
    label: str | Promise
    stats: DemandStats


def _area_prefix_length(organization: Organization) -> int:
    """Areas one level below the organization's own area: their path prefix length."""
    own = organization.area
    step: int = Area.steplen
    return len(own.path) + step


def demand_stats_by(
    *, organization: Organization, start: date, end: date, by: Breakdown, today: date | None = None
) -> list[StatsRow]:
    """The figures broken down by responsible unit, area (one level below the organization's
    own area; demands in the area itself form their own line), category or source, in one
    grouped query; largest first."""
    if by == "unit":
        group: Any = F("responsible_unit_id")
    elif by == "area":
        group = Substr("area__path", 1, _area_prefix_length(organization))
    elif by == "category":
        group = F("category_id")
    elif by == "source":
        group = F("source")
    else:
        raise ValueError(f"unknown breakdown {by!r}")
    grouped = demand_stats_grouped(organization=organization, start=start, end=end, group=group, today=today)
    labels = _labels(by, list(grouped))
    out = []
    for value, stats in grouped.items():
        key, label = labels.get(value, (str(value), str(value)))
        out.append(StatsRow(key=key, label=label, stats=stats))
    out.sort(key=lambda row: (-row.stats.collected, str(row.label)))
    return out


def _labels(by: Breakdown, groups: list[Any]) -> dict[Any, tuple[str, str | Promise]]:
    """The drill-down key and the label of each group value."""
    if by == "unit":
        units = Organization.objects.filter(pk__in=[g for g in groups if g is not None]).only("code", "name")
        labels: dict[Any, tuple[str, str | Promise]] = {u.pk: (u.code, u.name) for u in units}
        labels[None] = (UNASSIGNED, _("not assigned yet"))
        return labels
    if by == "area":
        areas = Area.objects.filter(path__in=[g for g in groups if g]).only("code", "name", "path")
        return {a.path: (a.code, a.name) for a in areas}
    if by == "category":
        return {c.pk: (c.code, c.name) for c in DemandCategory.objects.filter(pk__in=groups)}
    return {value: (value, label) for value, label in Demand.Source.choices}


def narrowing_from(params: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The breakdown filters of a drill-down (unit, area, category, source codes) as stats
    keyword arguments, and the same as query parameters; an unknown code is refused."""
    kwargs: dict[str, Any] = {}
    query: dict[str, str] = {}
    unit = params.get("unit", "").strip()
    if unit:
        if unit == UNASSIGNED:
            kwargs["unit"] = UNASSIGNED
        else:
            # Any unit: a demand collected here may be handled by a unit outside the subtree.
            found = organization_by_code(user=None, code=unit)
            if found is None:
                raise ValidationError(gettext("There is no unit with the code “%(code)s”.") % {"code": unit})
            kwargs["unit"] = found
        query["unit"] = unit
    area = params.get("area", "").strip()
    if area:
        kwargs["area"] = area_by_code(area)
        if kwargs["area"] is None:
            raise ValidationError(gettext("There is no area with the code “%(code)s”.") % {"code": area})
        query["area"] = area
    category = params.get("category", "").strip()
    if category:
        kwargs["category"] = category_by_code(category)
        if kwargs["category"] is None:
            raise ValidationError(gettext("There is no demand category “%(code)s”.") % {"code": category})
        query["category"] = category
    source = params.get("source", "").strip()
    if source:
        if source not in Demand.Source.values:
            raise ValidationError(gettext("There is no demand source “%(code)s”.") % {"code": source})
        kwargs["source"] = source
        query["source"] = source
    return kwargs, query


# ------------------------------------------------------------------ the rows behind each figure

FIGURES: tuple[str, ...] = COUNTED


def figure_rows(
    figure: str,
    *,
    organization: Subtree,
    start: date,
    end: date,
    area: Area | None = None,
    category: DemandCategory | None = None,
    source: str | None = None,
    unit: Unit = None,
    today: date | None = None,
) -> QuerySet[Demand]:
    """The demands a figure counts (for "rework": those sent back at least once), oldest first."""
    conditions = _conditions(today or timezone.localdate())
    if figure not in conditions:
        raise KeyError(figure)
    qs = collected(
        organization=organization, start=start, end=end, area=area, category=category, source=source, unit=unit
    )
    return (
        qs.filter(conditions[figure])
        .select_related("category", "area", "organization", "responsible_unit")
        .order_by("created_at", "id")
    )


def _rows_of(figure: str) -> Callable[..., QuerySet[Demand]]:
    def rows(**kwargs: Any) -> QuerySet[Demand]:
        return figure_rows(figure, **kwargs)

    rows.__name__ = f"{figure}_rows"
    rows.__doc__ = f"The demands behind the “{figure}” figure (keyword arguments as figure_rows)."
    return rows


collected_rows = _rows_of("collected")
awaiting_rows = _rows_of("awaiting")
accepted_rows = _rows_of("accepted")
resolved_rows = _rows_of("resolved")
closed_unresolved_rows = _rows_of("closed_unresolved")
duplicates_rows = _rows_of("duplicates")
not_ours_rows = _rows_of("not_ours")
open_rows = _rows_of("open")
overdue_rows = _rows_of("overdue")
on_time_rows = _rows_of("on_time")
followed_up_rows = _rows_of("followed_up")
satisfied_rows = _rows_of("satisfied")
unsatisfied_rows = _rows_of("unsatisfied")
rework_rows = _rows_of("rework")

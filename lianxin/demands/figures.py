"""Residents' demands' figures for the dashboard and the briefings (lianxin.core.figures): the same
numbers and rows as the demand figures page (selectors/stats: one aggregate for them all), by the
collecting organization's subtree. A row shows the demand's number, title, category, area and state,
never the resident."""

from collections.abc import Callable, Mapping

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianxin.core.figures import FigureGroup, Measure, Number, Row, child_of, figures_register
from lianxin.core.periods import Period
from lianxin.demands.models import Demand
from lianxin.demands.selectors.stats import DemandStats, demand_stats, demand_stats_grouped, figure_rows
from lianxin.organizations.models import Organization
from lianxin.organizations.selectors import Subtree

COLUMNS = (
    ("number", _("Number")),
    ("date", _("Collected on")),
    ("title", _("Title")),
    ("category", _("Category")),
    ("area", _("Area")),
    ("status", _("State")),
)


def demand_row(demand: Demand) -> Row:
    return {
        "number": demand.pk,
        "date": demand.created_at.date().isoformat(),
        "title": demand.title,
        "category": str(demand.category),
        "area": str(demand.area),
        "status": demand.get_status_display(),
    }


def _rows(figure: str) -> Callable[[Organization, Period], QuerySet[Demand]]:
    def rows(org: Subtree, period: Period) -> QuerySet[Demand]:
        return figure_rows(figure, organization=org, start=period.start, end=period.end)

    return rows


def counted_rows(org: Subtree, period: Period) -> QuerySet[Demand]:
    """The resolution rate's denominator: collected, less duplicates and those not ours."""
    return figure_rows("collected", organization=org, start=period.start, end=period.end).exclude(
        status__in=(Demand.Status.DUPLICATE, Demand.Status.NOT_OURS)
    )


def _numbers(stats: DemandStats) -> dict[str, Number]:
    return {
        "demands-collected": stats.collected,
        "demands-resolved": stats.resolved,
        "demands-open": stats.open,
        "demands-overdue": stats.overdue,
        "demands-resolution-rate": stats.resolution_rate,
        "demands-satisfaction-rate": stats.satisfaction_rate,
    }


def compute(org: Subtree, period: Period) -> Mapping[str, Number]:
    return _numbers(demand_stats(organization=org, start=period.start, end=period.end))


def compute_children(org: Subtree, period: Period, children: list[Organization]) -> dict[int, dict[str, Number]]:
    """The same numbers for each child, from one statement grouped by the child a demand lies under."""
    grouped = demand_stats_grouped(
        organization=org, start=period.start, end=period.end, group=child_of("organization", children)
    )
    return {child.pk: _numbers(grouped.get(child.path, DemandStats())) for child in children}


MEASURES = (
    Measure(
        "demands-collected",
        _("Demands collected"),
        pgettext_lazy("unit", "items"),
        _("Every demand collected by this organization or one below it in the period, in any state."),
        _rows("collected"),
        COLUMNS,
        demand_row,
        headline=True,
        dated="created_at",
        organization="organization",
    ),
    Measure(
        "demands-resolved",
        _("Demands resolved"),
        pgettext_lazy("unit", "items"),
        _("Of those, resolved, followed up or not. A demand closed as cannot be resolved is not resolved."),
        _rows("resolved"),
        COLUMNS,
        demand_row,
        dated="created_at",
        organization="organization",
    ),
    Measure(
        "demands-open",
        _("Demands still open"),
        pgettext_lazy("unit", "items"),
        _("Of those, awaiting acceptance, accepted or being handled."),
        _rows("open"),
        COLUMNS,
        demand_row,
        dated="created_at",
        organization="organization",
    ),
    Measure(
        "demands-overdue",
        _("Demands overdue"),
        pgettext_lazy("unit", "items"),
        _("Of those, being handled with a deadline before today."),
        _rows("overdue"),
        COLUMNS,
        demand_row,
        dated="created_at",
        organization="organization",
    ),
    Measure(
        "demands-resolution-rate",
        _("Resolution rate"),
        "%",
        _(
            "Resolved as a share of those collected less duplicates and those not ours, to two decimals; "
            "its rows are that denominator."
        ),
        counted_rows,
        COLUMNS,
        demand_row,
        counts_rows=False,
        headline=True,
    ),
    Measure(
        "demands-satisfaction-rate",
        _("Satisfaction rate"),
        "%",
        _(
            "Satisfied or basically satisfied as a share of those followed up (the latest answer counts), "
            "to two decimals; its rows are those followed up."
        ),
        _rows("followed_up"),
        COLUMNS,
        demand_row,
        counts_rows=False,
    ),
)

figures_register(FigureGroup("demands", _("Residents' demands"), 60, MEASURES, compute, compute_children))

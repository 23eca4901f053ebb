"""Service figures of a subtree and period, and for each figure the page of rows behind it."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.figures import measure_named
from lianxin.core.periods import Period
from lianxin.core.replica import reads_on_replica
from lianxin.core.selectors import page_of
from lianxin.dashboards import figures as f
from lianxin.dashboards.selectors import Series, dashboard_of
from lianxin.organizations.models import Organization
from lianxin.organizations.views import (
    any_subtree_and_period,
    figures_context,
    figures_page_context,
    subtree_and_period,
    subtree_query,
)
from lianxin.volunteering.models import Order
from lianxin.volunteering.selectors.figures import participations

PAGE_SIZE = 50
# The children compared side by side on the dashboard, in tree order: a district's streets, a city's districts.
CHILDREN_COMPARED = 30


@dataclass(frozen=True)
class RowsPage:
    title: str | Promise
    table: str  # the template under dashboards/rows/ that lists these rows
    definition: str | Promise


ROW_PAGES: dict[str, RowsPage] = {
    "sessions": RowsPage(
        _("Sessions held"),
        "sessions",
        _("Sessions marked held that started in the period, run by teams owned by this organization or below."),
    ),
    "participations": RowsPage(
        _("Participations (person-times)"),
        "signups",
        _(
            "Sign-ups of those sessions, not withdrawn, that were attended: checked in, or hours recorded by the "
            "team leader. One person at two sessions counts twice."
        ),
    ),
    "volunteers": RowsPage(
        _("Volunteers"),
        "volunteers",
        _("Distinct people with at least one participation: someone at ten sessions counts once."),
    ),
    "session-beneficiaries": RowsPage(
        _("Sessions held without an order"),
        "sessions",
        _("Their beneficiaries are added to the total; a session that serves an order counts under the order."),
    ),
    "served-orders": RowsPage(
        _("Orders served"),
        "orders",
        _("Orders of this subtree served in the period (served, rated or closed unrated), with their beneficiaries."),
    ),
    "tour-stops": RowsPage(
        _("Tour stops"),
        "stops",
        _("Stops in the period of tours organized by this organization or below, with their beneficiaries."),
    ),
    "service-records": RowsPage(
        _("Community service records"),
        "records",
        _("What members recorded doing in the communities of this subtree in the period, with hours."),
    ),
    "orders": RowsPage(_("Orders placed"), "orders", _("Orders of this subtree placed in the period, in any state.")),
    "rated-orders": RowsPage(
        _("Rated orders"),
        "orders",
        _("Orders placed in the period and rated; the average rating is theirs. Unrated orders are not counted."),
    ),
    "wishes-posted": RowsPage(
        _("Wishes posted"),
        "wishes",
        _("Wishes of this subtree's communities posted in the period that passed review."),
    ),
    "wishes-claimed": RowsPage(
        _("Wishes claimed"), "wishes", _("Of the wishes posted, those claimed since: wishes, not claims, are counted.")
    ),
    "wishes-fulfilled": RowsPage(
        _("Wishes fulfilled"), "wishes", _("Of the wishes posted, those fulfilled since (confirmed or not).")
    ),
    "reports-by-community": RowsPage(
        _("Community reports received"),
        "reports",
        _("Approved reports of in-service members to the communities of this subtree, wherever the member belongs."),
    ),
    "reports-by-home": RowsPage(
        _("Community reports made"),
        "reports",
        _("Approved reports by members whose own organization is in this subtree, to any community."),
    ),
    "post-claims": RowsPage(
        _("Post claims"),
        "claims",
        _("Claims of the service posts of this subtree's communities made in the period and not withdrawn."),
    ),
}
for _value, _label in Order.Status.choices:
    ROW_PAGES[f"orders-{_value}"] = RowsPage(
        _label, "orders", _("Orders of this subtree placed in the period that are in this state now.")
    )


@login_required
@reads_on_replica
def service_figures(request: AuthenticatedHttpRequest) -> HttpResponse:
    org, period, context = figures_page_context(request)
    if period is not None:
        figures = f.service_figures(organization=org, period=period)
        context.update(
            figures=figures,
            order_states=[(value, label, figures.orders_by_state[value]) for value, label in Order.Status.choices],
        )
    return render(request, "dashboards/service_figures.html", context, status=400 if context["errors"] else 200)


def _volunteer_totals(org: Organization, period: Period, user_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Participations and hours of the people on one page, in one query."""
    rows = (
        participations(org, period)
        .filter(user_id__in=user_ids)
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"), hours=Sum("hours"))
    )
    return {r["user_id"]: {"n": r["n"], "hours": r["hours"] or Decimal("0")} for r in rows}


@login_required
@reads_on_replica
def service_figure_rows(request: AuthenticatedHttpRequest, figure: str) -> HttpResponse:
    rows_page = ROW_PAGES.get(figure)
    if rows_page is None:
        raise Http404
    org, period, errors = subtree_and_period(request)
    context: dict[str, Any] = {
        "org": org,
        "rows_page": rows_page,
        "figure": figure,
        "errors": errors,
        # Back to the figures of the same subtree and period; a period in error is left out, not repeated.
        "figures_query": urlencode({"org": org.code, **(period.query() if period else {})}),
    }
    if period is not None:
        qs = f.ROWS[figure](org, period)
        page = page_of(qs, request.GET.get("page"), PAGE_SIZE)
        if figure == "volunteers":
            totals = _volunteer_totals(org, period, [u.pk for u in page.object_list])
            for person in page.object_list:
                person.figure_totals = totals.get(person.pk, {"n": 0, "hours": Decimal("0")})
        context.update(
            page=page,
            period=period,
            query=urlencode({"org": org.code, **period.query()}),
            table=f"dashboards/rows/{rows_page.table}.html",
        )
    return render(request, "dashboards/service_figure_rows.html", context, status=400 if errors else 200)


def _chart(key: str, series: Series, *, horizontal: bool = False, line: bool = False) -> dict[str, Any]:
    """What static/js/dashboard.js draws: the bars, their numbers and the page of rows each opens (the
    measure's address reversed once a chart, not once a bar)."""
    rows = reverse("dashboards:dashboard_rows", args=[series.measure.name])
    return {
        "id": key,
        "label": str(series.measure.label),
        "unit": str(series.measure.unit),
        "horizontal": horizontal,
        "line": line,
        "labels": [label for label, _n, _s, _p in series.bars],
        "values": [None if n is None else float(n) for _l, n, _s, _p in series.bars],
        "urls": [f"{rows}?{urlencode({**subtree_query(s), **p.query()})}" for _l, _n, s, p in series.bars],
    }


@login_required
@reads_on_replica
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """驾驶舱: every registered figure of the subtree and period, each opening its rows; the headline
    figures with 同比 and 环比, their trends by month, the compositions, and the children side by side."""
    org, period, errors = any_subtree_and_period(request)
    context = {**figures_context(request, org, period, errors), "by_area": True}
    if period is not None:
        board = dashboard_of(org, period, list(context["children"][:CHILDREN_COMPARED]))
        charts = [
            *(_chart(f"trend-{i}", s, line=len(s.bars) > 12) for i, s in enumerate(board.trends)),
            *(_chart(f"part-{i}", s, horizontal=True) for i, s in enumerate(board.parts)),
            *(_chart(f"child-{i}", s, horizontal=True) for i, s in enumerate(board.children) if s.bars),
        ]
        context.update(board=board, charts=charts)
    return render(request, "dashboards/dashboard.html", context, status=400 if context["errors"] else 200)


@login_required
@reads_on_replica
def dashboard_rows(request: AuthenticatedHttpRequest, name: str) -> HttpResponse:
    """The rows behind one registered figure, as its columns read, 50 a page."""
    found = measure_named(name)
    if found is None:
        raise Http404
    group, measure = found
    org, period, errors = any_subtree_and_period(request)
    context: dict[str, Any] = {
        "org": org,
        "group": group,
        "measure": measure,
        "errors": errors,
        "figures_query": urlencode({**subtree_query(org), **(period.query() if period else {})}),
    }
    if period is not None:
        page = page_of(measure.rows(org, period), request.GET.get("page"), PAGE_SIZE)
        context.update(
            page=page,
            period=period,
            query=urlencode({**subtree_query(org), **period.query()}),
            rows=[measure.cells(row) for row in page.object_list],
        )
    return render(request, "dashboards/dashboard_rows.html", context, status=400 if errors else 200)

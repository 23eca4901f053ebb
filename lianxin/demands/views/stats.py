"""Demand figures of a subtree and period, their breakdowns, and the rows behind every number.

Only admins reach these pages (roster scope): the figures count demands collected by their
organizations, all of which they may open. Out of scope = 404.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.periods import Period
from lianxin.core.replica import reads_on_replica
from lianxin.core.selectors import page_of
from lianxin.demands.models import Demand
from lianxin.demands.selectors import stats as st
from lianxin.organizations.models import Organization
from lianxin.organizations.views import figures_page_context, subtree_and_period

PAGE_SIZE = 50


@dataclass(frozen=True)
class FigurePage:
    figure: str  # the key in lianxin.demands.selectors.stats
    title: str | Promise
    definition: str | Promise


# The drill-down pages by the slug in their address.
FIGURE_PAGES: dict[str, FigurePage] = {
    "collected": FigurePage(
        "collected",
        gettext_lazy("Demands collected"),
        gettext_lazy("Every demand collected by this organization or one below it in the period, in any state."),
    ),
    "awaiting": FigurePage(
        "awaiting",
        gettext_lazy("Awaiting acceptance"),
        gettext_lazy("Collected and not yet accepted or turned away."),
    ),
    "accepted": FigurePage(
        "accepted",
        gettext_lazy("Accepted"),
        gettext_lazy(
            "Taken on: accepted, being handled, resolved or closed as cannot be resolved. "
            "Demands turned away as not ours or as duplicates are not accepted."
        ),
    ),
    "resolved": FigurePage(
        "resolved",
        gettext_lazy("Resolved"),
        gettext_lazy("Resolved, followed up or not. A demand closed as cannot be resolved is not resolved."),
    ),
    "closed-unresolved": FigurePage(
        "closed_unresolved",
        gettext_lazy("Closed, cannot be resolved"),
        gettext_lazy("Closed with an explanation of why they cannot be resolved; they stay in the denominator."),
    ),
    "duplicates": FigurePage(
        "duplicates",
        gettext_lazy("Duplicates"),
        gettext_lazy("Merged into another demand; they leave the resolution rate's denominator."),
    ),
    "not-ours": FigurePage(
        "not_ours",
        gettext_lazy("Not ours"),
        gettext_lazy("Turned away as not this organization's to handle; they leave the denominator."),
    ),
    "open": FigurePage(
        "open",
        gettext_lazy("Still open"),
        gettext_lazy("Awaiting acceptance, accepted or being handled."),
    ),
    "overdue": FigurePage(
        "overdue",
        gettext_lazy("Overdue"),
        gettext_lazy("Being handled with a deadline before today."),
    ),
    "on-time": FigurePage(
        "on_time",
        gettext_lazy("Resolved on time"),
        gettext_lazy("Resolved on or before the deadline day."),
    ),
    "followed-up": FigurePage(
        "followed_up",
        gettext_lazy("Followed up"),
        gettext_lazy("Demands whose resident has answered a follow-up; the latest answer counts."),
    ),
    "satisfied": FigurePage(
        "satisfied",
        gettext_lazy("Satisfied"),
        gettext_lazy("The latest follow-up answer is satisfied or basically satisfied."),
    ),
    "unsatisfied": FigurePage(
        "unsatisfied",
        gettext_lazy("Unsatisfied"),
        gettext_lazy("The latest follow-up answer is unsatisfied."),
    ),
    "rework": FigurePage(
        "rework",
        gettext_lazy("Sent back for re-handling"),
        gettext_lazy("Demands an unsatisfied follow-up sent back at least once; the figure counts the times."),
    ),
}
SLUG_OF = {page.figure: slug for slug, page in FIGURE_PAGES.items()}

BREAKDOWN_TITLES: dict[str, str | Promise] = {
    "unit": gettext_lazy("By responsible unit"),
    "area": gettext_lazy("By area"),
    "category": gettext_lazy("By category"),
    "source": gettext_lazy("By source"),
}


def _narrowing_labels(kwargs: dict[str, Any]) -> list[str]:
    labels = []
    unit = kwargs.get("unit")
    if unit == st.UNASSIGNED:
        labels.append(str(_("not assigned yet")))
    elif unit is not None:
        labels.append(unit.name)
    for key in ("area", "category"):
        if kwargs.get(key) is not None:
            labels.append(kwargs[key].name)
    if kwargs.get("source"):
        labels.append(str(Demand.Source(kwargs["source"]).label))
    return labels


def _breakdowns(org: Organization, period: Period, base: dict[str, str], today: date) -> list[dict[str, Any]]:
    tables = []
    for by in st.BREAKDOWNS:
        rows = st.demand_stats_by(organization=org, start=period.start, end=period.end, by=by, today=today)
        tables.append(
            {
                "by": by,
                "title": BREAKDOWN_TITLES[by],
                "rows": [{"row": r, "s": r.stats, "query": urlencode({**base, by: r.key})} for r in rows],
            }
        )
    return tables


@login_required
@reads_on_replica
def demand_figures(request: AuthenticatedHttpRequest) -> HttpResponse:
    org, period, context = figures_page_context(request)
    if period is not None:
        today = timezone.localdate()
        base = {"org": org.code, **period.query()}
        context.update(
            s=st.demand_stats(organization=org, start=period.start, end=period.end, today=today),
            breakdowns=_breakdowns(org, period, base, today),
        )
    return render(request, "demands/figures.html", context, status=400 if context["errors"] else 200)


@login_required
@reads_on_replica
def demand_figure_rows(request: AuthenticatedHttpRequest, figure: str) -> HttpResponse:
    page_def = FIGURE_PAGES.get(figure)
    if page_def is None:
        raise Http404
    org, period, errors = subtree_and_period(request)
    narrowing: dict[str, Any] = {}
    narrow_query: dict[str, str] = {}
    try:
        narrowing, narrow_query = st.narrowing_from(request.GET)
    except ValidationError as exc:
        errors = [*errors, *exc.messages]
    context: dict[str, Any] = {
        "org": org,
        "page_def": page_def,
        "figure": figure,
        "errors": errors,
        # Back to the figures of the same subtree and period; a period in error is left out, not repeated.
        "figures_query": urlencode({"org": org.code, **(period.query() if period else {})}),
    }
    if period is not None and not errors:
        qs = st.figure_rows(page_def.figure, organization=org, start=period.start, end=period.end, **narrowing)
        query = urlencode({"org": org.code, **period.query(), **narrow_query})
        context.update(
            page=page_of(qs, request.GET.get("page"), PAGE_SIZE),
            period=period,
            query=query,
            narrowing=_narrowing_labels(narrowing),
        )
    return render(request, "demands/figures_rows.html", context, status=400 if errors else 200)

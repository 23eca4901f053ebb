"""The compliance board, coverage and the rows behind them, for a subtree and a period, with xlsx 台账."""

import io
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.activities.documents.ledgers import XLSX_TYPE, attendance_xlsx, board_xlsx
from lianxin.activities.forms.compliance import FrequencyRuleForm
from lianxin.activities.models import Kind
from lianxin.activities.rules.frequency import FREQUENCY_LABELS, NATIONAL_RULES, REQUIRED_KINDS, can_set_rules
from lianxin.activities.selectors import coverage as cov
from lianxin.activities.selectors.compliance import DUE_SOON_DAYS, STATE_LABELS, compliance_board, local_rules_for
from lianxin.activities.selectors.snapshots import board_page, coverage_read
from lianxin.activities.services.compliance import frequency_rule_create
from lianxin.core.audit import audited_download
from lianxin.core.forms import form_submit
from lianxin.core.periods import Period
from lianxin.core.replica import reads_on_replica
from lianxin.core.selectors import page_of
from lianxin.core.snapshots import refresh_minutes
from lianxin.organizations.selectors import access_subtree
from lianxin.organizations.views import figures_page_context, subtree_and_period

BOARD_PAGE_SIZE = 100
ROWS_PAGE_SIZE = 50


def _board_period(request: HttpRequest, context: dict[str, Any], period: Period | None) -> Period | None:
    """Without dates in the query string the board shows the current quarter."""
    if period is None or request.GET.get("from") or request.GET.get("to"):
        return period
    period = Period.quarter_of(timezone.localdate())
    context.update(
        period=period,
        query=urlencode({"org": context["org"].code, **period.query()}),
        period_query=urlencode(period.query()),
        from_value=period.start.isoformat(),
        to_value=period.end.isoformat(),
    )
    return period


@login_required
@reads_on_replica
def compliance(request: AuthenticatedHttpRequest) -> HttpResponse:
    org, period, context = figures_page_context(request)
    period = _board_period(request, context, period)
    if period is not None:
        missing_only = request.GET.get("missing") == "1"
        found = board_page(
            organization=org,
            period=period,
            number=request.GET.get("page"),
            per_page=BOARD_PAGE_SIZE,
            missing_only=missing_only,
        )
        board, page = found.board, found.page
        kinds = dict(Kind.choices)
        context.update(
            board=board,
            as_of=found.as_of,
            refresh_minutes=refresh_minutes(),
            missing_only=missing_only,
            page=page,
            page_query=context["query"] + ("&missing=1" if missing_only else ""),
            columns=[(kind, kinds[kind], NATIONAL_RULES[kind]) for kind in REQUIRED_KINDS],
            # Each cell with its kind's name: on a phone the board's rows are cards that name each kind.
            rows=[(row, list(zip([kinds[k] for k in REQUIRED_KINDS], row.by_kind, strict=True))) for row in page],
            totals=[(kinds[kind], board.totals[kind]) for kind in REQUIRED_KINDS],
            due_soon=found.due_soon,
            due_soon_days=DUE_SOON_DAYS,
            state_labels=STATE_LABELS,
        )
    return render(request, "activities/compliance.html", context, status=400 if context["errors"] else 200)


@login_required
@reads_on_replica
@audited_download("activities.compliance")
def compliance_xlsx(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    org, period, errors = subtree_and_period(request)
    if period is None:
        return HttpResponseBadRequest(" ".join(errors))
    board = compliance_board(organization=org, start=period.start, end=period.end)
    return FileResponse(
        io.BytesIO(board_xlsx(board)),
        as_attachment=True,
        filename=f"compliance-{org.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx",
        content_type=XLSX_TYPE,
    )


@login_required
@reads_on_replica
def coverage(request: AuthenticatedHttpRequest) -> HttpResponse:
    org, period, context = figures_page_context(request)
    if period is not None:
        context["coverage"], context["as_of"] = coverage_read(organization=org, period=period)
        context["refresh_minutes"] = refresh_minutes()
    return render(request, "activities/coverage.html", context, status=400 if context["errors"] else 200)


ROW_FIGURES = ("activities", "members")


def _kind(request: HttpRequest) -> str:
    """The kind asked for, or "" for every kind; an unknown kind is a page that does not exist."""
    kind = request.GET.get("kind", "")
    if kind and kind not in Kind.values:
        raise Http404
    return kind


@login_required
@reads_on_replica
def coverage_rows(request: AuthenticatedHttpRequest, figure: str) -> HttpResponse:
    if figure not in ROW_FIGURES:
        raise Http404
    org, period, errors = subtree_and_period(request)
    kind = _kind(request)
    context: dict[str, Any] = {"org": org, "figure": figure, "errors": errors, "kind": kind}
    if kind:
        context["kind_label"] = dict(Kind.choices)[kind]
    if period is not None:
        qs = (
            cov.held_activities(org, period, kind) if figure == "activities" else cov.covered_members(org, period, kind)
        )
        query = {"org": org.code, **period.query(), **({"kind": kind} if kind else {})}
        context.update(page=page_of(qs, request.GET.get("page"), ROWS_PAGE_SIZE), period=period, query=urlencode(query))
    return render(request, "activities/coverage_rows.html", context, status=400 if errors else 200)


@login_required
@reads_on_replica
@audited_download("activities.coverage")
def coverage_xlsx(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    org, period, errors = subtree_and_period(request)
    if period is None:
        return HttpResponseBadRequest(" ".join(errors))
    kind = _kind(request)
    # Only what the ledger prints: a member's full row would decrypt two personal numbers per line.
    rows = (
        cov.present_attendance(org, period, kind)
        .select_related("organization", "activity", "member")
        .only("starts_at", "kind", "organization__name", "activity__title", "member__name")
        .order_by("starts_at", "pk")
    )
    return FileResponse(
        io.BytesIO(
            attendance_xlsx(rows.iterator(chunk_size=2000), organization=org, start=period.start, end=period.end)
        ),
        as_attachment=True,
        filename=f"coverage-{org.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx",
        content_type=XLSX_TYPE,
    )


@login_required
def compliance_rules(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The local rules reaching a subtree, and the form to add one where the viewer may."""
    org = access_subtree(request.user, request.GET.get("org"))
    allowed = can_set_rules(request.user, org)
    form = FrequencyRuleForm(request.POST if request.method == "POST" and allowed else None)
    if request.method == "POST" and not allowed:
        raise Http404
    created = form_submit(form, lambda data: frequency_rule_create(actor=request.user, organization=org, **data))
    if created is not None:
        messages.success(request, _("The rule is set."))
        return redirect(f"{reverse('activities:compliance_rules')}?org={org.code}")
    context = {
        "org": org,
        "rules": local_rules_for(org),
        "national": [
            (dict(Kind.choices)[kind], FREQUENCY_LABELS[rule.frequency], rule) for kind, rule in NATIONAL_RULES.items()
        ],
        "form": form if allowed else None,
    }
    return render(request, "activities/compliance_rules.html", context, status=400 if form.errors else 200)

"""The public board, the review of public summaries, and the monthly notices."""

import io
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.forms import EmptyForm, Outcome, form_submit, object_action
from lianxin.core.periods import Period
from lianxin.core.public_cache import cached_for_anonymous
from lianxin.core.replica import reads_on_replica
from lianxin.core.selectors import event_list_for, page_of
from lianxin.demands.documents.notice import figures_sentence, item_sentence, notice_docx, notice_filename
from lianxin.demands.forms.board import BoardFilterForm, NoticeForm, NoticeItemForm, SummaryReviewForm
from lianxin.demands.models import Demand, PublicNotice
from lianxin.demands.selectors.board import (
    access_notice,
    access_summary_review,
    board_items,
    board_root,
    can_manage_notice,
    can_manage_notices,
    notice_figures,
    notice_item,
    notice_items,
    notice_list_visible_to,
    summary_review_queue,
)
from lianxin.demands.selectors.stats import demand_stats
from lianxin.demands.services import board as services

PAGE_SIZE = 30


@reads_on_replica
def board(request: HttpRequest) -> HttpResponse:
    """整改通报 / 集中晾晒: a period's figures and the resolved items a reviewer cleared. No login."""
    form = BoardFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "demands/board.html", {"form": form, "errors": _form_errors(form)}, status=400)
    data = form.cleaned_data
    default = Period.last_month()
    period = Period(data["start"] or default.start, data["end"] or default.end)
    area = data["area"]
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "form": form,
        "period": period,
        "area": area,
        "querystring": query.urlencode(),
    }

    def body() -> str:
        organization = data["org"] or board_root()
        if organization is None:
            return ""
        stats = demand_stats(organization=organization, start=period.start, end=period.end, area=area)
        items = board_items(organization=organization, area=area, period=period)
        page = page_of(items, request.GET.get("page"), PAGE_SIZE)
        notices = notice_list_visible_to(user=None).filter(organization=organization)[:12]
        return render_to_string(
            "demands/board.html#board_body",
            {**context, "organization": organization, "stats": stats, "page": page, "notices": list(notices)},
            request,
        )

    context["board_body"] = cached_for_anonymous(request, "demands:board", body)
    return render(request, "demands/board.html", context)


def _form_errors(form: forms.Form) -> list[str]:
    return [str(message) for errors in form.errors.values() for message in errors]


# ---------------------------------------------------------------------- review of summaries


@login_required
def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    if roster_scope(request.user).is_empty:
        raise Http404
    reviewed = request.GET.get("done") == "1"
    page = page_of(summary_review_queue(user=request.user, reviewed=reviewed), request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "demands/review_queue.html",
        {"page": page, "reviewed": reviewed, "querystring": "done=1" if reviewed else ""},
    )


@login_required
def summary_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    demand = access_summary_review(request.user, pk)
    initial = {"summary": demand.public_summary or services.summary_suggestion(demand)}
    form = SummaryReviewForm(request.POST or None, initial=initial)

    def review(data: dict[str, Any]) -> Demand:
        return services.demand_summary_review(demand=demand, actor=request.user, summary=data["summary"])

    if form_submit(form, review):
        messages.success(request, _("The summary is cleared for the public board."))
        return redirect("demands:review_queue")
    return render(request, "demands/review_summary.html", {"demand": demand, "form": form})


# ---------------------------------------------------------------------- notices


def notices(request: HttpRequest) -> HttpResponse:
    rows = notice_list_visible_to(user=request.user)
    return render(
        request,
        "demands/notice_list.html",
        {"page": page_of(rows, request.GET.get("page"), PAGE_SIZE), "can_create": can_manage_notices(request.user)},
    )


@login_required
def notice_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_manage_notices(request.user):
        raise Http404
    form = NoticeForm(request.POST or None, user=request.user)

    def create(data: dict[str, Any]) -> PublicNotice:
        year, month = data["month"]
        return services.notice_create(
            actor=request.user,
            organization=data["organization"],
            year=year,
            month=month,
            title=data["title"],
            introduction=data["introduction"],
        )

    if notice := form_submit(form, create):
        messages.success(request, _("The draft notice is ready; check its items, then publish it."))
        return redirect("demands:notice", pk=notice.pk)
    return render(request, "demands/notice_new.html", {"form": form})


def notice(request: HttpRequest, pk: int) -> HttpResponse:
    """A published notice for everyone; a draft for the admins of its organization, with its actions."""
    item = access_notice(request.user, pk)
    figures = notice_figures(item)
    manage = can_manage_notice(request.user, item) and item.status == PublicNotice.Status.DRAFT
    return render(
        request,
        "demands/notice.html",
        {
            "notice": item,
            "figures": figures,
            "sentence": figures_sentence(figures, item.starts_on, item.ends_on),
            "items": [{**i, "text": item_sentence(i)} for i in notice_items(item)],
            "manage": manage,
            "events": event_list_for(item)[:50] if can_manage_notice(request.user, item) else None,
        },
    )


@reads_on_replica
def notice_download(request: HttpRequest, pk: int) -> FileResponse:
    item = access_notice(request.user, pk)
    content = notice_docx(item, notice_figures(item), notice_items(item))
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=notice_filename(item),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@login_required
@require_POST
def notice_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(item: PublicNotice, data: dict[str, Any]) -> Outcome:
        services.notice_publish(notice=item, actor=request.user)
        return _("The notice is published."), None

    return object_action(request, access_notice(request.user, pk), EmptyForm(request.POST), run)


@login_required
@require_POST
def notice_choose(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(item: PublicNotice, data: dict[str, Any]) -> Outcome:
        count = services.notice_choose_items(notice=item, actor=request.user)
        return _("%(count)s items chosen.") % {"count": count}, None

    return object_action(request, access_notice(request.user, pk), EmptyForm(request.POST), run)


@login_required
@require_POST
def notice_remove_item(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(item: PublicNotice, data: dict[str, Any]) -> Outcome:
        services.notice_remove_item(notice=item, demand=notice_item(item, data["demand"]), actor=request.user)
        return _("The item is off the notice."), None

    return object_action(request, access_notice(request.user, pk), NoticeItemForm(request.POST), run)

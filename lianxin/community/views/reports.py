"""Community reporting pages: a member's "my community" and the community admins' queue."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lianxin.accounts.models import User
from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.community import permissions
from lianxin.community.forms.reports import BulkDecideForm, DecideForm, NoteForm, PostForm, RecordForm, ReportForm
from lianxin.community.models import CommunityReport, PostClaim, ServicePost
from lianxin.community.selectors.reports import (
    access_claim,
    access_post,
    access_record,
    access_report,
    active_claims_in,
    active_report_of,
    claim_list_of,
    open_posts_of,
    post_list_managed,
    record_list_managed,
    record_list_of,
    report_list_of,
    report_queue,
    reports_decided_by,
    reports_to_approve,
)
from lianxin.community.services import reports as services
from lianxin.core.forms import Outcome, Partial, bulk_action, form_action, object_action
from lianxin.core.selectors import event_list_for
from lianxin.core.uploads import photo_response


def _mine() -> str:
    return reverse("community:mine")


def _manage() -> str:
    return reverse("community:manage")


@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My community: my report, the posts I can claim there, my claims and my service records."""
    member = permissions.member_of(request.user)
    if member is None:
        raise Http404
    report = active_report_of(user=request.user)
    approved = report is not None and report.status == CommunityReport.Status.APPROVED
    claims = active_claims_in(user=request.user, report=report)
    posts = list(open_posts_of(report.community)) if approved and report else []
    claimed_ids = set(claims.values_list("post_id", flat=True))
    return render(
        request,
        "community/mine.html",
        {
            "member": member,
            "report": report,
            "approved": approved,
            "can_end": report is not None and permissions.can_end(request.user, report),
            "posts": posts,
            "claimed_ids": claimed_ids,
            "claims": claim_list_of(user=request.user)[:50],
            "records": record_list_of(user=request.user)[:50],
            "history": report_list_of(user=request.user).exclude(status__in=CommunityReport.ACTIVE_STATUSES)[:20],
            "report_form": ReportForm(),
            "record_form": RecordForm(claims=claims, initial={"served_on": timezone.localdate()}) if approved else None,
            "note_form": NoteForm(),
        },
    )


@login_required
@require_POST
def report_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    def run(data: dict[str, Any]) -> Outcome:
        community = services.community_clean(data["community"])
        services.report_create(actor=request.user, community=community, note=data["note"])
        return _("You reported to %(name)s; it will approve your report.") % {"name": community.name}, None

    return form_action(request, ReportForm(request.POST), run, back=_mine())


def _back_for(request: AuthenticatedHttpRequest, report: CommunityReport) -> str:
    return _mine() if permissions.owns_report(request.user, report) else _manage()


@login_required
@require_POST
def report_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = access_report(request.user, pk)

    def run(report: CommunityReport, data: dict[str, Any]) -> Outcome:
        services.report_end(report=report, actor=request.user, note=data["note"])
        return _("The report has ended."), None

    return object_action(request, report, NoteForm(request.POST), run, back=_back_for(request, report))


@login_required
@require_POST
def report_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = access_report(request.user, pk)

    def run(report: CommunityReport, data: dict[str, Any]) -> Outcome:
        approve = data["decision"] == "approve"
        services.report_decide(report=report, actor=request.user, approve=approve, reason=data["reason"])
        return (_("The report is approved.") if approve else _("The report was rejected.")), None

    return object_action(request, report, DecideForm(request.POST), run, back=_manage())


@login_required
def report_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = access_report(request.user, pk)
    return render(
        request,
        "community/report.html",
        {
            "report": report,
            "events": event_list_for(report)[:50],
            "can_decide": permissions.can_decide(request.user, report),
            "can_end": permissions.can_end(request.user, report),
            "decide_form": DecideForm(),
            "note_form": NoteForm(),
            "back": _back_for(request, report),
        },
    )


@login_required
@require_POST
def post_claim(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    post = access_post(request.user, pk)

    def run(post: ServicePost, data: dict[str, Any]) -> Outcome:
        services.post_claim(post=post, actor=request.user)
        return _("You claimed the post %(title)s. Thank you!") % {"title": post.title}, None

    return object_action(request, post, NoteForm(request.POST), run, back=_mine())


@login_required
@require_POST
def claim_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    claim = access_claim(request.user, pk)

    def run(claim: PostClaim, data: dict[str, Any]) -> Outcome:
        services.claim_withdraw(claim=claim, actor=request.user, note=data["note"])
        return _("You withdrew from the post; the place is free again."), None

    return object_action(request, claim, NoteForm(request.POST), run, back=_mine())


@login_required
@require_POST
def record_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    report = active_report_of(user=request.user)
    if report is None:
        raise Http404
    form = RecordForm(request.POST, request.FILES, claims=active_claims_in(user=request.user, report=report))

    def run(data: dict[str, Any]) -> Outcome:
        services.record_create(
            actor=request.user,
            community=report.community,
            claim=data["claim"],
            served_on=data["served_on"],
            hours=data["hours"],
            description=data["description"],
            photo=data["photo"] or None,
        )
        return _("Your service is recorded."), None

    return form_action(request, form, run, back=_mine())


@login_required
def record_photo(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """Photos are served through the record's scope, never from a public media folder."""
    record = access_record(request.user, pk)
    if not record.photo:
        raise Http404
    return photo_response(record.photo, stem=f"service-record-{record.pk}")


# ------------------------------------------------------------------ community admins


def _pending(user: User) -> list[CommunityReport]:
    return list(reports_to_approve(user=user)[: services.BULK_MAX])


@login_required
def manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The community admins' queue: reports to decide, reported members, posts, service records."""
    if not permissions.manages_any(request.user):
        raise Http404
    return render(
        request,
        "community/manage.html",
        {
            "pending": _pending(request.user),
            "reported": report_queue(user=request.user).filter(status=CommunityReport.Status.APPROVED)[:300],
            "posts": post_list_managed(user=request.user)[:100],
            "records": record_list_managed(user=request.user)[:100],
            "post_form": PostForm(user=request.user),
            "note_form": NoteForm(),
        },
    )


@login_required
@require_POST
def report_decide_bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Approve every ticked report at once, or reject one (or several) with a reason: all of them or none.

    An htmx request gets the queue (or, for one row's rejection, that row) back in place; otherwise
    the outcome is flashed and the browser goes back to the queue."""
    user = request.user
    if not permissions.manages_any(user):
        raise Http404

    def run(data: dict[str, Any]) -> str:
        approve = data["action"] == "approve"
        decided = services.report_decide_bulk(
            actor=user, report_ids=[r.pk for r in data["ids"]], approve=approve, reason=data["reason"]
        )
        n = len(decided)
        if approve:
            return ngettext("%(n)s report is approved.", "%(n)s reports are approved.", n) % {"n": n}
        return ngettext("%(n)s report was rejected.", "%(n)s reports were rejected.", n) % {"n": n}

    def row(pk: int) -> Partial | None:
        found = reports_decided_by(user=user).filter(pk=pk).select_related("member", "community").first()
        return ("community/manage.html#pending_row", {"r": found}) if found is not None else None

    return bulk_action(
        request,
        BulkDecideForm(request.POST, user=user),
        run,
        back=_manage(),
        row=row,
        listing=lambda: ("community/manage.html#pending_list", {"pending": _pending(user)}),
    )


@login_required
@require_POST
def post_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.manages_any(request.user):
        raise Http404

    def run(data: dict[str, Any]) -> Outcome:
        post = services.post_create(
            actor=request.user,
            community=data["community"],
            title=data["title"],
            category=data["category"],
            capacity=data["capacity"],
            description=data["description"],
        )
        return _("The post %(title)s is published.") % {"title": post.title}, None

    return form_action(request, PostForm(request.POST, user=request.user), run, back=_manage())


@login_required
@require_POST
def post_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    post = access_post(request.user, pk)
    if not permissions.manages_community(request.user, post.community):
        raise Http404

    def run(post: ServicePost, data: dict[str, Any]) -> Outcome:
        services.post_close(post=post, actor=request.user, note=data["note"])
        return _("The post is closed."), None

    return object_action(request, post, NoteForm(request.POST), run, back=_manage())

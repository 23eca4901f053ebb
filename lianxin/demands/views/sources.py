"""Pages of where demands come from: visits, research topics, 民生面对面 sessions, the 12345
hotline import, and turning another module's record (a wish) into a demand."""

import tempfile
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.audit import audited_download
from lianxin.core.forms import Outcome, form_submit, object_action
from lianxin.core.params import id_param
from lianxin.core.parsing import ParseError, parse_date
from lianxin.core.selectors import event_list_for, page_of
from lianxin.demands.forms.sources import (
    ConcludeForm,
    DemandFromForm,
    FaceToFaceForm,
    HotlineImportForm,
    TopicForm,
    VisitForm,
)
from lianxin.demands.models import Demand, FaceToFace, ResearchTopic, Visit
from lianxin.demands.selectors.sources import (
    SourceFilters,
    access_face_to_face,
    access_topic,
    access_visit,
    can_conclude,
    can_edit_source,
    can_record_sources,
    demands_from,
    demands_from_topic,
    face_to_face_list_visible_to,
    organization_for_filter,
    topic_counts,
    topic_list_visible_to,
    topic_visits,
    visit_list_visible_to,
)
from lianxin.demands.services import sources as services
from lianxin.demands.services.hotline import ERROR_HEADER, HOTLINE_COLUMNS, hotline_error_workbook, hotline_import
from lianxin.wishes.permissions import can_review
from lianxin.wishes.selectors import access_wish

PAGE_SIZE = 30


def _require_recorder(request: AuthenticatedHttpRequest) -> None:
    if not can_record_sources(request.user):
        raise Http404


def _date_param(params: QueryDict, name: str) -> date | None:
    try:
        return parse_date(params.get(name, ""))
    except ParseError:
        return None


def _filters(request: AuthenticatedHttpRequest) -> SourceFilters:
    params = request.GET
    code = params.get("org", "").strip()
    return SourceFilters(
        organization=organization_for_filter(request.user, code),
        kind=params.get("kind", ""),
        key_only=params.get("key") == "1",
        date_from=_date_param(params, "from"),
        date_to=_date_param(params, "to"),
    )


def _list_context(request: AuthenticatedHttpRequest, qs: Any) -> dict[str, Any]:
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": page_of(qs, request.GET.get("page"), PAGE_SIZE),
        "querystring": query.urlencode(),
        "params": request.GET,
    }


def new_demand_url(source: str, pk: int) -> str:
    """The "new demand" page, told which record the demand comes from."""
    return f"{reverse('demands:new')}?{urlencode({'source': source, 'source_id': pk})}"


def _detail_context(request: AuthenticatedHttpRequest, obj: Any, source: str, demands: Any) -> dict[str, Any]:
    return {
        "demands": demands[:100],
        "events": event_list_for(obj)[:50],
        "can_edit": can_edit_source(request.user, obj),
        "new_demand_url": new_demand_url(source, obj.pk),
    }


# ---------------------------------------------------------------------------- visits


@login_required
def visit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_recorder(request)
    context = _list_context(request, visit_list_visible_to(user=request.user, filters=_filters(request)))
    return render(request, "demands/visit_list.html", {**context, "kinds": Visit.Kind.choices})


def _visit_save(request: AuthenticatedHttpRequest, form: VisitForm, visit: Visit | None) -> Visit | None:
    def save(data: dict[str, Any]) -> Visit:
        fields = {
            "kind": data["kind"],
            "area": data["area"],
            "visited": data["visited"],
            "visitors": data["visitors"],
            "visited_on": data["visited_on"],
            "findings": data["findings"],
            "topic": data["topic"],
        }
        if visit is None:
            return services.visit_create(actor=request.user, organization=data["organization"], **fields)
        return services.visit_update(visit=visit, actor=request.user, **fields)

    return form_submit(form, save)


@login_required
def visit_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_recorder(request)
    initial: dict[str, Any] = {"visited_on": timezone.localdate()}
    if topic_pk := id_param(request.GET.get("topic"), name="topic"):
        initial["topic"] = access_topic(request.user, topic_pk).pk
    form = VisitForm(request.POST or None, user=request.user, initial=initial)
    if visit := _visit_save(request, form, None):
        messages.success(request, _("The visit is recorded."))
        return redirect("demands:visit_detail", pk=visit.pk)
    return render(request, "demands/visit_form.html", {"form": form, "visit": None})


@login_required
def visit_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = access_visit(request.user, pk)
    initial = {f: getattr(visit, f) for f in ("kind", "visited", "area", "visited_on", "visitors", "findings")}
    initial["topic"] = visit.topic_id
    form = VisitForm(request.POST or None, user=request.user, fixed=visit.organization, initial=initial)
    if _visit_save(request, form, visit):
        messages.success(request, _("Saved."))
        return redirect("demands:visit_detail", pk=visit.pk)
    return render(request, "demands/visit_form.html", {"form": form, "visit": visit})


@login_required
def visit_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = access_visit(request.user, pk)
    demands = demands_from(user=request.user, obj=visit)
    context = _detail_context(request, visit, Demand.Source.VISIT, demands)
    return render(request, "demands/visit_detail.html", {**context, "visit": visit})


# ------------------------------------------------------------------- research topics


@login_required
def topic_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_recorder(request)
    qs = topic_list_visible_to(user=request.user, filters=_filters(request))
    context = _list_context(request, qs)
    # The counts cover every topic the filters name, not only the key ones shown.
    counted = SourceFilters(**{**_filters(request).__dict__, "key_only": False})
    counts = topic_counts(topic_list_visible_to(user=request.user, filters=counted))
    return render(request, "demands/topic_list.html", {**context, "counts": counts})


def _topic_save(
    request: AuthenticatedHttpRequest, form: TopicForm, topic: ResearchTopic | None
) -> ResearchTopic | None:
    def save(data: dict[str, Any]) -> ResearchTopic:
        fields = {k: data[k] for k in ("title", "leader", "is_key", "starts_on", "ends_on", "findings")}
        if topic is None:
            return services.topic_create(actor=request.user, organization=data["organization"], **fields)
        return services.topic_update(topic=topic, actor=request.user, **fields)

    return form_submit(form, save)


@login_required
def topic_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_recorder(request)
    form = TopicForm(request.POST or None, user=request.user)
    if topic := _topic_save(request, form, None):
        messages.success(request, _("The research topic is recorded."))
        return redirect("demands:topic_detail", pk=topic.pk)
    return render(request, "demands/topic_form.html", {"form": form, "topic": None})


@login_required
def topic_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    topic = access_topic(request.user, pk)
    initial = {f: getattr(topic, f) for f in ("title", "leader", "is_key", "starts_on", "ends_on", "findings")}
    form = TopicForm(request.POST or None, user=request.user, fixed=topic.organization, initial=initial)
    if _topic_save(request, form, topic):
        messages.success(request, _("Saved."))
        return redirect("demands:topic_detail", pk=topic.pk)
    return render(request, "demands/topic_form.html", {"form": form, "topic": topic})


@login_required
def topic_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    topic = access_topic(request.user, pk)
    demands = demands_from_topic(user=request.user, topic=topic)
    context = _detail_context(request, topic, Demand.Source.RESEARCH, demands)
    return render(
        request,
        "demands/topic_detail.html",
        {
            **context,
            "topic": topic,
            "visits": topic_visits(topic)[:100],
            "can_edit": context["can_edit"] and topic.status == ResearchTopic.Status.ONGOING,
            "can_conclude": can_conclude(request.user, topic),
            "conclude_form": ConcludeForm(initial={"findings": topic.findings}),
        },
    )


@login_required
@require_POST
def topic_conclude(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(topic: ResearchTopic, data: dict[str, Any]) -> Outcome:
        services.topic_conclude(
            topic=topic, actor=request.user, conclusion=data["conclusion"], findings=data["findings"]
        )
        return _("The research topic is concluded."), None

    return object_action(request, access_topic(request.user, pk), ConcludeForm(request.POST), run)


# ------------------------------------------------------------------ 民生面对面 sessions

_F2F_FIELDS = ("title", "area", "held_on", "place", "attendance", "notes")


@login_required
def face_to_face_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_recorder(request)
    context = _list_context(request, face_to_face_list_visible_to(user=request.user, filters=_filters(request)))
    return render(request, "demands/face_to_face_list.html", context)


def _face_to_face_save(
    request: AuthenticatedHttpRequest, form: FaceToFaceForm, session: FaceToFace | None
) -> FaceToFace | None:
    def save(data: dict[str, Any]) -> FaceToFace:
        fields = {k: data[k] for k in _F2F_FIELDS}
        if session is None:
            return services.face_to_face_create(actor=request.user, organization=data["organization"], **fields)
        return services.face_to_face_update(session=session, actor=request.user, **fields)

    return form_submit(form, save)


@login_required
def face_to_face_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_recorder(request)
    form = FaceToFaceForm(request.POST or None, user=request.user, initial={"held_on": timezone.localdate()})
    if session := _face_to_face_save(request, form, None):
        messages.success(request, _("The session is recorded; now record the demands raised there."))
        return redirect("demands:face_to_face_detail", pk=session.pk)
    return render(request, "demands/face_to_face_form.html", {"form": form, "session": None})


@login_required
def face_to_face_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = access_face_to_face(request.user, pk)
    initial = {f: getattr(session, f) for f in _F2F_FIELDS}
    form = FaceToFaceForm(request.POST or None, user=request.user, fixed=session.organization, initial=initial)
    if _face_to_face_save(request, form, session):
        messages.success(request, _("Saved."))
        return redirect("demands:face_to_face_detail", pk=session.pk)
    return render(request, "demands/face_to_face_form.html", {"form": form, "session": session})


@login_required
def face_to_face_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = access_face_to_face(request.user, pk)
    demands = demands_from(user=request.user, obj=session)
    context = _detail_context(request, session, Demand.Source.FACE_TO_FACE, demands)
    return render(request, "demands/face_to_face_detail.html", {**context, "session": session})


# ------------------------------------------------------------------- 12345 hotline

HOTLINE_ERRORS_KEY = "demands_hotline_errors"


@login_required
def hotline_import_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload a 12345 work-order workbook: every row is checked, then all are recorded or none."""
    _require_recorder(request)
    form = HotlineImportForm(request.POST or None, request.FILES or None, user=request.user)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = hotline_import(
                actor=request.user,
                organization=form.cleaned_data["organization"],
                source=upload,
                dry_run=form.cleaned_data["dry_run"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        if result is not None and result.row_errors:
            # The copy with 错误说明 is kept for this session until it is downloaded or replaced.
            _drop_error_file(request)
            upload.seek(0)
            with tempfile.NamedTemporaryFile(prefix="hotline-errors-", suffix=".xlsx", delete=False) as target:
                hotline_error_workbook(source=upload, target=target.name, result=result)
            request.session[HOTLINE_ERRORS_KEY] = target.name
        if result is not None and result.is_valid and not result.dry_run:
            messages.success(request, _("%(count)d work orders were recorded as demands.") % {"count": result.created})
            return redirect("demands:hotline_import")
    return render(
        request,
        "demands/hotline_import.html",
        {"form": form, "result": result, "headers": [c.header for c in HOTLINE_COLUMNS], "error_header": ERROR_HEADER},
    )


def _drop_error_file(request: AuthenticatedHttpRequest) -> None:
    path = request.session.pop(HOTLINE_ERRORS_KEY, None)
    if path:
        Path(path).unlink(missing_ok=True)


@login_required
@audited_download("demands.hotline_errors")
def hotline_errors(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The last checked workbook with its 错误说明 column, for the person who uploaded it, once."""
    _require_recorder(request)
    path = request.session.get(HOTLINE_ERRORS_KEY)
    if not path:
        raise Http404
    try:
        content = Path(path).read_bytes()
    except OSError:
        raise Http404 from None
    _drop_error_file(request)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="12345-errors.xlsx"'
    return response


# ------------------------------------------------------------------- other modules


@login_required
def wish_to_demand(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A reviewer turns a wish that cannot be met into a demand that links back to the wish."""
    wish = access_wish(request.user, pk)
    if not can_review(request.user, wish):
        raise Http404
    form = DemandFromForm(request.POST or None)

    def save(data: dict[str, Any]) -> Demand:
        return services.demand_from(
            actor=request.user, obj=wish, category=data["category"], description=data["description"]
        )

    if demand := form_submit(form, save):
        messages.success(request, _("The wish is recorded as a demand."))
        return redirect("demands:detail", pk=demand.pk)
    return render(request, "demands/visit_demand_from.html", {"form": form, "obj": wish})

"""Pages of member development: the branch pipeline and its export, a person's steps,
training classes, oath ceremonies and political birthdays. Every write calls a service."""

import tempfile
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lianxin.accounts.permissions import can_manage_roster
from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.audit import audited_download
from lianxin.core.forms import Outcome, form_action, form_submit
from lianxin.core.ledgers import LedgerColumn, column_width, ledger_open, subtitle
from lianxin.core.params import ids_of, int_param
from lianxin.core.replica import replica_reads
from lianxin.core.selectors import page_of
from lianxin.members.forms.development import (
    CourseForm,
    IdsForm,
    OathForm,
    ScoreForm,
    TrainingClassForm,
)
from lianxin.members.models.development import TrainingClass, TrainingCourse
from lianxin.members.rules.articles import DEVELOPMENT_RULES
from lianxin.members.rules.roster import probation_ends_on
from lianxin.members.selectors import development as sel
from lianxin.members.selectors.roster import members_under
from lianxin.members.services import development as svc

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50


def _require_roster(request: HttpRequest) -> None:
    if not can_manage_roster(request.user):
        raise Http404


def _workbook(title: str, headers: list[str], rows: Iterable[list[Any]], name: str, where: str = "") -> FileResponse:
    """One list as a 台账 workbook (lianxin.core.ledgers), streamed from a temporary file; its rows are read on
    the replica when there is one."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    columns = [LedgerColumn(header, column_width(header)) for header in headers]
    try:
        with replica_reads(), ledger_open(out, title=title, where_and_when=subtitle(where), columns=columns) as sheet:
            for row in rows:
                sheet.append(row)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    filename = f"{name}_{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX)


@login_required
def pipeline(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Who is at which step in a branch (or the viewer's whole scope), and what blocks them."""
    _require_roster(request)
    code = request.GET.get("org", "").strip()
    organization = sel.organization_in_scope(user=request.user, code=code)
    today = timezone.localdate()
    page = page_of(
        sel.pipeline_members(user=request.user, organization=organization), request.GET.get("page"), PAGE_SIZE
    )
    return render(
        request,
        "members/development_pipeline.html",
        {
            "organization": organization,
            "org": code,
            "page": page,
            "rows": sel.pipeline_rows(page, today),
            "waiting_for_talk": sel.applicants_waiting_for_talk(
                user=request.user, organization=organization, today=today
            )[:100],
            "due_for_review": sel.activists_due_for_review(user=request.user, organization=organization, today=today)[
                :100
            ],
            "querystring": f"org={code}" if code else "",
            "rules": DEVELOPMENT_RULES.values(),
        },
    )


@login_required
@audited_download("development.pipeline")
def pipeline_export(request: AuthenticatedHttpRequest) -> FileResponse:
    """The branch pipeline as a 台账 workbook: step, dates and what blocks the next step."""
    _require_roster(request)
    code = request.GET.get("org", "").strip()
    organization = sel.organization_in_scope(user=request.user, code=code)
    today = timezone.localdate()
    headers = [
        _("Name"),
        _("Party organization"),
        _("Category"),
        _("Applied to join on"),
        _("Activist since"),
        _("Development candidate since"),
        _("Joined the Party on"),
        _("Next step"),
        _("Blocked by"),
    ]
    members = sel.pipeline_members(user=request.user, organization=organization)
    rows = (
        [
            row.member.name,
            row.member.organization.name,
            row.member.get_category_display(),
            row.member.applied_on,
            row.member.activist_on,
            row.member.candidate_on,
            row.member.joined_on,
            row.next_label,
            "; ".join(row.blocks),
        ]
        for row in sel.pipeline_rows(members.iterator(chunk_size=500), today)
    )
    where = organization.name if organization is not None else ""
    return _workbook(_("Development pipeline"), headers, rows, "_".join(p for p in ["development", code] if p), where)


@login_required
def training_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_roster(request)
    code = request.GET.get("org", "").strip()
    organization = sel.organization_in_scope(user=request.user, code=code)
    form = TrainingClassForm(request.POST or None)
    if request.method == "POST":
        if organization is None:
            form.add_error(None, _("Choose the organizing organization first."))
        else:
            org = organization
            created = form_submit(form, lambda data: svc.training_class_create(organization=org, **data))
            if created is not None:
                return redirect("members:training_detail", created.pk)
    classes = sel.training_classes_visible(user=request.user)
    if organization is not None:
        classes = classes.filter(organization__path__startswith=organization.path)
    return render(
        request,
        "members/training_list.html",
        {"organization": organization, "org": code, "form": form, "classes": classes[:100]},
    )


@login_required
@audited_download("development.training_class")
def training_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    _require_roster(request)
    klass = sel.access_training_class(request.user, pk)
    courses, rows = _training_rows(klass)
    if request.GET.get("export"):
        headers = [_("Name"), *[f"{c.held_on:%m-%d} {c.title}" for c in courses], _("Class hours"), _("Test score")]
        lines = (
            [
                r["member"].name,
                *["✔" if present else "" for _c, present in r["courses"]],
                r["hours"],
                r["score"].score if r["score"] else None,
            ]
            for r in rows
        )
        return _workbook(klass.name, headers, lines, f"training_{klass.pk}")
    return render(
        request,
        "members/training_detail.html",
        {"klass": klass, "courses": courses, "rows": rows, "course_form": CourseForm()},
    )


def _training_rows(klass: TrainingClass) -> tuple[list[TrainingCourse], list[dict[str, Any]]]:
    """The class's courses, and per trainee which they attended, their hours and test score."""
    courses = list(klass.courses.prefetch_related("attendances"))
    trainees = sel.trainees_of(klass)
    attended = {(a.course_id, a.member_id) for c in courses for a in c.attendances.all()}
    scores = {s.member_id: s for s in klass.scores.all()}
    rows = [
        {
            "member": m,
            "courses": [(c, (c.pk, m.pk) in attended) for c in courses],
            "hours": sum((c.hours for c in courses if (c.pk, m.pk) in attended), start=0),
            "score": scores.get(m.pk),
        }
        for m in trainees
    ]
    return courses, rows


@login_required
@require_POST
def training_course(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_roster(request)
    klass = sel.access_training_class(request.user, pk)

    def act(data: dict[str, Any]) -> Outcome:
        svc.training_course_add(training_class=klass, **data)
        return _("Course added."), None

    return form_action(request, CourseForm(request.POST), act, back=reverse("members:training_detail", args=[klass.pk]))


@login_required
@require_POST
def training_attendance(request: AuthenticatedHttpRequest, pk: int, course_pk: int) -> HttpResponse:
    _require_roster(request)
    klass = sel.access_training_class(request.user, pk)
    course = sel.course_of(klass, course_pk)
    in_scope = members_under(klass.organization)
    form = IdsForm(
        request.POST,
        member_ids=list(in_scope.filter(pk__in=ids_of(request.POST.getlist("members"))).values_list("pk", flat=True)),
    )

    def act(data: dict[str, Any]) -> Outcome:
        added = svc.training_attendance_record(
            course=course, members=list(in_scope.filter(pk__in=data["members"])), actor=request.user
        )
        return ngettext("%(n)s attendance recorded.", "%(n)s attendances recorded.", added) % {"n": added}, None

    return form_action(request, form, act, back=reverse("members:training_detail", args=[klass.pk]))


@login_required
@require_POST
def training_score(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_roster(request)
    klass = sel.access_training_class(request.user, pk)

    def act(data: dict[str, Any]) -> Outcome:
        member = members_under(klass.organization).filter(pk=data["member"]).first()
        if member is None:
            raise Http404
        svc.training_score_record(training_class=klass, member=member, score=data["score"])
        return _("Score recorded."), None

    return form_action(request, ScoreForm(request.POST), act, back=reverse("members:training_detail", args=[klass.pk]))


@login_required
@audited_download("development.oaths")
def oaths(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Probationary members not yet sworn in (with a form to record a ceremony) and those due for full membership."""
    _require_roster(request)
    code = request.GET.get("org", "").strip()
    organization = sel.organization_in_scope(user=request.user, code=code)
    today = timezone.localdate()
    which = request.GET.get("export", "")
    if which in ("pending", "due"):
        qs = (
            sel.not_sworn_in(user=request.user, organization=organization)
            if which == "pending"
            else sel.due_for_full_membership(user=request.user, organization=organization, today=today)
        )
        title = _("Not yet sworn in") if which == "pending" else _("Due for full membership")
        headers = [_("Name"), _("Party organization"), _("Joined the Party on")]
        if which == "due":
            headers.append(_("Probation ends on"))
            lines = (
                [m.name, m.organization.name, m.joined_on, probation_ends_on(m)] for m in qs.iterator(chunk_size=500)
            )
        else:
            lines = ([m.name, m.organization.name, m.joined_on] for m in qs.iterator(chunk_size=500))
        return _workbook(title, headers, lines, "_".join(p for p in [which, code] if p))
    pending = list(sel.not_sworn_in(user=request.user, organization=organization)[:300])
    if request.method == "POST":
        if organization is None:
            raise Http404
        form = IdsForm(request.POST, member_ids=[m.pk for m in pending])
        oath_form = OathForm(request.POST)

        def act(data: dict[str, Any]) -> Outcome:
            if not oath_form.is_valid():
                raise ValidationError([str(e) for errors in oath_form.errors.values() for e in errors])
            chosen = [m for m in pending if m.pk in set(data["members"])]
            svc.oath_ceremony_record(
                organization=organization, actor=request.user, members=chosen, **oath_form.cleaned_data
            )
            return _("The oath ceremony is recorded."), None

        return form_action(request, form, act, back=f"{reverse('members:oaths')}?org={code}")
    return render(
        request,
        "members/oath_list.html",
        {
            "organization": organization,
            "org": code,
            "pending": pending,
            "due": [
                (m, probation_ends_on(m))
                for m in sel.due_for_full_membership(user=request.user, organization=organization, today=today)[:300]
            ],
            "oath_form": OathForm(initial={"held_on": today}),
        },
    )


@login_required
@audited_download("development.political_birthdays")
def birthdays(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    _require_roster(request)
    code = request.GET.get("org", "").strip()
    organization = sel.organization_in_scope(user=request.user, code=code)
    today = timezone.localdate()
    month = int_param(request.GET.get("month"), name="month", default=today.month, min_value=1, max_value=12)
    qs = sel.political_birthdays(user=request.user, organization=organization, month=month)
    if request.GET.get("export"):
        headers = [_("Party organization"), _("Name"), _("Joined the Party on"), _("Years")]
        lines = (
            [m.organization.name, m.name, m.joined_on, today.year - m.joined_on.year if m.joined_on else None]
            for m in qs.iterator(chunk_size=500)
        )
        return _workbook(_("Political birthdays"), headers, lines, f"birthdays_{month:02d}")
    members = list(qs[:1000])
    for m in members:
        m.years = today.year - m.joined_on.year if m.joined_on else None  # type: ignore[attr-defined]
    return render(
        request,
        "members/birthdays.html",
        {
            "organization": organization,
            "org": code,
            "month": month,
            "months": range(1, 13),
            "members": members,
            "year": today.year,
        },
    )

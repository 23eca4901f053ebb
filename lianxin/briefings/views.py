"""Briefing pages: the list, a new draft, the draft's editor, publishing (a confirmation step), the
published briefing and its .docx. They are for those who see figures (the roster scope); a briefing
of an organization outside the viewer's subtrees answers 404, as if there were none."""

import io
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.briefings import services
from lianxin.briefings.documents import briefing_docx, briefing_filename
from lianxin.briefings.forms import BriefingTextForm, NewBriefingForm, heading_field, text_field
from lianxin.briefings.models import Briefing
from lianxin.briefings.selectors import (
    ShownSection,
    access_briefing,
    briefing_list_visible_to,
    briefing_sections,
    can_write_briefings,
    kept_rows_page,
)
from lianxin.briefings.textfiles import briefing_templates
from lianxin.core.audit import audited_download
from lianxin.core.forms import EmptyForm, Outcome, form_action, form_submit, object_action, preview_fingerprint
from lianxin.core.params import MAX_DATE, MIN_DATE
from lianxin.core.selectors import event_list_for, page_of

PAGE_SIZE = 30
ROWS_PAGE_SIZE = 50
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _writer(request: AuthenticatedHttpRequest) -> None:
    if not can_write_briefings(request.user):
        raise Http404


@login_required
def briefing_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Drafts and published briefings of the viewer's subtrees, newest first."""
    _writer(request)
    status = request.GET.get("status", "")
    status = status if status in Briefing.Status.values else ""
    page = page_of(briefing_list_visible_to(user=request.user, status=status), request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "briefings/list.html",
        {
            "page": page,
            "status": status,
            "statuses": Briefing.Status.choices,
            "querystring": f"status={status}" if status else "",
        },
    )


def _initial_day(text: str | None, fallback: date) -> date:
    """A day from the query (a link from a figures page), else `fallback`; never beyond the calendar."""
    try:
        day = date.fromisoformat((text or "").strip())
    except ValueError:
        return fallback
    return day if MIN_DATE <= day <= MAX_DATE else fallback


def _new_initial(request: AuthenticatedHttpRequest, first_template: str) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "org": request.GET.get("org", "")[:32],
        "starts_on": _initial_day(request.GET.get("from"), date(today.year, 1, 1)),
        "ends_on": _initial_day(request.GET.get("to"), today),
        "template": request.GET.get("template", first_template)[:80],
    }


@login_required
def briefing_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Choose a subtree, a period and a template; the draft is written at once and opens in the editor."""
    _writer(request)
    templates = briefing_templates()
    form = NewBriefingForm(
        request.POST if request.method == "POST" else None,
        initial=_new_initial(request, next(iter(templates.usable), "")),
        user=request.user,
        templates=templates.usable,
    )

    def draft(data: dict[str, Any]) -> Briefing:
        return services.briefing_draft(
            actor=request.user,
            organization=data["org"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            template=data["template"],
        )

    if briefing := form_submit(form, draft):
        messages.success(request, _("The draft is written. Check the text and each number, then publish it."))
        return redirect(briefing)
    return render(
        request,
        "briefings/new.html",
        {"form": form, "templates": list(templates.usable.values()), "broken": templates.broken},
    )


def _save(request: AuthenticatedHttpRequest, briefing: Briefing, form: BriefingTextForm) -> Briefing:
    return services.briefing_edit(
        actor=request.user, briefing=briefing, title=form.cleaned_data["title"], sections=form.sections_data()
    )


def _refused_edit(request: AuthenticatedHttpRequest, briefing: Briefing, form: BriefingTextForm) -> HttpResponse:
    """An edit of a published briefing: the service refuses it with its message, and nothing is written."""

    def run(data: dict[str, Any]) -> Outcome:
        return _("The draft is saved."), _save(request, briefing, form).get_absolute_url()

    return form_action(request, form, run, back=briefing.get_absolute_url())


def _parts(form: BriefingTextForm, sections: list[ShownSection]) -> list[tuple[ShownSection, Any, Any]]:
    """Each section with its heading's field (none for the lead) and its text's."""
    parts = []
    for shown in sections:
        heading = heading_field(shown.section.position)
        parts.append(
            (shown, form[heading] if heading in form.fields else None, form[text_field(shown.section.position)])
        )
    return parts


@login_required
def briefing_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A draft opens in the editor (each section's text beside the numbers it used); a published
    briefing reads as it was published."""
    _writer(request)
    briefing = access_briefing(request.user, pk)
    sections = briefing_sections(briefing)
    form = BriefingTextForm(
        request.POST if request.method == "POST" else None,
        sections=[s.section for s in sections],
        initial={"title": briefing.title},
    )
    if request.method == "POST" and briefing.is_published:
        return _refused_edit(request, briefing, form)
    context: dict[str, Any] = {"briefing": briefing, "sections": sections, "events": event_list_for(briefing)[:50]}
    if briefing.is_published:
        return render(request, "briefings/published.html", context)
    if request.method == "POST" and form_submit(form, lambda data: _save(request, briefing, form)) is not None:
        messages.success(request, _("The draft is saved."))
        if request.POST.get("then") == "publish":
            return redirect("briefings:publish", pk=briefing.pk)
        return redirect(briefing)
    context.update(form=form, parts=_parts(form, sections))
    return render(request, "briefings/edit.html", context)


def _fingerprint(briefing: Briefing) -> str:
    """What the confirmation showed: the draft as last saved (any save since changes it)."""
    return preview_fingerprint(briefing.pk, briefing.status, str(briefing.updated_at), data={})


@login_required
def briefing_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Publishing takes two steps: the page shows the text and numbers as they will be frozen, and
    only a POST confirming exactly what was shown publishes it."""
    _writer(request)
    briefing = access_briefing(request.user, pk)
    if request.method == "POST":
        if request.POST.get("confirm") == _fingerprint(briefing) or briefing.is_published:

            def run(item: Briefing, data: dict[str, Any]) -> Outcome:
                services.briefing_publish(actor=request.user, briefing=item)
                return _("The briefing is published; its text and numbers are kept as they are now."), None

            return object_action(request, briefing, EmptyForm(request.POST), run)
        messages.warning(request, _("The draft was saved again since you checked it; check it once more."))
    elif briefing.is_published:
        return redirect(briefing)
    return render(
        request,
        "briefings/publish.html",
        {"briefing": briefing, "sections": briefing_sections(briefing), "fingerprint": _fingerprint(briefing)},
    )


@login_required
@audited_download("briefings.docx")
def briefing_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The briefing as a Word document laid out as an official document (a draft is marked as one)."""
    _writer(request)
    briefing = access_briefing(request.user, pk)
    content = briefing_docx(briefing, briefing_sections(briefing))
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=briefing_filename(briefing), content_type=DOCX
    )


@login_required
def briefing_figure_rows(request: AuthenticatedHttpRequest, pk: int, position: int) -> HttpResponse:
    """The rows a published number counted, as they stood when the briefing was published."""
    _writer(request)
    briefing = access_briefing(request.user, pk)
    kept = kept_rows_page(briefing, position, request.GET.get("page"), ROWS_PAGE_SIZE)
    return render(request, "briefings/figure_rows.html", {"briefing": briefing, "kept": kept})

"""Activity pages: list and planning, an activity's page and its actions, attendance by hand,
the venue screen with the check-in code and QR, the phone check-in page, joint events."""

import io
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.activities.documents import ical_feed
from lianxin.activities.documents import ledgers as exports
from lianxin.activities.forms.planning import (
    ActivityForm,
    AddAttendeeForm,
    CheckinForm,
    HoldForm,
    JointEventForm,
    MinutesForm,
    ReasonForm,
)
from lianxin.activities.models import Activity, JointEvent, Kind
from lianxin.activities.selectors import planning as sel
from lianxin.activities.services import planning as services
from lianxin.activities.views.attendance import panel_context
from lianxin.activities.views.confirm import confirmed_action
from lianxin.core.audit import audited_download
from lianxin.core.forms import EmptyForm, Outcome, form_action, form_submit, object_action
from lianxin.core.params import id_param
from lianxin.core.qr import qr_svg
from lianxin.core.replica import reads_on_replica, replica_reads
from lianxin.core.selectors import event_list_for, page_of
from lianxin.members.models import Member
from lianxin.organizations.models import Organization

PAGE_SIZE = 30
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The longest list exported at once; narrow the filters for more.
EXPORT_LIMIT = 50_000


class _MemberForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)


def _xlsx_response(out: io.BytesIO, filename: str) -> HttpResponse:
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


@login_required
@audited_download("activities")
def activity_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    org_id = id_param(request.GET.get("organization"), name="organization")
    organization = sel.access_plannable_organization(user, org_id) if org_id else None
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    activities = sel.activity_list_visible_to(user=user, organization=organization, kind=kind, status=status)
    if request.GET.get("format") == "xlsx":
        return _activities_xlsx(activities, organization)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    feed_url = ""
    if organization is not None:
        token = sel.feed_of(organization).token
        feed_url = request.build_absolute_uri(reverse("activities:organization_feed", args=[token]))
    plannable = sel.organizations_plannable_by(user)
    page = page_of(activities, request.GET.get("page"), PAGE_SIZE)
    sel.with_attendance_counts(page.object_list)  # type: ignore[arg-type]
    scope = roster_scope(user)
    return render(
        request,
        "activities/activity_list.html",
        {
            "page": page,
            # The rows whose organization the viewer may filter by (a member sees their own activities too).
            "filterable": {a.organization_id for a in page.object_list if scope.contains(a.organization.path)},
            "organization": organization,
            "organizations": plannable[:500],
            "can_plan": plannable.exists(),
            "kinds": Kind.choices,
            "statuses": Activity.Status.choices,
            "kind": kind,
            "status": status,
            "querystring": query.urlencode(),
            "feed_url": feed_url,
            "joint_events": sel.joint_events_visible_to(user)[:5] if organization is None else [],
        },
    )


@login_required
def activity_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    organizations = sel.organizations_plannable_by(user)
    if not organizations.exists():
        raise Http404
    org_id = id_param(request.GET.get("organization"), name="organization")
    initial = {"organization": organizations.filter(pk=org_id).first()} if org_id else {}
    form = ActivityForm(request.POST or None, organizations=organizations, initial=initial)
    activity = form_submit(form, lambda data: services.activity_plan(actor=user, **data))
    if activity:
        return redirect("activities:activity_detail", pk=activity.pk)
    return render(request, "activities/activity_form.html", {"form": form})


@login_required
def activity_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = sel.access_managed_activity(request.user, pk)
    if activity.status != Activity.Status.PLANNED:
        raise Http404
    fields = ("kind", "title", "topic", "starts_at", "ends_at", "place", "is_online")
    initial: dict[str, Any] = {f: getattr(activity, f) for f in fields}
    initial["starts_at"] = timezone.localtime(activity.starts_at)
    initial["ends_at"] = timezone.localtime(activity.ends_at)
    form = ActivityForm(request.POST or None, organizations=None, initial=initial)
    if form_submit(form, lambda data: services.activity_update(activity=activity, actor=request.user, **data)):
        return redirect("activities:activity_detail", pk=activity.pk)
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity})


@login_required
def activity_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    activity = sel.access_activity(user, pk)
    context = panel_context(user, activity)
    manager = context["manager"]
    context.update(
        {
            "own": sel.own_attendance(user, activity),
            "is_planned": activity.status == Activity.Status.PLANNED,
            "has_started": activity.starts_at <= timezone.now(),
            "joint_visible": activity.joint_event is not None
            and sel.joint_events_visible_to(user).filter(pk=activity.joint_event.pk).exists(),
            "add_form": AddAttendeeForm(candidates=sel.member_candidates(user, activity)) if manager else None,
            "hold_form": HoldForm(initial={"topic": activity.topic, "place": activity.place}),
            "minutes_form": MinutesForm(
                initial={f: getattr(activity, f) for f in ("topic", "host", "recorder", "minutes")}
            ),
            "reason_form": ReasonForm(),
            "events": event_list_for(activity)[:50] if manager else None,
        }
    )
    return render(request, "activities/activity_detail.html", context)


def _listed(activity: Activity, member_id: int) -> Member:
    member = sel.listed_member(activity, member_id)
    if member is None:
        raise ValidationError(_("This person is not on this activity's list."))
    return member


@login_required
@require_POST
def activity_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(activity: Activity, data: dict[str, Any]) -> Outcome:
        member = data["member"] or sel.member_by_number(request.user, data["number"])
        if member is None:
            raise ValidationError(_("Nobody on the roster you manage has that citizen ID or mobile number."))
        services.attendance_add(activity=activity, actor=request.user, member=member, role=data["role"])
        return _("%(name)s was added to the list.") % {"name": member.name}, None

    activity = sel.access_managed_activity(request.user, pk)
    form = AddAttendeeForm(request.POST, candidates=sel.member_candidates(request.user, activity))
    return object_action(request, activity, form, run)


@login_required
@require_POST
def activity_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Take someone wrongly listed off the list (the page asks to confirm first)."""

    def run(activity: Activity, data: dict[str, Any]) -> Outcome:
        member = _listed(activity, data["member"])
        services.attendance_remove(activity=activity, actor=request.user, member=member)
        return _("%(name)s was taken off the list.") % {"name": member.name}, None

    activity = sel.access_managed_activity(request.user, pk)
    return object_action(request, activity, _MemberForm(request.POST), run)


@login_required
@require_POST
def organization_feed_reset(request: AuthenticatedHttpRequest, org_pk: int) -> HttpResponse:
    """A new calendar link for the organization; the old one answers 404 from now on."""
    organization = sel.access_plannable_organization(request.user, org_pk)

    def run(organization: Organization, data: dict[str, Any]) -> Outcome:
        services.organization_feed_reset(organization=organization, actor=request.user)
        return _("The calendar link was replaced; the old one no longer works."), None

    back = reverse("activities:activity_list") + f"?organization={organization.pk}"
    return object_action(request, organization, EmptyForm(request.POST), run, back=back)


def organization_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscribable iCal feed of an organization's activities. No login: the token is the key."""
    feed = sel.feed_by_token(token)
    if feed is None:
        raise Http404
    body = ical_feed.feed_text(request, feed, sel.feed_activities(feed, ical_feed.FEED_LIMIT))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="activities.ics"'
    return response


@login_required
@require_POST
def activity_hold(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Recording as held cannot be undone: previewed first, written on confirmation (views/confirm.py)."""

    def run(activity: Activity, data: dict[str, Any]) -> Outcome:
        services.activity_hold(activity=activity, actor=request.user, **data)
        return _("The activity is recorded as held."), None

    activity = sel.access_managed_activity(request.user, pk)
    form = HoldForm(request.POST)
    return confirmed_action(
        request, activity, form, run, preview=lambda: sel.hold_preview(activity), title=_("Record as held")
    )


@login_required
@require_POST
def activity_minutes(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(activity: Activity, data: dict[str, Any]) -> Outcome:
        services.activity_minutes_correct(activity=activity, actor=request.user, **data)
        return _("The minutes were corrected."), None

    activity = sel.access_managed_activity(request.user, pk)
    return object_action(request, activity, MinutesForm(request.POST), run)


@login_required
@require_POST
def activity_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A cancellation cannot be undone: previewed first, written on confirmation."""

    def run(activity: Activity, data: dict[str, Any]) -> Outcome:
        services.activity_cancel(activity=activity, actor=request.user, reason=data["reason"])
        return _("The activity was cancelled."), None

    activity = sel.access_managed_activity(request.user, pk)
    form = ReasonForm(request.POST)
    return confirmed_action(
        request, activity, form, run, preview=lambda: sel.cancel_preview(activity), title=_("Cancel the activity")
    )


@login_required
def activity_venue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The screen shown at the venue: the code in large digits and a QR code of the check-in page."""
    activity = sel.access_managed_activity(request.user, pk)
    checkin_url = request.build_absolute_uri(
        reverse("activities:activity_checkin", args=[activity.pk]) + f"?code={activity.checkin_code}"
    )
    return render(
        request,
        "activities/checkin_venue.html",
        {"activity": activity, "checkin_url": checkin_url, "qr": qr_svg(checkin_url)},
    )


@login_required
def activity_checkin(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The page the QR code opens on a member's phone; the code comes filled in."""
    activity = sel.access_activity(request.user, pk)
    back = reverse("activities:activity_checkin", args=[activity.pk])
    if request.method == "POST":

        def run(data: dict[str, Any]) -> Outcome:
            services.attendance_check_in(activity=activity, actor=request.user, code=data["code"])
            return _("You are checked in."), back

        return form_action(request, CheckinForm(request.POST), run, back=back)
    return render(
        request,
        "activities/checkin.html",
        {
            "activity": activity,
            "own": sel.own_attendance(request.user, activity),
            "may_join": sel.may_check_in_unlisted(request.user, activity),
            "form": CheckinForm(initial={"code": request.GET.get("code", "")[:6]}),
        },
    )


@login_required
def joint_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    organizations = sel.organizations_plannable_by(user)
    if not organizations.exists():
        raise Http404
    form = JointEventForm(request.POST or None, organizations=organizations)

    def create(data: dict[str, Any]) -> JointEvent:
        all_under = data.pop("all_under")
        chosen = list(data.pop("organizations"))
        parts = sel.organizations_with_members_under(data["organizer"]) if all_under else chosen
        return services.joint_event_create(actor=user, organizations=parts, **data)

    event = form_submit(form, create)
    if event:
        return redirect("activities:joint_detail", pk=event.pk)
    return render(request, "activities/joint_form.html", {"form": form})


@login_required
def joint_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = sel.access_joint_event(request.user, pk)
    page = page_of(sel.joint_event_parts(event), request.GET.get("page"), PAGE_SIZE)
    sel.with_attendance_counts(page.object_list)  # type: ignore[arg-type]
    return render(
        request,
        "activities/joint_detail.html",
        {"event": event, "page": page, "totals": sel.joint_event_totals(event)},
    )


def _activities_xlsx(activities: QuerySet[Activity], organization: Organization | None = None) -> HttpResponse:
    """台账 of activities: one row each, with its attendance counts, read on the replica when there is one."""
    with replica_reads():
        rows = sel.with_attendance_counts(list(activities[:EXPORT_LIMIT]))
        content = exports.activities_xlsx(rows, where=organization.name if organization is not None else "")
    return _xlsx_response(io.BytesIO(content), _("Ledger of organizational life") + ".xlsx")


@login_required
@reads_on_replica
@audited_download("activities.sign_in_sheet")
def activity_attendance_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The sign-in sheet of one activity: each person, their role, attendance, reason and check-in time."""
    activity = sel.access_managed_activity(request.user, pk)
    content = exports.signin_xlsx(activity, sel.attendance_of(activity))
    return _xlsx_response(io.BytesIO(content), _("Sign-in sheet: %(title)s") % {"title": activity.title} + ".xlsx")

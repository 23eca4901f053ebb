"""Pages of notifications: a person's list (the bell's page), their choices, and the group robots
of the organizations an administrator manages."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.forms import form_submit
from lianxin.core.selectors import page_of
from lianxin.notifications import selectors, services
from lianxin.notifications.forms import PreferencesForm, RobotForm
from lianxin.notifications.models import GroupRobot

PAGE_SIZE = 30


def _htmx(request: AuthenticatedHttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def local_target(url: str) -> str | None:
    """`url` when it is a path on this site ("/demands/12/"), else None: a stored link never leads away."""
    if not url.startswith("/") or url.startswith(("//", "/\\")):
        return None
    return url if url_has_allowed_host_and_scheme(url, allowed_hosts=set()) else None


@login_required
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    qs = selectors.notification_list_visible_to(user=request.user, unread_only=unread_only)
    return render(
        request,
        "notifications/list.html",
        {
            "page": page_of(qs, request.GET.get("page"), PAGE_SIZE),
            "unread_only": unread_only,
            "querystring": "show=unread" if unread_only else "",
            "unread": selectors.unread_count(user=request.user),
            "can_manage_robots": selectors.can_manage_robots(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def notification_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go to its page. A GET is safe here: reading twice changes
    nothing more, and the link only ever leads to a path on this site (else to the list)."""
    notification = selectors.access_notification(request.user, pk)
    services.notification_read(actor=request.user, notification=notification)
    return redirect(local_target(notification.url) or reverse("notifications:list"))


@login_required
@require_POST
def notification_mark_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark one read; htmx swaps the item in place and the bell beside it."""
    notification = selectors.access_notification(request.user, pk)
    services.notification_read(actor=request.user, notification=notification)
    if not _htmx(request):
        return redirect("notifications:list")
    notification = selectors.access_notification(request.user, notification.pk)  # as it now reads
    unread = selectors.unread_count(user=request.user)
    return render(request, "notifications/item.html", {"n": notification, "unread": unread, "oob": True})


@login_required
@require_POST
def notification_read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    done = services.notifications_read_all(actor=request.user)
    messages.success(request, _("Marked %(n)s as read.") % {"n": done} if done else _("Nothing was unread."))
    return redirect("notifications:list")


@login_required
def notification_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    kind_list = selectors.kinds_for(user=user)
    chosen = selectors.choices_of(user=user, kind_list=kind_list)
    initial = {
        "email": sorted(chosen.email),
        "sms": sorted(chosen.sms),
        "quiet_start": chosen.settings.quiet_start,
        "quiet_end": chosen.settings.quiet_end,
        "digest": chosen.settings.digest,
        "digest_at": chosen.settings.digest_at,
    }
    email_ok, sms_ok = bool(user.email), bool(user.mobile)
    form = PreferencesForm(request.POST or None, initial=initial, kind_list=kind_list, email_ok=email_ok, sms_ok=sms_ok)
    saved = form_submit(form, lambda data: services.notification_preferences_save(actor=user, user=user, **data))
    if saved:
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:settings")
    ticked = form["email"].value() or [], form["sms"].value() or []
    return render(
        request,
        "notifications/settings.html",
        {
            "form": form,
            "groups": selectors.kind_groups(kind_list),
            "email_ticked": {str(code) for code in ticked[0]},
            "sms_ticked": {str(code) for code in ticked[1]},
            "email_ok": email_ok,
            "sms_ok": sms_ok,
        },
    )


# ------------------------------------------------------------------ group robots


def _robot_manager(request: AuthenticatedHttpRequest) -> None:
    if not selectors.can_manage_robots(request.user):
        raise Http404


@login_required
def robot_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _robot_manager(request)
    page = page_of(selectors.robot_list_visible_to(user=request.user), request.GET.get("page"), PAGE_SIZE)
    return render(request, "notifications/robot_list.html", {"page": page})


def _robot_values(data: dict[str, Any]) -> dict[str, Any]:
    return {key: data[key] for key in ("name", "webhook_url", "secret", "kinds")}


@login_required
def robot_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    _robot_manager(request)
    form = RobotForm(request.POST or None, kind_list=selectors.robot_kinds(), editing=False)
    form.fields["organization"].scope_to(request.user)  # type: ignore[attr-defined]
    robot = form_submit(
        form,
        lambda data: services.group_robot_create(
            actor=request.user, organization=data["organization"], platform=data["platform"], **_robot_values(data)
        ),
    )
    if robot:
        messages.success(request, _("The group robot was added."))
        return redirect("notifications:robot_list")
    return render(request, "notifications/robot_form.html", {"form": form, "robot": None})


@login_required
def robot_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    robot = selectors.access_robot(request.user, pk)
    initial = {"name": robot.name, "kinds": robot.kinds, "active": robot.active}
    form = RobotForm(request.POST or None, initial=initial, kind_list=selectors.robot_kinds(), editing=True)
    saved = form_submit(
        form,
        lambda data: services.group_robot_update(
            actor=request.user,
            robot=robot,
            clear_secret=data["clear_secret"],
            active=data["active"],
            **_robot_values(data),
        ),
    )
    if saved:
        messages.success(request, _("Saved."))
        return redirect("notifications:robot_list")
    return render(request, "notifications/robot_form.html", {"form": form, "robot": robot})


@login_required
@require_POST
def robot_deactivate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    robot = selectors.access_robot(request.user, pk)
    services.group_robot_deactivate(actor=request.user, robot=robot)
    messages.success(request, _("The group robot %(name)s posts nothing more.") % {"name": robot.name})
    return redirect("notifications:robot_list")


@login_required
@require_POST
def robot_test(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    robot: GroupRobot = selectors.access_robot(request.user, pk)
    delivered, answer = services.group_robot_test(actor=request.user, robot=robot)
    if delivered:
        messages.success(request, _("Test message delivered: %(answer)s") % {"answer": answer})
    else:
        messages.error(request, _("Test message not delivered: %(answer)s") % {"answer": answer})
    return redirect("notifications:robot_list")

"""The home page of every role (what waits, with counts that link to their lists) and a member's branch."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.activities.selectors.planning import activities_to_record, feed_of
from lianxin.core.selectors import page_of
from lianxin.workbench import selectors as sel

PAGE_SIZE = 50


def workbench(request: HttpRequest) -> HttpResponse:
    """What waits for the signed-in person, by role; a visitor gets the public entry points."""
    if not request.user.is_authenticated:
        return render(request, "workbench/public.html")
    return render(
        request,
        "workbench/workbench.html",
        {"wb": sel.workbench_for(user=request.user)},
    )


@login_required
def my_branch(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A Party member's branch: its secretary and next 三会一课 with the calendar link, and their own part."""
    member = sel.own_member(request.user)
    if member is None:
        raise Http404
    branch = sel.my_branch(member=member)
    feed = feed_of(branch.branch)
    return render(
        request,
        "workbench/my_branch.html",
        {
            "b": branch,
            "feed_url": request.build_absolute_uri(reverse("activities:organization_feed", args=[feed.token])),
        },
    )


@login_required
def activities_waiting(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The planned activities that have begun and wait for attendance and minutes (the workbench's count)."""
    if roster_scope(request.user).is_empty:
        raise Http404
    page = page_of(activities_to_record(user=request.user), request.GET.get("page"), PAGE_SIZE)
    return render(request, "workbench/activities_to_record.html", {"page": page})

"""Pages of the organization tree: browse with member counts, search, open a node, restructure."""

from typing import Any, TypeVar
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.permissions import browse_scope, roster_scope
from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.forms import Outcome, object_action
from lianxin.core.periods import Period, period_from
from lianxin.core.picker import picker_param
from lianxin.core.selectors import event_list_for
from lianxin.organizations import services
from lianxin.organizations.forms import DissolveForm, MergeForm, MoveForm, SeatEndForm, SeatForm
from lianxin.organizations.models import Area, Organization
from lianxin.organizations.selectors import (
    AreaSubtree,
    Subtree,
    access_area_subtree,
    access_organization,
    access_subtree,
    committee_as_it_sits,
    committee_seat_of,
    member_counts,
    members_tallied_at,
    organization_ancestors_in_scope,
    organization_children,
    organization_search,
    organizations_due_for_election,
    seat_candidates,
    service_centers_of,
    subtree_children,
)


def _require_browse(request: AuthenticatedHttpRequest) -> None:
    if browse_scope(request.user).is_empty:
        raise Http404


def _rows(nodes: list[Organization]) -> list[dict[str, object]]:
    counts = member_counts(nodes=nodes)
    return [{"org": n, "counts": counts[n.pk]} for n in nodes]


@login_required
def tree(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_browse(request)
    query = request.GET.get("q", "").strip()
    if query:
        results = list(organization_search(user=request.user, query=query))
        return render(
            request,
            "organizations/tree.html",
            {"query": query, "results": _rows(results), "tallied_at": members_tallied_at()},
        )
    roots = organization_children(user=request.user, parent=None)
    return render(
        request,
        "organizations/tree.html",
        {
            "rows": _rows(roots),
            "tallied_at": members_tallied_at(),
            "due": organizations_due_for_election(user=request.user, today=timezone.localdate())[:10],
            "today": timezone.localdate(),
        },
    )


@login_required
def children(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The next level of the tree, loaded when a node is opened."""
    _require_browse(request)
    parent = access_organization(request.user, pk)
    rows = _rows(organization_children(user=request.user, parent=parent))
    return render(request, "organizations/tree.html#children", {"rows": rows})


@login_required
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_browse(request)
    org = access_organization(request.user, pk)
    kids = organization_children(user=request.user, parent=org)
    counts = member_counts(nodes=[org, *kids])
    can_manage = roster_scope(request.user).contains(org.path)
    is_branch = org.kind in Organization.BRANCH_KINDS
    manages_seats = can_manage and org.is_active and is_branch
    today = timezone.localdate()
    return render(
        request,
        "organizations/detail.html",
        {
            "org": org,
            "counts": counts[org.pk],
            "tallied_at": members_tallied_at(),
            "children": [{"org": k, "counts": counts[k.pk]} for k in kids],
            "ancestors": organization_ancestors_in_scope(scope=browse_scope(request.user), organization=org),
            "centers": service_centers_of(org),
            "events": event_list_for(org)[:50],
            "can_manage": can_manage and org.is_active,
            "can_list_members": can_manage,
            "term_due": org.term_end_due(today),
            "move_form": MoveForm(user=request.user),
            "merge_form": MergeForm(user=request.user),
            "dissolve_form": DissolveForm(),
            "is_branch": is_branch,
            "seats": committee_as_it_sits(org) if is_branch else [],
            "manages_seats": manages_seats,
            "seat_form": SeatForm(candidates=seat_candidates(org), initial={"since": today}) if manages_seats else None,
            "today": today,
        },
    )


def _managed(request: AuthenticatedHttpRequest, pk: int) -> Organization:
    """The organization of a page action: 404 unless the viewer manages its roster."""
    org = access_organization(request.user, pk)
    if not roster_scope(request.user).contains(org.path):
        raise Http404
    return org


def _move(request: AuthenticatedHttpRequest, org: Organization, data: dict[str, Any]) -> Outcome:
    # The picker offered (and its field accepted) only active organizations in the viewer's roster scope.
    services.organization_move(actor=request.user, organization=org, new_parent=data["new_parent"])
    return _("%(name)s was moved.") % {"name": org.name}, None


def _merge(request: AuthenticatedHttpRequest, org: Organization, data: dict[str, Any]) -> Outcome:
    target = data["target"]
    services.organization_merge(
        actor=request.user,
        source=org,
        target=target,
        merged_on=data["merged_on"],
        letter_number=data["letter_number"],
    )
    message = _("%(source)s was merged into %(target)s.") % {"source": org.name, "target": target.name}
    return message, target.get_absolute_url()


def _dissolve(request: AuthenticatedHttpRequest, org: Organization, data: dict[str, Any]) -> Outcome:
    services.organization_dissolve(
        actor=request.user, organization=org, dissolved_on=data["dissolved_on"], reason=data["reason"]
    )
    return _("%(name)s was dissolved; its record is kept.") % {"name": org.name}, None


def _seat_fill(request: AuthenticatedHttpRequest, org: Organization, data: dict[str, Any]) -> Outcome:
    member = data["member"]
    services.committee_seat_fill(
        actor=request.user, organization=org, member=member, role=data["role"], since=data["since"]
    )
    return _("%(name)s was seated on the branch committee.") % {"name": member}, None


def _seat_end(request: AuthenticatedHttpRequest, org: Organization, data: dict[str, Any]) -> Outcome:
    seat = committee_seat_of(org, data["seat"])
    if seat is None:
        raise ValidationError(_("This seat is not on this organization's committee."))
    services.committee_seat_end(actor=request.user, seat=seat, until=data["until"])
    return _("%(name)s no longer sits on the branch committee.") % {"name": seat.member.name}, None


RESTRUCTURE = {"move": (MoveForm, _move), "merge": (MergeForm, _merge), "dissolve": (DissolveForm, _dissolve)}


@login_required
@require_POST
def restructure(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    """Move, merge or dissolve an organization from its page."""
    form_class, run = RESTRUCTURE[action]
    form = form_class(request.POST, user=request.user)
    return object_action(request, _managed(request, pk), form, lambda o, d: run(request, o, d))


@login_required
@require_POST
def seat_fill(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Seat a full member on the branch committee from the organization's page."""
    org = _managed(request, pk)
    form = SeatForm(request.POST, candidates=seat_candidates(org))
    return object_action(request, org, form, lambda o, d: _seat_fill(request, o, d))


@login_required
@require_POST
def seat_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    org = _managed(request, pk)
    return object_action(request, org, SeatEndForm(request.POST), lambda o, d: _seat_end(request, o, d))


# ----------------------------------------------------------------- what every figures page shares
# The subtree and period read from the query string, the way up the tree (the viewer's own
# scope only) and one level down: dashboards, demand figures and the compliance board.
CHILDREN_SHOWN = 60


S = TypeVar("S", Organization, AreaSubtree)


def _with_period(request: AuthenticatedHttpRequest, subtree: S) -> tuple[S, Period | None, list[str]]:
    try:
        return subtree, period_from(request.GET.get("from"), request.GET.get("to")), []
    except ValidationError as exc:
        return subtree, None, exc.messages


def subtree_and_period(request: AuthenticatedHttpRequest) -> tuple[Organization, Period | None, list[str]]:
    """`?org=CODE&from=&to=` (or, typed without JavaScript, `org_q`): the subtree (404 outside the
    viewer's scope) and the period, or its errors."""
    code = picker_param(request.GET, "org", kind="roster_organization", user=request.user)
    return _with_period(request, access_subtree(request.user, code))


def any_subtree_and_period(request: AuthenticatedHttpRequest) -> tuple[Subtree, Period | None, list[str]]:
    """As `subtree_and_period`, or `?area=CODE` (`area_q` typed): an area's organizations within the
    viewer's scope (AreaSubtree; ADR 20), for the pages that count an area too."""
    if request.GET.get("area") or request.GET.get("area_q"):
        code = picker_param(request.GET, "area", kind="area", user=request.user)
        return _with_period(request, access_area_subtree(request.user, code))
    return subtree_and_period(request)


def subtree_query(subtree: Subtree) -> dict[str, str]:
    """The query parameter that names a subtree again: `org=CODE`, or `area=CODE` for an area."""
    return {"area" if isinstance(subtree, AreaSubtree) else "org": subtree.code}


def _around(request: AuthenticatedHttpRequest, subtree: Subtree) -> dict[str, Any]:
    """The way up (the ancestors the viewer may open) and one level down of a subtree."""
    if isinstance(subtree, AreaSubtree):
        above = [AreaSubtree(a, subtree.scope) for a in Area.objects.get_ancestors(subtree.area)]
        return {"ancestors": above, "children": subtree.children(limit=CHILDREN_SHOWN), "subtree_key": "area"}
    ancestors = organization_ancestors_in_scope(scope=roster_scope(request.user), organization=subtree)
    return {"ancestors": ancestors, "children": subtree_children(subtree, limit=CHILDREN_SHOWN), "subtree_key": "org"}


def figures_context(
    request: AuthenticatedHttpRequest, subtree: Subtree, period: Period | None, errors: list[str]
) -> dict[str, Any]:
    """What the figure pages' shared parts read: the subtree, the period, the way up and down."""
    context: dict[str, Any] = {
        "org": subtree,
        "errors": errors,
        "from_value": request.GET.get("from", ""),
        "to_value": request.GET.get("to", ""),
        **_around(request, subtree),
    }
    if period is not None:
        context.update(
            period=period,
            query=urlencode({**subtree_query(subtree), **period.query()}),
            period_query=urlencode(period.query()),
            from_value=period.start.isoformat(),
            to_value=period.end.isoformat(),
        )
    return context


def figures_page_context(request: AuthenticatedHttpRequest) -> tuple[Organization, Period | None, dict[str, Any]]:
    """The subtree, the period and the context the figure pages' shared parts read."""
    org, period, errors = subtree_and_period(request)
    return org, period, figures_context(request, org, period, errors)

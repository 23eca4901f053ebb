"""What every figures page shares: the subtree and period read from the query string, the way up
the tree (the viewer's own scope only) and one level down."""

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from lianxin.accounts.permissions import roster_scope
from lianxin.dashboards.figures import Period, access_subtree, period_from
from lianxin.organizations.models import Organization

CHILDREN_SHOWN = 60


def subtree_and_period(request: HttpRequest) -> tuple[Organization, Period | None, list[str]]:
    """`?org=CODE&from=&to=`: the subtree (404 outside the viewer's scope) and the period, or its errors."""
    org = access_subtree(request.user, request.GET.get("org"))
    try:
        return org, period_from(request.GET.get("from"), request.GET.get("to")), []
    except ValidationError as exc:
        return org, None, exc.messages


def ancestors_in_scope(user: Any, org: Organization) -> list[Organization]:
    scope = roster_scope(user)
    paths = [org.path[:i] for i in range(org.steplen, len(org.path), org.steplen)]
    return [a for a in Organization.objects.filter(path__in=paths).order_by("depth") if scope.contains(a.path)]


def figures_page_context(request: HttpRequest) -> tuple[Organization, Period | None, dict[str, Any]]:
    """The subtree, the period and the context the figure pages' shared parts read."""
    org, period, errors = subtree_and_period(request)
    context: dict[str, Any] = {
        "org": org,
        "errors": errors,
        "from_value": request.GET.get("from", ""),
        "to_value": request.GET.get("to", ""),
        "ancestors": ancestors_in_scope(request.user, org),
        "children": Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1).order_by("path")[
            :CHILDREN_SHOWN
        ],
    }
    if period is not None:
        context.update(
            period=period,
            query=urlencode({"org": org.code, **period.query()}),
            period_query=urlencode(period.query()),
            from_value=period.start.isoformat(),
            to_value=period.end.isoformat(),
        )
    return org, period, context

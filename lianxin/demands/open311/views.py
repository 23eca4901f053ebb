"""Open311 GeoReport v2 endpoints; the format is the URL's extension (.json or .xml).

Reading is open to anyone (an api_key, if given, must be valid and widens what is shown);
submitting needs an api_key. Every refusal is in the GeoReport error format with HTTP 400,
403 or 404, and nothing is written.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from lianxin.demands.open311 import serializers
from lianxin.demands.open311.auth import user_for_api_key
from lianxin.demands.open311.formats import FORMATS, Open311Error, render, render_error
from lianxin.demands.open311.selectors import open311_request, open311_request_list
from lianxin.demands.open311.submit import open311_request_create
from lianxin.demands.selectors.handling import active_categories, category_by_code

View = Callable[..., HttpResponse]


def georeport(view: View) -> View:
    """Check the format, and turn an Open311Error into the error format of that format."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
        try:
            if fmt not in FORMATS:
                raise Open311Error(400, _("Unknown format %(fmt)s: use .json or .xml.") % {"fmt": fmt})
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as error:
            return render_error(fmt, error)

    return wrapper


@require_GET
@georeport
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    url = request.build_absolute_uri(reverse("open311:index"))
    return render(fmt, "discovery", serializers.discovery_dict(url=url))


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The endpoint's root answers with its discovery document."""
    return discovery(request, fmt="json")


@require_GET
@georeport
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    categories = active_categories()
    return render(fmt, "services", [serializers.service_dict(c) for c in categories])


@require_GET
@georeport
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    category = category_by_code(code, active_only=True)
    if category is None:
        raise Open311Error(404, _("No service has the service_code %(code)s.") % {"code": code})
    return render(fmt, "service_definition", serializers.service_definition_dict(category))


def _rows(demands: list[Any]) -> list[dict[str, Any]]:
    return [serializers.request_dict(d, full=d.open311_full, updated=d.open311_updated) for d in demands]


@csrf_exempt
@require_http_methods(["GET", "POST"])
@georeport
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET: the requests matching the standard filters. POST: submit one (api_key required)."""
    if request.method == "POST":
        user = user_for_api_key(request, required=True)
        assert user is not None  # a missing key was refused
        demand = open311_request_create(user=user, data=request.POST)
        return render(fmt, "service_requests", [serializers.created_dict(demand)])
    viewer = user_for_api_key(request, required=False)
    return render(fmt, "service_requests", _rows(open311_request_list(user=viewer, params=request.GET)))


@require_GET
@georeport
def request_detail(request: HttpRequest, fmt: str, pk: str) -> HttpResponse:
    """One request, as a list of one like the spec's examples."""
    viewer = user_for_api_key(request, required=False)
    return render(fmt, "service_requests", _rows([open311_request(user=viewer, pk=pk)]))

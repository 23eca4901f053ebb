"""The JSON API under /api/v1/: one NinjaAPI, a router per app.

Every refusal answers one error body (lianxin.core.api_errors.ErrorOut), documented on every
operation; the Swagger UI at /api/v1/docs is served from static/vendor, never a CDN.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Swagger
from ninja.openapi.docs import _csrf_needed
from ninja.openapi.schema import OpenAPISchema

from lianxin.accounts.api import ApiKeyAuth, SessionAuth
from lianxin.activities.api import router as activities_router
from lianxin.briefings.api import router as briefings_router
from lianxin.care.api import router as care_router
from lianxin.community.api import router as community_router
from lianxin.core.api_errors import document_errors, error_response, install_error_handlers
from lianxin.core.api_parser import NulFreeParser
from lianxin.dashboards.api import router as dashboards_router
from lianxin.demands.api import router as demands_router
from lianxin.dues.api import router as dues_router
from lianxin.honours.api import router as honours_router
from lianxin.members.api import router as members_router
from lianxin.organizations.api import router as organizations_router
from lianxin.volunteering.api import router as volunteering_router
from lianxin.wishes.api import router as wishes_router

SWAGGER_UI = "vendor/swagger-ui-5.36.0"


class VendoredSwagger(Swagger):
    """Swagger UI from static/vendor, started by a script file (no inline script, no CDN)."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {"swagger_settings": settings, "api": api, "add_csrf": _csrf_needed(api), "swagger_ui": SWAGGER_UI}
        return render(request, "api/swagger.html", context)


class LianxinAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_errors(schema)
        return schema


api = LianxinAPI(
    title="Lianxin API",
    version="1",
    description="Party organizations, areas, service centres and members, scoped to the caller. "
    "Authenticate with `Authorization: Bearer <token>` (no CSRF token needed) or the pages' session "
    "(writes need the X-CSRFToken header). Every error answers ErrorOut: `detail` and `code`.",
    # The token first: a token request is never held to the session's CSRF check.
    auth=[ApiKeyAuth(), SessionAuth()],
    urls_namespace="api",
    parser=NulFreeParser(),
    docs=VendoredSwagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)
install_error_handlers(api)
api.add_router("/", organizations_router)
api.add_router("/members", members_router)
api.add_router("/wishes", wishes_router)
api.add_router("/volunteering", volunteering_router)
api.add_router("/community", community_router)
api.add_router("/demands", demands_router)
api.add_router("/activities", activities_router)
api.add_router("/dues", dues_router)
api.add_router("/honours", honours_router)
api.add_router("/care", care_router)
api.add_router("/", dashboards_router)
api.add_router("/briefings", briefings_router)


@csrf_exempt
def api_not_found(request: HttpRequest) -> HttpResponse:
    """Any other path under /api/: the JSON 404 of the API, not the HTML page."""
    return error_response(api, request, status=404, detail=_("There is no such API address."))

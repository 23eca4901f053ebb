"""One error body for every refusal of the JSON API, the handlers that write it, and its
documentation on every operation of the OpenAPI schema.

Every error answers `{"detail": "...", "code": "..."}` (ErrorOut); a request whose own
fields do not validate (422) also lists each field and what is wrong with it.
"""

from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as RequestValidationError

UNSAFE_METHODS = {"post", "put", "patch", "delete"}

# The code an error carries when the raiser gave none: one per status.
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    429: "throttled",
}


class FieldErrorOut(Schema):
    field: str = Field(..., description="where the value was read: query, path or body, then the field's name")
    message: str


class ErrorOut(Schema):
    """What every refusal answers."""

    detail: str = Field(..., description="what went wrong, in the request's language (Accept-Language)")
    code: str | None = Field(
        None,
        description="a stable reason for programs: bad_request, unauthorized, forbidden, csrf_failed, "
        "not_found, conflict, invalid (or a service's own, e.g. full), throttled",
    )
    errors: list[FieldErrorOut] | None = Field(None, description="422 only: each field of the request that is wrong")


class ApiError(HttpError):
    """An HttpError with a stable code for programs, e.g. ApiError(409, message, code="full")."""

    def __init__(self, status_code: int, message: str, *, code: str | None = None) -> None:
        super().__init__(status_code, message)
        self.code = code


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    detail: str,
    code: str | None = None,
    errors: list[dict[str, str]] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {"detail": detail, "code": code or CODES.get(status)}
    if errors is not None:
        body["errors"] = errors
    response = api.create_response(request, body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    if isinstance(exc.__cause__, RequestValidationError):
        # ninja answers 400 for any error while parsing the body; the parser's refusal says more.
        return _request_invalid(request, exc.__cause__, api)
    if exc.status_code == 401:
        detail = _("Log in, or send an API token in the header Authorization: Bearer <token>.")
    elif exc.status_code == 404:
        detail = _not_found_message()
    else:
        detail = str(exc)
    return error_response(api, request, status=exc.status_code, detail=detail, code=getattr(exc, "code", None))


def _not_found_message() -> str:
    return _("Not found, or outside what your account can see.")


def _not_found(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    return error_response(api, request, status=404, detail=_not_found_message())


def _forbidden(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    return error_response(api, request, status=403, detail=str(exc) or _("You may not do this."))


def _field_name(location: Any) -> str:
    parts = [str(part) for part in location]
    # ninja locates a body field as ("body", "<argument>", field...): the argument's name says nothing.
    if len(parts) > 2 and parts[0] == "body":
        parts = [parts[0], *parts[2:]]
    return ".".join(parts)


def _request_invalid(request: HttpRequest, exc: RequestValidationError, api: NinjaAPI) -> HttpResponse:
    errors = [{"field": _field_name(e.get("loc", ())), "message": str(e.get("msg", ""))} for e in exc.errors]
    listing = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    detail = _("Some fields of the request are not valid: %(fields)s") % {"fields": listing}
    return error_response(api, request, status=422, detail=detail, errors=errors)


# A service's refusal answers 409 when its code says the record's state is in the way (someone
# else changed it, it is full, closed, already done) and 422 when what was asked is not valid.
# Apps name their own conflict codes with conflict_codes() when their API module is imported.
CONFLICT_CODES: set[str] = {"conflict", "invalid_transition"}


def conflict_codes(*codes: str) -> None:
    """Declare codes of a service's ValidationError that the API answers with 409 Conflict.

    Call it once, at the top of the app's `api/__init__.py` (or `api.py`), with every code its
    services raise when the record's state is in the way rather than the request:
    `conflict_codes("full", "closed", "already_claimed")`. Any other code answers 422. The
    state machine's own codes ("conflict": someone moved it first; "invalid_transition")
    are declared here. The OpenAPI schema lists the declared codes under every 409.
    """
    CONFLICT_CODES.update(codes)


def _service_refused(request: HttpRequest, exc: DjangoValidationError, api: NinjaAPI) -> HttpResponse:
    codes = [e.code for e in exc.error_list] if hasattr(exc, "error_list") else []
    code = next((c for c in codes if c), None)
    status = 409 if code in CONFLICT_CODES else 422
    return error_response(api, request, status=status, detail=" ".join(exc.messages), code=code)


def install_error_handlers(api: NinjaAPI) -> None:
    """Register the one set of handlers: each refusal answers ErrorOut with its status."""
    api.add_exception_handler(HttpError, partial(_http_error, api=api))
    api.add_exception_handler(Http404, partial(_not_found, api=api))
    api.add_exception_handler(PermissionDenied, partial(_forbidden, api=api))
    api.add_exception_handler(RequestValidationError, partial(_request_invalid, api=api))
    api.add_exception_handler(DjangoValidationError, partial(_service_refused, api=api))


# ---------------------------------------------------------------------- documentation

DESCRIPTIONS = {
    400: "The request was read but cannot be done as asked (an unknown code, a bad date or period); "
    "nothing was written.",
    401: "No session and no valid API token.",
    403: "Not allowed, or a session write without its CSRF token (code csrf_failed); nothing was written.",
    404: "Not found, or outside the caller's scope.",
    409: "Refused by the record's state (someone changed it first, taken, full, closed, already done); "
    "nothing was written. The code is one of: {codes}.",
    422: "A field of the request is missing or not valid (errors lists them), or a service refused what "
    "was asked (code says why); nothing was written.",
}


def _description(status: int) -> str:
    if status == 409:
        return DESCRIPTIONS[409].format(codes=", ".join(sorted(CONFLICT_CODES)))
    return DESCRIPTIONS[status]


def error_statuses(method: str, operation: dict[str, Any]) -> list[int]:
    """The error statuses an operation can answer, from what the schema says it takes."""
    statuses = [404]
    if operation.get("parameters") or operation.get("requestBody"):
        statuses += [400, 422]
    if operation.get("security"):
        statuses += [401, 403]
    if method in UNSAFE_METHODS:
        # Every write goes through a service, which may refuse it (422) or find the state in the way (409).
        statuses += [409, 422]
    return sorted(set(statuses))


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add ErrorOut to the schema's components and each operation's error responses to it."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(error_schema.pop("$defs", {}))
    components["ErrorOut"] = error_schema
    reference = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            for status in error_statuses(method, operation):
                responses[status] = {"description": _description(status), **reference}
    return schema

"""Downloads in the audit trail: every list or document the app hands out as a file (an
attachment) is recorded, with who took it, what and with which filters (AuditEntry.EXPORT).

Views whose writing is a service (the roster export, the community feedback) record it
there; the others are wrapped with :func:`audited_download`. Public documents that name
nobody (a tour's schedule, a monthly notice of the public board) are not recorded.
"""

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.http import parse_header_parameters

from lianxin.core.models import AuditEntry
from lianxin.core.services import audit_record
from lianxin.core.types import Person

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def download_file_name(response: HttpResponseBase) -> str | None:
    """The file name of an attachment answer; None when the answer is a page, not a download."""
    disposition, params = parse_header_parameters(response.get("Content-Disposition", ""))
    return params.get("filename", "") if disposition == "attachment" else None


def export_record(*, actor: Person, target: str, file_name: str, filters: dict[str, str]) -> AuditEntry:
    return audit_record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        target=target,
        detail={"file": file_name, "filters": {k: v for k, v in filters.items() if v}},
    )


def audited_download(target: str) -> Callable[[View], View]:
    """Record each file the view answers with; `target` names the list or document, followed by
    the view's URL arguments (e.g. ``activities.attendance:12``). Pages it answers otherwise
    (a form, a refusal) are not recorded."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            response = view(request, *args, **kwargs)
            file_name = download_file_name(response)
            if response.status_code == 200 and file_name is not None:
                export_record(
                    actor=request.user,
                    target=":".join([target, *(str(v) for v in (*args, *kwargs.values()))]),
                    file_name=file_name,
                    filters=request.GET.dict(),
                )
            return response

        return wrapper  # type: ignore[return-value]

    return decorate

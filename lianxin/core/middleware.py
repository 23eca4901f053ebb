"""Pages that cannot read personal data say so, instead of failing with a server error.

A wrong or missing `LIANXIN_ENCRYPTION_KEY` (a restore with another key, a typo in the
environment) makes every stored ID and mobile number unreadable. Loading any account
with a mobile number then raises `DecryptionError`, at login as on every page. This
middleware answers 503 with a page saying what is wrong and logs it for the
administrator; the page itself reads no account, so it cannot fail the same way.
"""

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from lianxin.core.crypto import DecryptionError

logger = logging.getLogger("lianxin.security")


def encryption_key_error_response(request: HttpRequest, exc: DecryptionError) -> HttpResponse:
    logger.error(
        "Stored personal data cannot be decrypted on %s %s: LIANXIN_ENCRYPTION_KEY is not the key the data "
        "was written with (see docs/operations.md, 'A wrong key').",
        request.method,
        request.path,
        exc_info=exc,
    )
    language = translation.get_language_from_request(request)
    with translation.override(language):
        html = render_to_string("errors/encryption_key.html", {"language": translation.get_language()})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "3600"
    return response


class EncryptionKeyErrorMiddleware:
    """Turn `DecryptionError` in a view or its template into a clear 503.

    Only `process_exception` can see it: Django turns an exception raised below a middleware
    into a response before it reaches that middleware's `__call__`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DecryptionError):
            return encryption_key_error_response(request, exception)
        return None

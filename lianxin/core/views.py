from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lianxin.core.params import ParamError


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400: a request parameter (lianxin.core.params) says what was wrong with it; anything else, only "bad request"."""
    message = exception.message if isinstance(exception, ParamError) else ""
    return render(request, "errors/400.html", {"message": message}, status=400)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a form whose security token is missing or stale (a page left open, a cookie cleared):
    what happened and what to do, instead of Django's technical page. The reason stays in the log."""
    return render(request, "errors/403.html", {"form_expired": True}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)

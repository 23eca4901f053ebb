"""The floor under the member list: two signed-in pages that do nothing of their own, served beside it
in bench/roster_load.py, so a run shows what the framework alone costs on the same machine at the
same moment.

- `/bench/floor/empty/`: every middleware, the session and the account, and an empty answer;
- `/bench/floor/base/`: the same, and the site's base page (navigation, bell, footer) with no content.

Served only by the benchmark (bench/floor_settings.py); the application's URLs are unchanged.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401  (the site's error pages)


@login_required
def empty(request: HttpRequest) -> HttpResponse:
    return HttpResponse("", content_type="text/plain")


@login_required
def base(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


urlpatterns = [
    path("bench/floor/empty/", empty),
    path("bench/floor/base/", base),
    path("", include("config.urls")),
]

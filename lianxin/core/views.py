from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from lianxin.accounts.permissions import browse_scope


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Staff go to the tree; members and residents see what they can do."""
    if not browse_scope(request.user).is_empty:
        return redirect("organizations:tree")
    member = getattr(request.user, "member", None)
    return render(request, "home.html", {"member": member})


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)

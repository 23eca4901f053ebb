"""What every dues page reads from its request: the subtree (?org=), the year, today."""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone

from lianxin.accounts.types import Viewer
from lianxin.core.params import int_param
from lianxin.organizations.models import Organization
from lianxin.organizations.selectors import access_subtree

PAGE_SIZE = 50


def subtree_of(request: HttpRequest) -> Organization:
    """The organization a page covers, with its subtree: 404 outside the viewer's roster scope."""
    user: Viewer = request.user
    return access_subtree(user, request.GET.get("org") or request.POST.get("org"))


def year_of(request: HttpRequest, today: date) -> int:
    return int_param(request.GET.get("year"), name="year", default=today.year, min_value=2008, max_value=2100)


def today() -> date:
    return timezone.localdate()

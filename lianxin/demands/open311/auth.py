"""The `api_key` parameter of GeoReport v2, checked as the API's bearer tokens are."""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from lianxin.accounts.api import ApiKeyAuth
from lianxin.accounts.models import User
from lianxin.demands.open311.formats import Open311Error


def given_api_key(request: HttpRequest) -> str:
    """The key from the form body (how senders post) or the query string (how readers ask)."""
    return (request.POST.get("api_key") or request.GET.get("api_key") or "").strip()


def user_for_api_key(request: HttpRequest, *, required: bool) -> User | None:
    """The token's user; a missing key is refused when `required`, a wrong key always (403)."""
    key = given_api_key(request)
    if not key:
        if required:
            raise Open311Error(403, _("api_key is required to submit a service request."))
        return None
    user = ApiKeyAuth().authenticate(request, key)
    if user is None:
        raise Open311Error(403, _("The api_key is not valid or has been revoked."))
    return user

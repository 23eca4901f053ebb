"""The bell in the navigation: `{% notification_bell %}` shows the person's unread count (one query)."""

from typing import Any

from django import template
from django.utils.translation import get_language

from lianxin.notifications.robots import webhook_masked
from lianxin.notifications.selectors import unread_count

register = template.Library()


@register.inclusion_tag("notifications/bell.html", takes_context=True)
def notification_bell(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    # The bell's markup is kept once rendered for each count, page and language (bell.html).
    return {
        "unread": unread_count(user=user) if user is not None else 0,
        "current": getattr(match, "app_name", "") == "notifications",
        "LANGUAGE_CODE": get_language(),
    }


@register.filter
def masked_webhook(url: str) -> str:
    """A webhook address as a screen shows it: host and last four characters."""
    return webhook_masked(url)

"""How notifications are worded: parameters cut to fit one text message, several organizations named
as one, and any mobile or ID number masked before a text is kept."""

import re
from collections.abc import Sequence

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from lianxin.notifications.selectors import common_ancestor
from lianxin.organizations.models import Organization

# A mobile number or an ID number that slipped into a parameter is masked before anything is kept.
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")


def scrub(text: str) -> str:
    """`text` with any mobile or ID number masked (a guard: params should never hold one)."""
    return _ID_NUMBER.sub(r"\1********\2", _MOBILE.sub(r"\1****\2", text))


def shortened(text: str, limit: int) -> str:
    """`text` on one line, cut to `limit` characters (the last an ellipsis): a message fits one SMS."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def organizations_named(organizations: Sequence[Organization], limit: int) -> tuple[Organization | None, str]:
    """The organization a message is about and its name: the one, or, for several, their common ancestor
    and "N organizations under it" (in the platform's language, cut to `limit` characters)."""
    if len(organizations) == 1:
        only = organizations[0]
        return only, shortened(only.short_name or only.name, limit)
    above = common_ancestor(organizations)
    name = (above.short_name or above.name) if above is not None else ""
    with translation.override(settings.LANGUAGE_CODE):
        several = _("%(count)s organizations under %(organization)s")
    words = several % {"count": len(organizations), "organization": ""}
    # The name gives way, not the count: the whole stays within `limit`.
    return above, several % {"count": len(organizations), "organization": shortened(name, max(4, limit - len(words)))}

"""Labels for timeline rows: stored codes are shown in the reader's language."""

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from lianxin.members.models import Member
from lianxin.organizations.models import Organization
from lianxin.wishes.models import Wish

register = template.Library()

VERBS = {
    "created": _("created"),
    "updated": _("updated"),
    "imported": _("updated by roster import"),
    "transferred": _("organization relationship transferred"),
    "left": _("left the roster"),
    "moved": _("moved in the tree"),
    "merged": _("merged"),
    "absorbed": _("absorbed another organization"),
    "dissolved": _("dissolved"),
    "posted": _("posted"),
    "reviewed": _("reviewed and published"),
    "rejected": _("rejected"),
    "claimed": _("claimed"),
    "joined": _("joined"),
    "withdrawn": _("claim withdrawn"),
    "fulfilled": _("fulfilled"),
    "confirmed": _("confirmed"),
}

STATES = {**dict(Member.Category.choices), **dict(Organization.Status.choices), **dict(Wish.Status.choices)}


@register.filter
def verb_label(verb: str) -> str:
    return str(VERBS.get(verb, verb))


@register.filter
def state_label(state: str) -> str:
    return str(STATES.get(state, state)) if state else "—"


@register.filter
def field_label(name: str) -> str:
    try:
        field = Member._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))

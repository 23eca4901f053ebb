"""Timeline rows in the reader's language: each subject's model declares its own words (core/timeline.py)."""

from django import template

from lianxin.core import timeline
from lianxin.core.models import Event

register = template.Library()


@register.filter
def verb_label(event: Event) -> str:
    return timeline.verb_label(event)


@register.filter
def from_label(event: Event) -> str:
    return timeline.state_label(event, event.from_state)


@register.filter
def to_label(event: Event) -> str:
    return timeline.state_label(event, event.to_state)


@register.filter
def field_label(name: str, event: Event) -> str:
    return timeline.field_label(event, name)

"""Timeline rows in the reader's language: each subject's model declares its own words (core/timeline.py);
numbers written one way on every page (`figure`)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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


@register.filter
def figure(value: object) -> str:
    """A count or a number of hours as people read it, the same on every page: thousands
    grouped with commas, a whole number without decimals, any other with one ("23,597",
    "5,532", "2.5"), never "-0". Anything that is no number is shown as it is; nothing as "—"."""
    if value is None or isinstance(value, bool):
        return "—" if value is None else str(value)
    try:
        number = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    if number == 0:
        return "0"
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,.1f}"

"""How figures are written on the pages people read: one way, whatever the language.

Django's `intcomma` follows the locale, and Chinese has no thousands separator: a count came
out as "23597" while hours through `floatformat:1|intcomma` (a string, grouped by pattern)
came out as "5,532.0" beside it. `figure` writes every number the same way in every language:

    {{ 23597|figure }}              -> 23,597     a count (int): grouped, never a decimal point
    {{ Decimal("5532.46")|figure }} -> 5,532.5    a quantity (Decimal or float), e.g. hours:
    {{ Decimal("2620")|figure }}    -> 2,620.0    grouped, one decimal, rounded half up
    {{ None|figure }}               -> —          nothing to count

Anything else (a string, True/False) is shown as it is.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()

NOTHING = "—"
ONE_DECIMAL = Decimal("0.1")


@register.filter
def figure(value: object) -> str:
    if value is None:
        return NOTHING
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        try:
            rounded = value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
        except InvalidOperation:  # NaN or infinity: not a figure anyone counted
            return str(value)
        return f"{abs(rounded) if rounded == 0 else rounded:,.1f}"  # never "-0.0"
    return str(value)

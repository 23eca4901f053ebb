"""How the dashboard writes a registered figure and its change: a share as "96.52%", a count as every
figure page writes it (`figure`); a change with its sign, a count's in per cent of the earlier count
and a share's in percentage points."""

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext as _

from lianxin.core.templatetags.lianxin import figure
from lianxin.dashboards.selectors import Change

register = template.Library()
NONE = "—"


@register.filter
def measure_number(number: Any, measure: Any) -> str:
    if number is None:
        return NONE
    if measure.unit == "%":
        return f"{number}%"
    return figure(number)


def _signed(value: Decimal | int) -> str:
    return f"+{value}" if value > 0 else ("±0" if value == 0 else f"−{abs(value)}")


@register.filter
def change_text(change: Change | None, measure: Any) -> str:
    """ "+12.5%" of a count, "+1.25 points" of a share; "—" when there is nothing to compare."""
    if change is None or change.difference is None:
        return NONE
    if measure.unit == "%":
        return _("%(difference)s points") % {"difference": _signed(change.difference)}
    if change.percent is None:  # from nothing
        return _signed(change.difference)
    return f"{_signed(change.percent)}%"

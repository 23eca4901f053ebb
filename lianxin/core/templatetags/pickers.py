"""`{% picker kind name value %}`: a picker in a GET filter form, where no Django form is at hand.

It renders the same widget as PickerField, scoped to the request's user; the form sends `name`
(the chosen item's key: a code keeps `?org=CODE` links working) and `name_q` (the typed text,
which `picker_param` reads when the page ran without JavaScript)."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from lianxin.core.picker import PickerField, PickerWidget

register = template.Library()


@register.simple_tag(takes_context=True)
def picker(context: template.Context, kind: str, name: str, value: Any = "", element_id: str = "") -> SafeString:
    request = context.get("request")
    field = PickerField(kind, required=False).scope_to(getattr(request, "user", None))
    widget = field.widget
    assert isinstance(widget, PickerWidget)
    return widget.render(name, field.prepare_value(value) if value else "", attrs={"id": element_id or name})

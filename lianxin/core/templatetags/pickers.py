"""`{% picker kind name value %}`: a picker in a GET filter form, where no Django form is at hand.
`value` is the chosen item's key, or the item itself when the view has already found it in scope.

It renders the same widget as PickerField, scoped to the request's user; the form sends `name`
(the chosen item's key: a code keeps `?org=CODE` links working) and `name_q` (the typed text,
which `picker_param` reads when the page ran without JavaScript)."""

from typing import Any

from django import template
from django.db.models import Model
from django.utils.safestring import SafeString

from lianxin.core.picker import PickerField, PickerWidget

register = template.Library()


@register.simple_tag(takes_context=True)
def picker(context: template.Context, kind: str, name: str, value: Any = "", element_id: str = "") -> SafeString:
    request = context.get("request")
    field = PickerField(kind, required=False).scope_to(getattr(request, "user", None))
    widget = field.widget
    assert isinstance(widget, PickerWidget)
    if isinstance(value, Model):
        # Found by the view within the viewer's scope (it answers 404 otherwise): shown as it is.
        widget.resolved = value
    return widget.render(name, field.prepare_value(value) if value else "", attrs={"id": element_id or name})

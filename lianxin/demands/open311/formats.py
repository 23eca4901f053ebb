"""GeoReport v2 answers in the two formats of the spec: JSON and XML.

The same Python structure (lists of dicts of scalars, nested lists for the few repeated
elements) is written either way, so the JSON and the XML of one answer never disagree. XML
element names follow the spec: a list is a wrapper element holding one child per item, named
by CHILD_NAMES (<services><service>, <service_requests><request>, <errors><error>...).
"""

import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from django.http import HttpResponse

FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}

# The element of one item inside each list-valued wrapper.
CHILD_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}


class Open311Error(Exception):
    """An answer in the GeoReport error format: HTTP status and one or more descriptions."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__(*descriptions)
        self.status = status
        self.descriptions = descriptions


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _append(parent: ET.Element, name: str, value: Any) -> None:
    element = ET.SubElement(parent, name)
    if value is None:
        return
    if isinstance(value, Mapping):
        for key, inner in value.items():
            _append(element, key, inner)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        child = CHILD_NAMES[name]
        for item in value:
            _append(element, child, item)
    else:
        element.text = _text(value)


def to_xml(root: str, payload: Any) -> bytes:
    """`payload` as the XML document whose root element is `root`."""
    document = ET.Element(root)
    if isinstance(payload, Mapping):
        for key, value in payload.items():
            _append(document, key, value)
    else:
        for item in payload:
            _append(document, CHILD_NAMES[root], item)
    text: bytes = ET.tostring(document, encoding="utf-8", xml_declaration=True)
    return text


def render(fmt: str, root: str, payload: Any, status: int = 200) -> HttpResponse:
    """One answer: JSON is the payload itself, XML wraps it in the spec's root element."""
    body = to_xml(root, payload) if fmt == "xml" else json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def render_error(fmt: str, error: Open311Error) -> HttpResponse:
    """The GeoReport error format: [{code, description}] or <errors><error>...</errors>."""
    items = [{"code": error.status, "description": d} for d in error.descriptions]
    return render(fmt if fmt in FORMATS else "json", "errors", items, status=error.status)

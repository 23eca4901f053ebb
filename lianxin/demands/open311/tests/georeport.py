"""A GeoReport v2 client that knows only the spec, and the published schemas to check answers.

The client finds its endpoint through discovery, builds every URL from the spec's resource
names (services.{fmt}, requests.{fmt}, requests/{id}.{fmt}) and reads XML by the spec's
element names, so a test written with it passes only if any GeoReport client would work.
"""

import json
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from django.test import Client
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Answer

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


@cache
def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        if path.name == "swagger.json":
            continue
        resources.append(
            (path.name, Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT7))
        )
    return Registry().with_resources(resources)


def validate(instance: Any, schema_name: str) -> None:
    """Raise jsonschema.ValidationError unless `instance` matches the vendored schema."""
    schema = json.loads((SCHEMAS / schema_name).read_text())
    Draft7Validator(schema, registry=_registry()).validate(instance)


def validate_swagger(instance: Any, definition: str) -> None:
    """Check against a definition of swagger.json (the POST answer has no JSON Schema of its own)."""
    swagger = json.loads((SCHEMAS / "swagger.json").read_text())
    Draft7Validator(swagger["definitions"][definition]).validate(instance)


def xml_rows(body: bytes, root: str, item: str) -> list[dict[str, str | None]]:
    """<root><item><field>value</field>...</item>...</root> as dicts of text (None when empty)."""
    document = ET.fromstring(body)
    assert document.tag == root, document.tag
    rows = []
    for element in document:
        assert element.tag == item, element.tag
        rows.append({child.tag: child.text for child in element})
    return rows


class GeoReportClient:
    """Speaks GeoReport v2 over a Django test client, as an outside application would."""

    def __init__(self, http: Client, discovery_url: str, fmt: str = "json", api_key: str = "") -> None:
        self.http = http
        self.fmt = fmt
        self.api_key = api_key
        answer = http.get(discovery_url)
        assert answer.status_code == 200, answer.content
        endpoint = next(e for e in answer.json()["endpoints"] if e["specification"].endswith("GeoReport_v2"))
        self.base = urlsplit(endpoint["url"]).path

    def _get(self, resource: str, **params: str) -> "Answer":
        if self.api_key:
            params["api_key"] = self.api_key
        return self.http.get(f"{self.base}{resource}.{self.fmt}", params)

    def _read(self, answer: "Answer", root: str, item: str) -> list[dict[str, Any]]:
        if self.fmt == "json":
            rows: list[dict[str, Any]] = answer.json()
            return rows
        return xml_rows(answer.content, root, item)

    def services(self) -> list[dict[str, Any]]:
        return self._read(self._get("services"), "services", "service")

    def service_definition(self, code: str) -> "Answer":
        return self._get(f"services/{code}")

    def submit(self, **params: str) -> "Answer":
        """POST requests.{fmt} form-encoded, the way the spec (and FixMyStreet) sends it."""
        if self.api_key:
            params.setdefault("api_key", self.api_key)
        return self.http.post(
            f"{self.base}requests.{self.fmt}", urlencode(params), content_type="application/x-www-form-urlencoded"
        )

    def requests(self, **filters: str) -> list[dict[str, Any]]:
        answer = self._get("requests", **filters)
        assert answer.status_code == 200, answer.content
        return self._read(answer, "service_requests", "request")

    def request(self, service_request_id: str) -> list[dict[str, Any]]:
        answer = self._get(f"requests/{service_request_id}")
        assert answer.status_code == 200, answer.content
        return self._read(answer, "service_requests", "request")

    def created_id(self, answer: "Answer") -> str:
        assert answer.status_code == 200, answer.content
        rows = self._read(answer, "service_requests", "request")
        return str(rows[0]["service_request_id"])

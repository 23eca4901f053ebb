"""The API's docs page works offline: Swagger UI comes from static/vendor, never from a CDN."""

import json
import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

STATIC = "/" + settings.STATIC_URL.lstrip("/")


def test_the_docs_page_loads_only_local_files() -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "http://" not in page and "https://" not in page and "//cdn" not in page
    references = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(r.endswith("swagger-ui-bundle.js") for r in references)
    for reference in references:
        assert reference.startswith(STATIC), reference
        assert finders.find(reference.removeprefix(STATIC)), reference


def test_the_docs_page_reads_the_local_schema_and_runs_no_inline_script() -> None:
    page = Client().get("/api/v1/docs").content.decode()
    settings_json = re.search(r'<script id="swagger-settings" type="application/json">(.*?)</script>', page, re.S)
    assert settings_json is not None
    assert json.loads(settings_json.group(1))["url"] == "/api/v1/openapi.json"
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert all("src=" in attributes or "application/json" in attributes for attributes, _body in scripts)


def test_the_vendored_swagger_ui_carries_its_licence() -> None:
    licence = finders.find("vendor/swagger-ui-5.36.0/LICENSE")
    assert licence and "Apache License" in Path(licence).read_text(encoding="utf-8")

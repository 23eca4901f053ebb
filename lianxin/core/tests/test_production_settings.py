"""Production settings (issue 11, item 7): HTTPS only with HSTS, secure cookies, logins that end
with the browser or after a working day, and a strict Content-Security-Policy that every
response carries and that the templates keep to (no inline code)."""

import importlib.util
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from types import ModuleType

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

CSP = "Content-Security-Policy"
CSP_REPORT_ONLY = "Content-Security-Policy-Report-Only"
ENVIRONMENT = {
    "LIANXIN_ALLOWED_HOSTS": "dangjian.example.gov.cn",
    "LIANXIN_CSRF_TRUSTED_ORIGINS": "https://dangjian.example.gov.cn",
}


def _prod(monkeypatch: pytest.MonkeyPatch, **extra: str) -> ModuleType:
    for name, value in {**ENVIRONMENT, **extra}.items():
        monkeypatch.setenv(name, value)
    # A fresh module each time, read with this environment; the running settings stay as they are.
    spec = importlib.util.find_spec("config.settings.prod")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_production_settings_load_https_only_with_short_logins(monkeypatch: pytest.MonkeyPatch) -> None:
    prod = _prod(monkeypatch)
    assert prod.DEBUG is False and prod.ALLOWED_HOSTS == ["dangjian.example.gov.cn"]
    assert prod.SECURE_SSL_REDIRECT and prod.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    # HSTS long enough for browsers' preload lists (at least a year), subdomains included
    assert prod.SECURE_HSTS_INCLUDE_SUBDOMAINS
    assert timedelta(seconds=prod.SECURE_HSTS_SECONDS) >= timedelta(days=365)
    assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE and prod.SESSION_COOKIE_HTTPONLY
    # A login ends when the browser closes, and after a working day at the latest
    assert prod.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert timedelta(hours=8) <= timedelta(seconds=prod.SESSION_COOKIE_AGE) <= timedelta(hours=12)


def test_production_enforces_a_strict_policy_unless_told_to_report_only(monkeypatch: pytest.MonkeyPatch) -> None:
    prod = _prod(monkeypatch)
    assert "csp.middleware.CSPMiddleware" in prod.MIDDLEWARE
    directives = prod.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["default-src"] == directives["script-src"] == directives["style-src"] == ["'self'"]
    assert not any("unsafe" in source for sources in directives.values() for source in sources)
    assert not hasattr(prod, "CONTENT_SECURITY_POLICY_REPORT_ONLY")

    trying = _prod(monkeypatch, LIANXIN_CSP_REPORT_ONLY="1")
    assert trying.CONTENT_SECURITY_POLICY_REPORT_ONLY == prod.CONTENT_SECURITY_POLICY
    assert not hasattr(trying, "CONTENT_SECURITY_POLICY")


def test_the_production_settings_pass_djangos_deployment_checks() -> None:
    environment = {**os.environ, **ENVIRONMENT, "DJANGO_SETTINGS_MODULE": "config.settings.prod"}
    environment.pop("LIANXIN_CSP_REPORT_ONLY", None)
    # The browser tests' conftest allows sync database calls inside Playwright's event loop;
    # a production server never has that, and the deployment check refuses it.
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    checked = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.django_db
def test_a_page_carries_the_production_policy_and_hsts(monkeypatch: pytest.MonkeyPatch) -> None:
    prod = _prod(monkeypatch)
    with override_settings(
        CONTENT_SECURITY_POLICY=prod.CONTENT_SECURITY_POLICY,
        CONTENT_SECURITY_POLICY_REPORT_ONLY=None,
        SECURE_HSTS_SECONDS=prod.SECURE_HSTS_SECONDS,
        SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    ):
        response = Client().get(reverse("accounts:login"), secure=True)
    assert response.status_code == 200
    policy = dict(part.strip().split(" ", 1) for part in response[CSP].split(";"))
    assert policy["default-src"] == policy["script-src"] == policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == policy["object-src"] == "'none'"
    assert response["Strict-Transport-Security"] == f"max-age={prod.SECURE_HSTS_SECONDS}; includeSubDomains"
    assert CSP_REPORT_ONLY not in response


@pytest.mark.django_db
def test_tests_and_development_report_the_same_policy() -> None:
    response = Client().get(reverse("accounts:login"))
    assert "default-src 'self'" in response[CSP_REPORT_ONLY] and CSP not in response


INLINE_CODE = {
    "a <style> element": re.compile(r"<style[\s>]", re.IGNORECASE),
    "an inline <script>": re.compile(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", re.IGNORECASE),
    "a style attribute": re.compile(r"\sstyle=", re.IGNORECASE),
    "an on…= handler": re.compile(r"\son[a-z]+=", re.IGNORECASE),
    "an hx-on attribute (evaluated code)": re.compile(r"\shx-on", re.IGNORECASE),
    "a javascript: address": re.compile(r"javascript:", re.IGNORECASE),
}


def _templates() -> list[Path]:
    roots = [Path(settings.BASE_DIR) / "templates", *(Path(settings.BASE_DIR) / "lianxin").glob("*/templates")]
    return sorted(path for root in roots for path in root.rglob("*.html"))


def test_no_template_holds_inline_code_the_policy_would_block() -> None:
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {what}"
        for path in _templates()
        for what, pattern in INLINE_CODE.items()
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert len(_templates()) > 1 and found == []

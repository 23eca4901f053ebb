"""The Content-Security-Policy (django-csp 4): pages load scripts, styles, images and fonts from
this site only, and run no inline code. htmx and every other front-end file are vendored under
static/, so nothing is fetched from elsewhere; templates use classes and static/js/lianxin.js
instead of style attributes, <style>, <script> or on…= handlers.

Production sends it (prod.py); development and tests send it as report-only, so a browser
console shows a violation while a page is being built."""

from typing import Any

from csp.constants import NONE, SELF

STRICT_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

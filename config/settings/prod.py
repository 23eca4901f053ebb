"""Production: behind nginx, which terminates TLS and sets X-Forwarded-Proto (docs/deployment.md)."""

import os

from .base import *  # noqa: F403
from .content_security import STRICT_POLICY

DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("LIANXIN_ALLOWED_HOSTS", "").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("LIANXIN_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS only. Browsers remember it for a year (HSTS); start lower with LIANXIN_HSTS_SECONDS
# while trying the certificate out.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = int(os.environ.get("LIANXIN_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Not preloaded: joining browsers' built-in HSTS lists is the site owner's separate, slow-to-undo step.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]  # noqa: F405
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Cookies over HTTPS only; a login ends when the browser closes, and after a working day at most.
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 10 * 3600

# Content-Security-Policy: this site's files only, no inline code (content_security.py).
# LIANXIN_CSP_REPORT_ONLY=1 only reports violations in the browser console, e.g. while
# trying out a customised template.
if os.environ.get("LIANXIN_CSP_REPORT_ONLY", "") == "1":
    CONTENT_SECURITY_POLICY_REPORT_ONLY = STRICT_POLICY
else:
    CONTENT_SECURITY_POLICY = STRICT_POLICY

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .content_security import STRICT_POLICY

DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Mail and texts stay in memory (django.core.mail.outbox, lianxin.core.sms.outbox) whatever the environment says.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "lianxin.core.sms.LocmemBackend"
LIANXIN_SITE_URL = "https://lianxin.example.cn/"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Static files are served from the app folders; no collectstatic outside production.
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared-cache memory: tests with real threads (concurrent claims) need WAL
    # and the busy timeout, which in-memory SQLite lacks. One file per process, so parallel
    # runs never share it (xdist workers are processes, and pytest-django adds _gw0, _gw1, ...).
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"lianxin-test-{os.getpid()}.sqlite3")
    }

if "replica" in DATABASES:  # noqa: F405
    # No second test database: the replica alias reads the test database of default.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # noqa: F405

# The production Content-Security-Policy, reported but not enforced: browser tests see any
# violation in the console (tests/e2e/test_content_security.py enforces it on the main pages).
CONTENT_SECURITY_POLICY_REPORT_ONLY = STRICT_POLICY

from .base import *  # noqa: F403
from .content_security import STRICT_POLICY

DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

# Static files are served from the app folders; no collectstatic outside production.
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True

# The production Content-Security-Policy, reported in the browser console but not enforced.
CONTENT_SECURITY_POLICY_REPORT_ONLY = STRICT_POLICY

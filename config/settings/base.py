"""Settings shared by every environment.

Everything that differs between a laptop and a server comes from the environment:
DATABASE_URL (and DATABASE_REPLICA_URL for a streaming replica), LIANXIN_SECRET_KEY,
LIANXIN_ENCRYPTION_KEY, LIANXIN_ALLOWED_HOSTS, LIANXIN_TRUSTED_PROXIES, LIANXIN_SITE_URL, and
the channels that reach people: LIANXIN_EMAIL_URL, LIANXIN_EMAIL_FROM, LIANXIN_SMS_URL,
LIANXIN_SMS_SECRET (channels.py, docs/notifications.md).
"""

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.utils.translation import gettext_lazy as _

from config.settings.channels import email_settings, sms_settings
from lianxin.core.keys import load_or_create_key

# Django's generic classes (ModelAdmin[Member], forms.ModelChoiceField[Area], Field[...])
# take their type arguments at run time too, as mypy strict asks for them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

SECRET_KEY = load_or_create_key("LIANXIN_SECRET_KEY", VAR_DIR / "secret.key")
# Fernet key for ID and phone numbers at rest; losing it makes them unreadable.
ENCRYPTION_KEY = load_or_create_key("LIANXIN_ENCRYPTION_KEY", VAR_DIR / "encryption.key", fernet=True)

DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "treebeard",
    "django_tasks",
    "django_tasks_db",
    "lianxin.core",
    "lianxin.accounts",
    "lianxin.organizations",
    "lianxin.members",
    "lianxin.residents",
    "lianxin.notifications",
    "lianxin.wishes",
    "lianxin.volunteering",
    "lianxin.community",
    "lianxin.demands",
    "lianxin.activities",
    "lianxin.dues",
    "lianxin.honours",
    "lianxin.care",
    "lianxin.dashboards",
    "lianxin.workbench",
    "lianxin.briefings",
    "lianxin.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # the policy each environment sends: content_security.py
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "lianxin.core.middleware.EncryptionKeyErrorMiddleware",  # a wrong key answers 503, not 500
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "lianxin.accounts.context_processors.roles",
            ],
        },
    },
]

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # The navigation's and the bell's rendered fragments ({% cache %} in base.html and bell.html),
    # kept by each process apart from the public pages' bodies in the default cache.
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "template-fragments",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'lianxin.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer commits; IMMEDIATE takes the write lock at
    # BEGIN so two concurrent writers queue instead of failing half-way.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# A streaming replica of the primary: figures, boards and exports read there (lianxin/core/replica.py,
# docs/deployment.md); every write, and every other read, goes to the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60)
    DATABASE_ROUTERS = ["lianxin.core.replica.ReplicaRouter"]
# Read on the primary even where a view reads from the replica: who holds which role, tokens, sessions, throttles.
REPLICA_PRIMARY_MODELS = ["accounts.roleassignment", "accounts.apitoken", "sessions.session", "core.throttle"]
# No JIT compilation on any of the application's PostgreSQL connections: it added 0.15-1.1 s to each
# figure's statement, which it never won back (docs/adr/0015). The one place it is set.
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _database.setdefault("OPTIONS", {})["options"] = "-c jit=off"

# Covering indexes INCLUDE extra columns on PostgreSQL; SQLite uses the key columns only.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["lianxin.accounts.backends.UsernameOrMobileBackend"]
LOGIN_URL = "accounts:login"
# A form sent with a missing or stale security token gets a page that says what to do (errors/403.html).
CSRF_FAILURE_VIEW = "lianxin.core.views.csrf_failure"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed logins are counted per account (every spelling of its name or mobile number is one
# account) and lock it for a while. An address has its own ceiling against trying many accounts,
# far above what an office, or a city behind one proxy, reaches by mistyping.
LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_WINDOW_MINUTES = 15
LOGIN_ADDRESS_FAILURE_LIMIT = 1000
# Missed lookups of a public demand: per lookup code, and per address; counted apart from logins.
DEMAND_LOOKUP_FAILURE_LIMIT = 5
DEMAND_LOOKUP_ADDRESS_FAILURE_LIMIT = 200
DEMAND_PUBLIC_SUBMISSIONS_PER_HOUR = 10

# Mail over SMTP when LIANXIN_EMAIL_URL names a server, else printed to the console (channels.py).
globals().update(email_settings(os.environ.get("LIANXIN_EMAIL_URL", "")))
DEFAULT_FROM_EMAIL = os.environ.get("LIANXIN_EMAIL_FROM", "连心 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Text messages (one-time codes, notifications): through the HTTP gateway of LIANXIN_SMS_URL, signed with
# LIANXIN_SMS_SECRET; printed to the console until one is configured (lianxin/core/sms.py).
globals().update(
    sms_settings(
        os.environ.get("LIANXIN_SMS_URL", ""),
        os.environ.get("LIANXIN_SMS_SECRET", ""),
        backend=os.environ.get("LIANXIN_SMS_BACKEND", ""),
        timeout=os.environ.get("LIANXIN_SMS_TIMEOUT", ""),
    )
)
# The site's address as people reach it: links in e-mail, texts and group messages are made absolute with it.
LIANXIN_SITE_URL = os.environ.get("LIANXIN_SITE_URL", "http://127.0.0.1:8000/")
# Group robots post only to their platform's own host (oapi.dingtalk.com, qyapi.weixin.qq.com) and to these
# (comma-separated): a government deployment's own, such as 浙政钉's robot gateway.
LIANXIN_ROBOT_HOSTS = [h.strip().lower() for h in os.environ.get("LIANXIN_ROBOT_HOSTS", "").split(",") if h.strip()]

# The proxies (addresses or CIDR networks, comma-separated) whose X-Forwarded-For names the
# client; none by default, so the header is ignored unless the deployment says who sets it.
LIANXIN_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("LIANXIN_TRUSTED_PROXIES", "").split(",") if p.strip()]

# Figure snapshots (ADR 17): the figures of a subtree with at least this many branch-level organizations
# are computed in the background (manage.py snapshots_refresh, every minute), each again once it is this
# many minutes old, and pages read them while younger than the last setting; otherwise pages compute live.
LIANXIN_SNAPSHOT_MIN_BRANCHES = int(os.environ.get("LIANXIN_SNAPSHOT_MIN_BRANCHES", "5000"))
LIANXIN_SNAPSHOT_REFRESH_MINUTES = int(os.environ.get("LIANXIN_SNAPSHOT_REFRESH_MINUTES", "10"))
LIANXIN_SNAPSHOT_STALE_MINUTES = int(os.environ.get("LIANXIN_SNAPSHOT_STALE_MINUTES", "30"))

# Briefing templates staff add (lianxin/briefings/texts/README.md): the .txt files of this folder are offered
# beside the built-in ones, and one with a built-in one's name replaces it. Empty: the built-in ones only.
LIANXIN_BRIEFING_TEMPLATES_DIR = os.environ.get("LIANXIN_BRIEFING_TEMPLATES_DIR", "")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = VAR_DIR / "media"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

"""Akkoordmonitor settings: one module, driven by the environment.

Defaults are safe for production (debug off, secure cookies); the local run
command (`make run`) switches DEBUG on explicitly. SQLite is the zero-setup
default; set DATABASE_URL to use PostgreSQL.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    return os.getenv(name, default).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: str) -> int:
    return int(os.getenv(name, default))


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "False")

# Outside DEBUG a real key is mandatory: a missing key must stop the process,
# not fall back to a guessable one.
SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not os.getenv("PYTEST_VERSION"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. On a development machine run "
            "commands with DEBUG=1 (e.g. `DEBUG=1 .venv/bin/python manage.py migrate`); "
            "in production set SECRET_KEY (docs/operations.md)."
        )
    SECRET_KEY = "insecure-local-development-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "csp",
    "axes",
    "core",
    "commitments",
    "decisions",
    "operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # A NUL byte in the path or a parameter: 404 / 400 before any view queries with it.
    "operations.middleware.RejectNulMiddleware",
    # Search and exports per client address: 429 past RATE_LIMIT per RATE_LIMIT_WINDOW.
    "operations.middleware.RateLimitMiddleware",
    # Anonymous public pages from the cache, ETag/304, Cache-Control (core/pagecache.py).
    "core.pagecache.PageCacheMiddleware",
    # Turns "database unreachable" or a cancelled slow query inside a view into the 503 page.
    "operations.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite file in the project folder unless DATABASE_URL says otherwise.
# "?pool=true" on a PostgreSQL URL turns on psycopg 3's connection pool.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Persistent connections: a new PostgreSQL connection per request cost
        # 30-40% of a page's time. Health checks (below) replace a connection the
        # server dropped before it is used. 0 closes each one after its request.
        conn_max_age=envint("CONN_MAX_AGE", "60"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    if str(_options.get("pool", "")).lower() in {"true", "1"}:
        _options["pool"] = True
        # Django refuses persistent connections together with a pool.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
    _options.setdefault("connect_timeout", envint("DB_CONNECT_TIMEOUT", "5"))
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Waiting for a lock beats failing at once when an import runs beside the site.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", 20)

# PostgreSQL, web traffic only (operations.database.limit_web_queries, called by
# config/wsgi.py): a query running longer than this is cancelled and the visitor
# gets the 503 page, long before gunicorn's 30 s timeout would kill the worker;
# and the JIT compiler is off (it cost 260-400 ms on list queries that run in
# milliseconds without it). Management commands (imports, backups, migrations)
# keep the server's defaults. 0 turns the timeout off.
DB_STATEMENT_TIMEOUT_MS = envint("DB_STATEMENT_TIMEOUT_MS", "5000")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Caching (docs/performance.md, "Caching") ---
# Local memory (per process) by default; Redis, shared by every worker and every
# server, when REDIS_URL is set (e.g. redis://127.0.0.1:6379/0). Pages and
# rendered markdown are keyed on the content version (core/cache.py), so
# neither backend ever serves content older than the last committed write.
REDIS_URL = os.getenv("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.getenv("CACHE_KEY_PREFIX", "akk"),
            "TIMEOUT": envint("CACHE_TIMEOUT", "3600"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "akkoordmonitor",
            "TIMEOUT": envint("CACHE_TIMEOUT", "3600"),
            "OPTIONS": {"MAX_ENTRIES": envint("CACHE_MAX_ENTRIES", "5000")},
        }
    }
# Whole anonymous pages from the cache (core/pagecache.py); 0 turns it off.
PAGE_CACHE = envbool("PAGE_CACHE", "True")
# How long a browser or a shared proxy may reuse an anonymous page without
# asking again (Cache-Control max-age / s-maxage). After that it revalidates
# with its ETag and gets a 304 while nothing changed.
PAGE_MAX_AGE = envint("PAGE_MAX_AGE", "60")

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username/IP is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl-be", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production (STATIC_MANIFEST=1) serves the files that `collectstatic` gathered
# at build time: hashed names, compressed, cached for a year. Without it, tests
# and `make run` serve straight from the finders and need no collectstatic.
STATIC_MANIFEST = envbool("STATIC_MANIFEST", "False")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = DEBUG

# --- Transport and browser security (see docs/operations.md) ---
# Production runs behind a TLS-terminating reverse proxy that sets
# X-Forwarded-Proto; `make run` (DEBUG=1) is plain http on 127.0.0.1, so the
# https-only behaviour defaults to on exactly when DEBUG is off.
_HTTPS_DEFAULT = "False" if DEBUG else "True"
# Only sound because gunicorn is reachable through the proxy alone, and the
# proxy overwrites whatever X-Forwarded-Proto a client sent.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", _HTTPS_DEFAULT)
# Load balancers probe the health endpoints over plain http, inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "True")
# Preloading binds the whole registrable domain (a government domain we do not
# own) to https in every browser, for months after any change of mind: that is
# the domain owner's decision, so it is off and its deploy warning is silenced.
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "False")
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = envbool(
    "SECURE_COOKIES", _HTTPS_DEFAULT
)
# No script of ours reads a cookie, so none needs to be readable by one.
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = LANGUAGE_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Everything comes from our own origin: no inline script, style or event handler.
# data: images are what the admin's and the browsers' own widgets use for icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- Client addresses behind the reverse proxy ---
# Only a request that comes from one of these (addresses or networks) may name
# the client in X-Forwarded-For; from anyone else the header is ignored, so a
# client that reaches gunicorn directly cannot pick its own address.
TRUSTED_PROXIES = [
    ipaddress.ip_network(item, strict=False) for item in envlist("TRUSTED_PROXIES", "127.0.0.1,::1")
]

# --- Admin login: brute-force lockout (django-axes) ---
# Five wrong passwords from one client address lock that address for an hour,
# whatever usernames were tried (per username alone, an attacker rotates
# usernames); a correct login resets the count. Unlock: `manage.py axes_reset_ip`.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_HOURS", "1")
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_CLIENT_IP_CALLABLE = "operations.security.client_ip"
# Axes prints its configuration ("AXES: BEGIN version …") at every start,
# management commands included; failures and lockouts are still logged.
AXES_VERBOSE = False

# An admin session lasts a working day (8 hours), not Django's two weeks: a
# forgotten, unlocked office computer does not stay an open back office.
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(8 * 60 * 60))

# --- Expensive public endpoints: requests per client address ---
# At most RATE_LIMIT requests per RATE_LIMIT_WINDOW seconds per client address,
# counted per endpoint, in the default cache (per process with the local-memory
# cache, shared by all servers with Redis). 0 turns the limit off.
RATE_LIMIT = envint("RATE_LIMIT", "30")
RATE_LIMIT_WINDOW = envint("RATE_LIMIT_WINDOW", "60")
RATE_LIMITED_VIEWS = ["commitments:search", "commitments:section-export", "decisions:export"]

# The 403 page of a failed CSRF check, in Dutch and in the site's look.
CSRF_FAILURE_VIEW = "operations.views.csrf_failure"

SITE_NAME = "Akkoordmonitor"
# Four eyes: an editor's evaluation is a proposal until another person approves
# it. A one-person installation turns this off; proposals then publish at once.
EVALUATION_REVIEW = envbool("EVALUATION_REVIEW", "True")
# Real corpus files for the tests and benchmarks that need them (they skip
# where the folder is absent); the app itself never reads it.
CORPUS_SAMPLE_DIR = Path(
    os.getenv("CORPUS_SAMPLE_DIR", str(BASE_DIR.parent / "shared" / "corpus-sample"))
)
# Paging for the public lists; admins see Django's own.
PAGE_SIZE = envint("PAGE_SIZE", "25")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
}

"""Django settings for the MASH information sharing hub.

Everything an operator changes comes from the environment (see docs/operations.md):

- ``DATABASE_URL``: e.g. ``postgres://mash@db.internal/mash``. Absent: SQLite in WAL
  mode at ``$MASH_DATA_DIR/mash.sqlite3`` (the embedded default).
- ``SECRET_KEY``: Django's signing key. Absent: read from ``$MASH_DATA_DIR/secret_key``,
  created there (mode 0600) on first start, so an embedded install needs no set-up.
- ``DEBUG``: ``true`` to turn on debug pages. Off by default; never on in production.
- ``ALLOWED_HOSTS``: comma-separated host names. Default ``127.0.0.1,localhost``.
- ``MASH_DATA_DIR``: where the embedded database, keys and uploads live. Default ``./var``.
- Sign-in (docs/security.md, "Sign-in"): ``SESSION_IDLE_MINUTES`` (30),
  ``SESSION_ABSOLUTE_HOURS`` (10), ``SIGN_IN_FAILURE_LIMIT`` (5),
  ``SIGN_IN_LOCKOUT_MINUTES`` (30), ``API_RATE_LIMIT`` (``300/min``), and the optional
  OpenID Connect sign-in (``OIDC_ENABLED`` and the ``OIDC_*`` settings below);
  ``CACHE_URL`` (where the rate limit counts: per process unless ``db`` or Redis).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DATA_DIR = Path(os.environ.get("MASH_DATA_DIR", Path.cwd() / "var")).resolve()


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves its API docs page from our static files (no CDN, strict CSP)
    "django_tasks",  # background work (docs/decisions/0003-timeliness.md)
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "mash.agencies",
    "mash.enquiries",
    "mash.sharing",
    "mash.consent",
    "mash.records",
    "mash.keys",
    "mash.retention",
    "mash.reports",
    "mash.timeliness",
    "mash.people",
    "mash.guidance",
    "mash.api",
    "mash.operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mash.lib.middleware.CorrelationIdMiddleware",
    # Every answer from /api/ is JSON; body size and nesting limits before parsing.
    "mash.api.middleware.APIErrorsMiddleware",
    "mash.lib.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the user read in the same statement as the session.
    "mash.agencies.middleware.HubAuthenticationMiddleware",
    "mash.agencies.middleware.HubOTPMiddleware",
    "mash.records.middleware.RecordMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute timeouts, sign-out everywhere, and two-factor before anything else
    # (default deny): after messages, so "you were signed out" reaches the sign-in page.
    "mash.agencies.middleware.SignInMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Lockout after repeated failed sign-ins (django-axes): last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mash.urls"
WSGI_APPLICATION = "mash.wsgi.application"

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
                "mash.lib.context_processors.service",
                "mash.timeliness.context_processors.notifications",
            ],
        },
    }
]

if os.environ.get("DATABASE_URL"):
    # Connections are kept a minute, and checked before a request reuses one: after the
    # database restarts or terminates connections, a thread's first query reconnects
    # instead of failing (a burst of 500s otherwise).
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True
        )
    }
    # Django's PostgreSQL backend whose health check skips the round trip while the
    # connection is plainly alive (mash/lib/postgresql/base.py).
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["ENGINE"] = "mash.lib.postgresql"
    # The server binds each statement's values and plans a statement once per
    # connection after it has run twice, instead of parsing and planning it on every
    # request (docs/decisions/0011-prepared-statements.md). Off for a connection pooler
    # in transaction mode that does not keep prepared statements (PgBouncer before
    # 1.21, or without ``max_prepared_statements``).
    if DATABASES["default"]["ENGINE"] == "mash.lib.postgresql" and env_bool(
        "DATABASE_PREPARED_STATEMENTS", default=True
    ):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=2
        )
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "mash.sqlite3"),
            # Each thread keeps its connection a minute, as on PostgreSQL (issue 13):
            # opening the file and running the PRAGMAs below cost a signed-in request
            # more than all of its queries. Every connection still runs them when it
            # opens; between requests a kept connection holds no transaction, so it
            # blocks no writer and no checkpoint (the sweep's wal_checkpoint(TRUNCATE)).
            "CONN_MAX_AGE": 60,
            "OPTIONS": {
                # WAL lets readers carry on while one writer writes; IMMEDIATE takes the
                # write lock at BEGIN so two writers queue instead of failing mid-way.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                    "PRAGMA secure_delete=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "agencies.User"
LOGIN_URL = "/sign-in"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/sign-in"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# NCSC password guidance: long passphrases, a deny list, no forced complexity (no rules
# about digits or symbols, no expiry). Django's common-password list plus the hub's own
# words (mash.agencies.passwords).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "mash.agencies.passwords.HubWordsValidator"},
]

# django-axes first: it refuses a locked-out username and IP before any password check.
AUTHENTICATION_BACKENDS = [
    "mash.agencies.backends.HubAxesBackend",
    "mash.agencies.backends.HubModelBackend",
]

# --- Sign-in (docs/security.md, "Sign-in") ----------------------------------------------

# Lockout (django-axes): this many failed sign-ins from one address for one username lock
# that pair out for SIGN_IN_LOCKOUT_MINUTES; an administrator can unlock sooner
# (docs/admin-guide.md). A success resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SIGN_IN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "mash.agencies.views.locked_out"
AXES_VERBOSE = False  # its log lines carry the typed username
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_IPWARE_PROXY_COUNT = 1 if env_bool("BEHIND_TLS_PROXY") else None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if env_bool("BEHIND_TLS_PROXY") else ["REMOTE_ADDR"]
)

# Two-factor (django-otp): a code is refused for a while after repeated wrong ones.
OTP_TOTP_ISSUER = os.environ.get("MASH_SERVICE_NAME", "MASH information sharing hub")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
MASH_RECOVERY_CODES = 10

# Sessions end after SESSION_IDLE_MINUTES without a request, and SESSION_ABSOLUTE_HOURS
# after signing in whatever happens (mash.agencies.middleware).
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
SESSION_ABSOLUTE_HOURS = float(os.environ.get("SESSION_ABSOLUTE_HOURS", "10"))

# API rate limit per signed-in user (per address when signed out), as ninja's
# "requests/period" (e.g. "300/min"); answers 429 beyond it.
MASH_API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300/min")
# Largest JSON body the API reads, in bytes (mash.api.middleware): 413 above it.
MASH_API_MAX_BODY_BYTES = int(os.environ.get("API_MAX_BODY_BYTES", str(1024 * 1024)))


def _time_of_day(name: str, default: str) -> str:
    """A daily run's time from the environment (hub time, HH:MM), or "off"; a value
    that is neither stops the hub at start, naming the variable."""
    value = os.environ.get(name, default).strip().lower()
    if value not in ("", "off", "none"):
        try:
            time.fromisoformat(value)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must be a time of day such as {default}, or off: {value!r}"
            ) from None
    return value


# When `mash worker` runs the daily retention sweep (hub time, HH:MM); "off" when an
# operator runs `mash retention sweep` from cron instead (docs/operations.md).
RETENTION_SWEEP_AT = _time_of_day("RETENTION_SWEEP_AT", "03:30")
# When `mash worker` counts the dashboard's figures for the settled days (hub time,
# HH:MM); "off" when an operator runs `mash reports count-figures` from cron instead.
REPORT_FIGURES_AT = _time_of_day("REPORT_FIGURES_AT", "02:30")


# The record's witness (docs/operations.md, "The witness"): every committed head of the
# chain and every signed checkpoint, appended to files outside the database. Point it at
# another volume or host in production; "off" turns witnessing off (not for production).
MASH_RECORD_WITNESS_DIR = os.environ.get("MASH_RECORD_WITNESS_DIR", "") or str(DATA_DIR / "witness")
MASH_RECORD_WITNESS_FSYNC = env_bool("MASH_RECORD_WITNESS_FSYNC")
# How often `mash worker` signs a checkpoint of the record (minutes; 0 or "off": never).
_checkpoint_minutes = os.environ.get("MASH_RECORD_CHECKPOINT_MINUTES", "5").strip().lower()
try:
    MASH_RECORD_CHECKPOINT_MINUTES = (
        0.0 if _checkpoint_minutes in ("off", "none", "") else float(_checkpoint_minutes)
    )
except ValueError:
    raise ImproperlyConfigured(
        f"MASH_RECORD_CHECKPOINT_MINUTES must be a number of minutes, or off: "
        f"{_checkpoint_minutes!r}"
    ) from None

# An RFC 3161 time-stamping authority that timestamps each signed checkpoint (docs/
# operations.md, "Timestamps"): its URL (http or https; empty or "off": no timestamps), the
# PEM certificate (the TSA's own, or the CA that issued it) its tokens are checked against,
# and how long to wait for it (seconds). A TSA that does not answer never stops a
# checkpoint: the failure is logged and the next checkpoint asks again.
MASH_RECORD_TSA_URL = os.environ.get("MASH_RECORD_TSA_URL", "").strip()
if MASH_RECORD_TSA_URL.lower() in ("off", "none"):
    MASH_RECORD_TSA_URL = ""
if MASH_RECORD_TSA_URL and not MASH_RECORD_TSA_URL.lower().startswith(("http://", "https://")):
    raise ImproperlyConfigured("MASH_RECORD_TSA_URL must be an http:// or https:// address, or off")
MASH_RECORD_TSA_CERT_FILE = os.environ.get("MASH_RECORD_TSA_CERT_FILE", "").strip()
try:
    MASH_RECORD_TSA_TIMEOUT = float(os.environ.get("MASH_RECORD_TSA_TIMEOUT", "10"))
except ValueError:
    raise ImproperlyConfigured("MASH_RECORD_TSA_TIMEOUT must be a number of seconds") from None


def cache_from_url(url: str) -> dict[str, Any]:
    """Django's cache, where the rate limit counts (docs/operations.md): ``CACHE_URL``
    unset or ``locmem`` is per process; ``db`` is a table in the hub's database, shared
    by every process using it (run ``mash createcachetable`` once); ``redis://...`` is
    Django's Redis cache (install the ``redis`` package)."""
    url = url.strip()
    if url in ("", "locmem"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if url in ("db", "database"):
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "mash_cache",
        }
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured("CACHE_URL must be empty, 'locmem', 'db' or a redis:// address")


CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", ""))}

# Optional OpenID Connect sign-in for agencies with their own identity provider
# (mozilla-django-oidc). Off unless OIDC_ENABLED; maps to existing users only, by e-mail.
OIDC_ENABLED = env_bool("OIDC_ENABLED")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_CREATE_USER = False
OIDC_RP_SCOPES = "openid email"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
LOGIN_REDIRECT_URL_FAILURE = "/sign-in?oidc=failed"
# Always installed, so turning it on is only the environment; it answers nothing while off.
AUTHENTICATION_BACKENDS.append("mash.agencies.oidc.HubOIDCBackend")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, g:ia"

STATIC_URL = "/static/"
# ``mash serve`` collects the static files here (``collectstatic``) under hashed names,
# each with Brotli and gzip twins, and WhiteNoise serves those cached for a year
# (docs/operations.md, "Static files"). Until they are collected (tests, ``runserver``),
# WhiteNoise serves them from the apps (finders) under their own names, briefly cached.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or DATA_DIR / "static").resolve()
with contextlib.suppress(OSError):  # a read-only image has it made and filled already
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# (With DEBUG on, always from the apps: an edited file shows at once.)
STATIC_COLLECTED = env_bool("MASH_HASHED_STATIC") or (
    not DEBUG and (STATIC_ROOT / "staticfiles.json").exists()
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            # WhiteNoise's, compressing each file once (mash.lib.staticfiles).
            "mash.lib.staticfiles.HubStaticFilesStorage"
            if STATIC_COLLECTED
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# The site's own assets (GOV.UK/MOJ Frontend vendored, app.css, app.mjs): ``mash`` itself
# is not an app, so its static folder is named here for the finders.
STATICFILES_DIRS: list[Path] = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = not STATIC_COLLECTED
WHITENOISE_AUTOREFRESH = DEBUG

# Django's own CSRF failure page carries an inline <style> the CSP refuses; use ours.
CSRF_FAILURE_VIEW = "mash.views.csrf_failure"

MEDIA_ROOT = DATA_DIR / "uploads"  # never served directly: only through access-checked views
# Largest consent form (evidence) accepted, in bytes (docs/consent.md).
MASH_CONSENT_EVIDENCE_MAX_BYTES = int(
    os.environ.get("MASH_CONSENT_EVIDENCE_MAX_BYTES", str(5 * 1024 * 1024))
)

# Sessions and cookies: secure by default; the demo over plain http turns SECURE off.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The cookie lives as long as the absolute timeout; the idle timeout is checked on the
# server (mash.agencies.middleware), so the person is told why they were signed out.
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_HOURS * 3600)
# Saved when it changes (signing in, the last-seen time at most once a minute, a draft),
# not on every request: the cookie ends with the browser, and the row outlives the
# absolute timeout from the moment it was written at sign-in.
SESSION_SAVE_EVERY_REQUEST = False
# Django's database sessions, each read with its user in one fixed statement.
SESSION_ENGINE = "mash.agencies.sessions"
# How long breaking the glass on a restricted enquiry opens it for (mash.enquiries).
BREAK_GLASS_MINUTES = int(os.environ.get("BREAK_GLASS_MINUTES", "60"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# "same-origin", not "no-referrer": with no-referrer browsers send "Origin: null" on a form
# POST, which Django's CSRF check refuses, so no form would work in a real browser. Other
# sites still get no referrer.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY") else None
)

# Background work (docs/operations.md, "Background work"): one queue in the database,
# run by ``mash worker`` on any number of machines.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# E-mail notifications (reminders, escalations, the daily digest). SMTP from the
# environment; ``EMAIL_BACKEND=console`` prints them (the demo). The links in e-mails
# start with MASH_BASE_URL.
_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}
EMAIL_BACKEND = _EMAIL_BACKENDS.get(
    os.environ.get("EMAIL_BACKEND", "smtp"), os.environ.get("EMAIL_BACKEND", "")
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "mash-hub@localhost")
MASH_BASE_URL = os.environ.get("MASH_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# A notice whose e-mail fails is tried again by the worker, waiting RETRY_SECONDS, then
# twice that, and so on, up to MAX_ATTEMPTS tries in all; then it is marked failed for
# the administrator (docs/operations.md, "If e-mail fails").
MASH_EMAIL_MAX_ATTEMPTS = int(os.environ.get("MASH_EMAIL_MAX_ATTEMPTS", "5"))
MASH_EMAIL_RETRY_SECONDS = float(os.environ.get("MASH_EMAIL_RETRY_SECONDS", "60"))

MASH_SERVICE_NAME = os.environ.get("MASH_SERVICE_NAME", "MASH information sharing hub")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(correlation_id)s] %(message)s"}
    },
    "filters": {"correlation": {"()": "mash.lib.middleware.CorrelationIdLogFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["correlation"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request lines carry URLs and nothing else; URLs never hold personal data.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "INFO"},
        # django-axes logs every sign-in at INFO; lockouts (WARNING) are enough here, and
        # the record keeps every sign-in and failure.
        "axes": {"level": "WARNING"},
    },
}

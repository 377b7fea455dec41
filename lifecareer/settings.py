"""One settings module, driven by the environment.

Defaults are safe for production (DEBUG off, secure cookies, HSTS); `make run` and the
tests opt in to development behaviour through environment variables set in the Makefile.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("DEBUG", False)

PLACEHOLDER_SECRET = "dev-only-insecure-secret-key-change-me"  # noqa: S105 - refused below
SECRET_KEY = os.environ.get("SECRET_KEY", PLACEHOLDER_SECRET)
if not DEBUG and (SECRET_KEY == PLACEHOLDER_SECRET or len(SECRET_KEY) < 40):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 40 characters when DEBUG is off."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
CSRF_FAILURE_VIEW = "core.views.csrf_failure"  # the site's page, with a checked link back
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "lifecareer",
    "core",
    "simple_history",
    "axes",
    "diagnosis",
    "catalog",
    "journeys",
    "accounts",
    "programmes",
    "notifications",
    "rescue",
    "courses",
    "counselling",
    "aftercare",
    "referrals",
    "outcomes",
    "centres",
    "insights",
    "django_q",
    "api",
    "ninja",
]

MIDDLEWARE = [
    # X-Forwarded-Proto is believed only from TRUSTED_PROXIES (before anything calls is_secure()).
    "core.clientip.ProxyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads a cookie, the path or the body: refuse text no person can type.
    "core.edge.HostileInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise (which serves its own precompressed static files and returns early),
    # above everything that reads or writes the body. Django's, at level 1 (core/gzip.py):
    # each gzip stream padded with random bytes ("Heal The BREACH"), and CSRF tokens are
    # masked per response.
    "core.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.locale_middleware.LocaleMiddleware",  # Django's, without its path-prefix lookups (no i18n_patterns)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.csp.SitePolicyCSPMiddleware",  # django-csp's, the site policy built once
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "core.access.AccessRuleMiddleware",
]

ROOT_URLCONF = "lifecareer.urls"
WSGI_APPLICATION = "lifecareer.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # `{% extends %}` with the root template's blocks found once per process.
            "builtins": ["lifecareer.templatetags.kept_extends"],
        },
    },
]

# Django's, with plain <input> widgets built without templates (core/forms_renderer.py).
FORM_RENDERER = "core.forms_renderer.FormRenderer"

# --- Database -------------------------------------------------------------------------
# SQLite is the embedded default; DATABASE_URL=postgres://... switches to PostgreSQL.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'lifecareer.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)}
SQLITE_ENGINE = "core.sqlite"  # Django's, with writers that queue in the kernel (core/sqlite, ADR 0013)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE transactions + a busy timeout: concurrent writers queue instead of
    # failing with "database is locked" (see ../shared/reference/performance.md).
    DATABASES["default"]["ENGINE"] = SQLITE_ENGINE
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if env_bool("SQLITE_NO_PERSIST", False) else 600
# Optional streaming replica of the primary (PostgreSQL), read only by report views that ask
# for it through lifecareer.db_router.report_db(); writes and all other reads stay on the
# primary. Unreachable replica: reports fall back to the primary. docs/operations.md §10.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=600, conn_health_checks=True
    )
    if DATABASES["replica"]["ENGINE"] != dj_database_url.parse(DATABASE_URL)["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must use the same database engine as DATABASE_URL.")
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        # a dead replica host must not hold a report for long; the name shows in pg_stat_activity
        DATABASES["replica"]["OPTIONS"] = {"connect_timeout": 2, "application_name": "lifecareer-report"}
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["lifecareer.db_router.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every worker process, so limits (core/ratelimit.py) hold site-wide:
# a database table by default (created by `migrate`, see core/apps.py), Redis with REDIS_URL.
CACHES: dict[str, dict[str, object]] = {
    "default": {
        "BACKEND": "core.cache.DatabaseCache",
        "LOCATION": "lifecareer_cache",
        # Django's default 300 would, once reached, delete a third of the live counters.
        "OPTIONS": {"MAX_ENTRIES": 200_000},
    }
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
# Rendered reference data, per worker process (core/fragments.py): no network, no SQL.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "lifecareer-fragments",
    "TIMEOUT": 60 * 60,
    "OPTIONS": {"MAX_ENTRIES": 5_000},
}
# A person's own page parts (core/page_cache.py), per worker process, a few minutes at most:
# rendered personal data never leaves the process that rendered it.
CACHES["personal"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "lifecareer-personal",
    "TIMEOUT": 5 * 60,
    "OPTIONS": {"MAX_ENTRIES": 2_000},
}
FRAGMENT_STAMP_TTL = float(os.environ.get("FRAGMENT_STAMP_TTL", "1.0"))

# --- Auth -----------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/me/"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a login attempt while an address/user is locked out.
    "axes.backends.AxesStandaloneBackend",
    # then the per-client-address limit across accounts (accounts/lockout.py).
    "accounts.lockout.ClientLimitBackend",
    # Django's ModelBackend, the person looked up without the ORM's compiler (accounts/backends.py).
    # Sessions signed in through "django.contrib.auth.backends.ModelBackend" before it sign in once more.
    "accounts.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Lock-outs count per (e-mail, client address): someone else's failures never lock the
# owner out from their own address. The client address comes from the trusted proxy.
AXES_CLIENT_IP_CALLABLE = "core.clientip.axes_client_ip"

# Addresses (or networks, e.g. 10.0.0.0/8) of the reverse proxies in front of the app.
# X-Forwarded-For is believed only from these (core/clientip.py; docs/operations.md §5).
# The default fits the documented set-up: the proxy on the same host, granian on loopback.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1,::1")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network") from _exc

# --- I18n / time ------------------------------------------------------------------------
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("한국어")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Date formats per language (|date:"DATE_FORMAT" etc.): lifecareer/formats/<lang>/formats.py
FORMAT_MODULE_PATH = ["lifecareer.formats"]
TIME_ZONE = "Asia/Seoul"  # shown to people; stored values stay UTC (USE_TZ)
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0

# --- Mail -----------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "생애경력설계 <noreply@lifecareer.local>")

# --- Security -------------------------------------------------------------------------
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, read with one plain SELECT (core/sessions.py).
SESSION_ENGINE = "core.sessions"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30  # 30 days: an unfinished diagnosis can be resumed
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # only from TRUSTED_PROXIES (core/clientip.py)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Project --------------------------------------------------------------------------
INSTRUMENT_DIR = BASE_DIR / "diagnosis" / "instrument_data"

# --- programmes ---
# The invented demo schedule (sessions marked "시연용 일정") is loaded by
# load_reference_data only when this is on: development by default, never in production
# unless asked for explicitly.
LOAD_DEMO_SCHEDULE = env_bool("LOAD_DEMO_SCHEDULE", DEBUG)

# --- notifications ---------------------------------------------------------------------
# Background jobs (django-q2) and the notification outbox; see docs/jobs.md.
# Embedded default: the ORM broker keeps the queue in this app's own database (SQLite or
# PostgreSQL), so `make run` needs no extra server. REDIS_URL switches the broker to Redis
# (needs the `redis` package). Workers are separate processes: `manage.py qcluster`.
Q_CLUSTER: dict[str, object] = {
    "name": "lifecareer",
    "workers": env_int("Q_WORKERS", 2),
    "timeout": env_int("Q_TIMEOUT", 60),  # a task running longer is killed
    "retry": env_int("Q_RETRY", 90),  # an unacknowledged task is handed out again after this
    "max_attempts": env_int("Q_MAX_ATTEMPTS", 5),
    "ack_failures": True,  # a task that raised is not retried by the broker; the outbox sweep decides
    "catch_up": False,  # after downtime run each missed schedule once, not once per missed slot
    "sync": False,
    "save_limit": 500,
    "label": "백그라운드 작업",
    "orm": "default",
}
if int(Q_CLUSTER["retry"]) <= int(Q_CLUSTER["timeout"]):  # type: ignore[call-overload]
    raise ImproperlyConfigured("Q_RETRY must be larger than Q_TIMEOUT, or running tasks are handed out twice.")
if os.environ.get("REDIS_URL"):
    del Q_CLUSTER["orm"]
    Q_CLUSTER["redis"] = os.environ["REDIS_URL"]

NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 8)  # per message (backing off 2, 4, 8 … min), then `failed`
NOTIFICATIONS_PENDING_GRACE = env_int("NOTIFICATIONS_PENDING_GRACE", 120)  # s before the sweep re-queues a pending message
NOTIFICATIONS_SENDING_TIMEOUT = env_int("NOTIFICATIONS_SENDING_TIMEOUT", 300)  # s before a `sending` claim counts as dead
NOTIFICATIONS_RETENTION_DAYS = env_int("NOTIFICATIONS_RETENTION_DAYS", 90)  # sent/failed messages are then deleted
NOTIFICATIONS_TEST_DELAY_MS = env_int("NOTIFICATIONS_TEST_DELAY_MS", 0)  # test only: pause before each send
NOTIFICATIONS_QUEUE_SYNC = env_bool("NOTIFICATIONS_QUEUE_SYNC", False)  # tests: run delivery tasks in-process on commit
if NOTIFICATIONS_SENDING_TIMEOUT <= EMAIL_TIMEOUT:
    raise ImproperlyConfigured("NOTIFICATIONS_SENDING_TIMEOUT must be larger than EMAIL_TIMEOUT.")
SMS_BACKEND = os.environ.get("SMS_BACKEND", "notifications.channels.sms.LogSmsBackend")

AT_RISK_LEAD_DAYS = env_int("AT_RISK_LEAD_DAYS", 7)  # under minimum this close to the start = at risk of 폐강
HOLD_HOURS = env_int("HOLD_HOURS", 48)  # a seat offered to a displaced person is kept this long
INVITATION_PRIORITY_HOURS = env_int("INVITATION_PRIORITY_HOURS", 72)  # invited people enrol first
OPERATOR_EMAILS = env_list("OPERATOR_EMAILS", "")  # who hears about at-risk sessions and pooled demand; empty = all staff

LOGGING.setdefault("loggers", {})["lifecareer.sms"] = {  # type: ignore[index]
    "handlers": ["console"], "level": "INFO", "propagate": False,
}
if DATABASES["default"]["ENGINE"] == SQLITE_ENGINE:
    # A file, not memory, for the test database, so the crash test's worker processes see it.
    import tempfile

    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"lifecareer-test-{os.getpid()}.sqlite3")
    }

# --- accounts ---
# django-axes counts failed log-ins per e-mail address whatever its letter case.
AXES_USERNAME_CALLABLE = "accounts.lockout.username_of"

# --- PDFs (core/pdf.py) ---
# The Pretendard GOV web-font subsets, converted to TrueType with a space glyph on first use
# (`manage.py build_pdf_fonts` at deploy converts them all). Must be writable by the app.
PDF_FONT_CACHE_DIR = Path(os.environ.get("PDF_FONT_CACHE_DIR", str(BASE_DIR / "var" / "pdf-fonts")))

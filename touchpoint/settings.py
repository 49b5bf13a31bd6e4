"""Touchpoint settings: everything comes from environment variables, with safe local defaults."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=True)
# A fixed development key keeps sessions across restarts; production must set SECRET_KEY
# (the deploy check refuses this one because it starts with "django-insecure").
SECRET_KEY = env_str("SECRET_KEY", "django-insecure-touchpoint-local-development-only")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The address used in emails and links that leave the site (invitations, password resets,
# certificates' QR codes and credential ids). Unset, it is where `make serve` listens
# (HOST and PORT, which the Makefile passes on), so `make run PORT=8101` links to :8101.
SITE_URL = (
    env_str("SITE_URL") or f"http://{env_str('HOST', '127.0.0.1')}:{env_int('PORT', 8000)}"
).rstrip("/")

INSTALLED_APPS = [
    # Our apps first, so their templates override allauth's and the admin's; in their layers,
    # lowest first (docs/architecture.md), so registries fill in a stable order.
    "touchpoint.kernel",
    "touchpoint.orgs",
    "touchpoint.search",
    "touchpoint.library",
    "touchpoint.courses",
    "touchpoint.quizzes",
    "touchpoint.sessions",
    "touchpoint.credentials",
    "touchpoint.paths",
    "touchpoint.contextual",
    "touchpoint.comms",
    "touchpoint.community",
    "touchpoint.alignment",
    "touchpoint.portal",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "ninja",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First, so every response gets the header, static files and early refusals included.
    "touchpoint.kernel.headers.PermissionsPolicyMiddleware",
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
    # After django-csp: files (certificates, CSV, calendar entries) get the files' sandbox.
    "touchpoint.kernel.headers.FilePolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "touchpoint.kernel.middleware.RequestContextMiddleware",
    "touchpoint.kernel.middleware.UserPreferencesMiddleware",
    "touchpoint.kernel.middleware.RequireStaffMfaMiddleware",
]

ROOT_URLCONF = "touchpoint.urls"
WSGI_APPLICATION = "touchpoint.wsgi.application"
ASGI_APPLICATION = "touchpoint.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "touchpoint.portal.context_processors.portal",
            ],
            "builtins": ["django.templatetags.i18n", "touchpoint.kernel.templatetags.touchpoint"],
        },
    }
]

# --- Database -------------------------------------------------------------------------
# SQLite in WAL mode by default (the web server and the worker write at the same time);
# DATABASE_URL=postgres://... selects PostgreSQL.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so a write transaction waits
                # for the other process instead of failing half-way with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: rate limits (sign-in, applications) need a cache shared by all processes in
# production; REDIS_URL switches to Redis, the default is per-process memory.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts ---------------------------------------------------------------------------
AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = ["touchpoint.orgs.backends.AuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "touchpoint.orgs.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Failed sign-ins: 5 per 5 minutes per account and 10 per minute per address.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("LOGIN_FAILED_RATE", "10/m/ip,5/5m/key"),
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "touchpoint.orgs.adapters.MFAAdapter"
# Blank: the portal's name (set under Settings) is what authenticator apps list.
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "")

# --- Internationalisation ----------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "touchpoint" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files and uploads --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"  # never routed: files are served by their records' views (kernel.files)
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Upload limits: Django refuses request bodies above this; each form checks its own field limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
MAX_CSV_IMPORT_BYTES = env_int("MAX_CSV_IMPORT_BYTES", 5 * 1024 * 1024)
MAX_LOGO_BYTES = env_int("MAX_LOGO_BYTES", 1024 * 1024)
MAX_VIDEO_BYTES = env_int("MAX_VIDEO_BYTES", 500 * 1024 * 1024)
MAX_DOCUMENT_BYTES = env_int("MAX_DOCUMENT_BYTES", 50 * 1024 * 1024)

S3_BUCKET = env_str("S3_BUCKET")
# How long a signed S3 link to a file lives: it is issued after the access check, so short.
S3_URL_SECONDS = env_int("S3_URL_SECONDS", 300)
# How Touchpoint uses the bucket, whatever the store: private objects, links signed with
# Signature Version 4 (what AWS requires of new buckets, and what carries X-Amz-Expires),
# and never overwriting a file another record points at.
S3_STORAGE_OPTIONS = {
    "default_acl": None,
    "querystring_auth": True,
    "signature_version": "s3v4",
    "file_overwrite": False,
}
if S3_BUCKET:
    # Any S3-compatible store (AWS, MinIO, Ceph, R2...): set S3_ENDPOINT_URL for non-AWS.
    default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            **S3_STORAGE_OPTIONS,
        },
    }
else:
    default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Email: console in development, SMTP (or any backend) by setting --------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Touchpoint <touchpoint@ridgeline.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks: the database backend, run by `manage.py worker` -----------------------
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": [],
    }
}

# --- Security ---------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# Preloading is a long-lived promise about the whole domain; an operator opts in, so the
# deploy check's reminder about it is silenced until they do.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY") else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every page (django-csp): scripts and styles only from our own
# static files, never inline, so an injected <script> or style="" does nothing. Files served
# by kernel.files keep their own stricter sandbox policy. Images may be data: URLs (the MFA
# set-up's QR code); PDFs show in same-origin frames.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Permissions-Policy on every response (kernel.headers): the browser features pages may use.
# Off unless the product uses them: fullscreen and picture-in-picture for the video player's
# own buttons (and the PDF viewer's presentation mode). Camera and microphone stay off until
# the coming in-browser video recording ships; its page opts in with
# @allow_features("camera", "microphone"), which gives them to our own origin on that page
# only. Passkeys (publickey-credentials-*) are off while MFA is TOTP only (MFA_SUPPORTED_TYPES).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "accelerometer": [], "autoplay": [], "browsing-topics": [], "camera": [],
    "clipboard-read": [], "display-capture": [], "encrypted-media": [],
    "fullscreen": ["self"], "geolocation": [], "gyroscope": [], "hid": [], "idle-detection": [],
    "local-fonts": [], "magnetometer": [], "microphone": [], "midi": [], "payment": [],
    "picture-in-picture": ["self"], "publickey-credentials-create": [],
    "publickey-credentials-get": [], "screen-wake-lock": [], "serial": [], "usb": [],
    "xr-spatial-tracking": [],
}  # fmt: skip
# How many proxies (load balancer, TLS terminator) append to X-Forwarded-For in front of the
# app. 0 trusts only the socket address. With N, the client is the Nth address from the
# right, which a client cannot forge. Used for audit entries and all rate limits.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_client_errors": {"()": "touchpoint.kernel.logs.OneLineClientErrors"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["one_line_client_errors"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's default config gives "django" a console handler of its own (in DEBUG) and
        # lets it propagate to ours too: every 403 and 404 was printed twice. One handler.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        # The worker logs every task it runs; keep that at INFO so `make run` shows it.
        "django_tasks": {"level": "INFO"},
    },
}

# --- Touchpoint ---------------------------------------------------------------------------
# How long an invitation link stays valid.
INVITATION_TTL_DAYS = env_int("INVITATION_TTL_DAYS", 14)
# Public "become a partner" form: submissions per address per hour.
APPLY_RATE_LIMIT = env_str("APPLICATION_RATE_LIMIT", "5/h")
PAGE_SIZE = env_int("PAGE_SIZE", 25)

# Contextual help: /demo/pos/ (an imitation point-of-sale screen with the widget) is served
# only when this is on and the demo integration exists; requests per integration and address
# to the widget's endpoint; how long a person's audiences are cached when resolving help.
DEMO_PAGES = env_bool("DEMO_PAGES", DEBUG)
WIDGET_RATE_LIMIT = env_str("WIDGET_RATE_LIMIT", "120/m")
AUDIENCE_CACHE_SECONDS = env_int("AUDIENCE_CACHE_SECONDS", 60)

# `make bench` compares home with /bench/bare/, a signed-in page that reads only the session
# and the user behind the same middleware: the ceiling of what the server can answer. Off
# unless the benchmark turns it on (it is no page for people).
BENCH_BARE_VIEW = env_bool("BENCH_BARE_VIEW", False)

# Email digests go out at this local hour (each person's time zone), daily or on Mondays;
# at most this many people per run of the hourly job (the rest follow straight after).
NOTIFICATION_DIGEST_HOUR = env_int("NOTIFICATION_DIGEST_HOUR", 7)
# Emails "right away" wait this long, so several updates about the same thing (a request's
# status change, comment and deliverable) reach the person as one email.
NOTIFICATION_EMAIL_GROUP_SECONDS = env_int("NOTIFICATION_EMAIL_GROUP_SECONDS", 120)
NOTIFICATION_DIGEST_BATCH_SIZE = env_int("NOTIFICATION_DIGEST_BATCH_SIZE", 200)

# Forums: new posts per person per window (vendor staff are not limited); how many of a
# partner person's first posts wait for a moderator (0: none); how long authors may edit;
# when an unanswered question is reported to the category's moderators.
FORUM_POST_RATE = env_str("FORUM_POST_RATE", "5/10m")
FORUM_HOLD_FIRST_POSTS = env_int("FORUM_HOLD_FIRST_POSTS", 0)
FORUM_EDIT_MINUTES = env_int("FORUM_EDIT_MINUTES", 30)
FORUM_UNANSWERED_HOURS = env_int("FORUM_UNANSWERED_HOURS", 24)
# Django 6 makes https the default scheme for URL fields typed without one; do so now.
FORMS_URLFIELD_ASSUME_HTTPS = True
# Seed of the Ed25519 key that signs Open Badges credentials (any long random string). Unset,
# the key is derived from SECRET_KEY, so rotating SECRET_KEY would invalidate issued badges;
# set this once to keep badges verifiable across SECRET_KEY rotations.
BADGE_SIGNING_SEED = env_str("BADGE_SIGNING_SEED")

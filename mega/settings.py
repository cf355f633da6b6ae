"""Settings for MEGA Benchmark, read from the environment (see README, "Configuration")."""

from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from import_export.formats.base_formats import JSON

from mega.env import cache_from_url, database_from_url, env_bool, env_int, env_int_list, env_list, env_str, site_url
from mega.spreadsheets import SafeCSV, SafeXLSX

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    # Only ever used on a developer's machine: DEBUG on and no key given.
    SECRET_KEY = "insecure-local-development-key-never-used-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "stakeholders",
    "assessments",
    "reports",
    "matching",
    "translations",
    "guidance",
    "downloads",
    "people",
    "rounds",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A URL with control characters or a huge number is refused with 400 before any view sees it.
    "mega.hostile_input.RefuseHostileURLsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed in the app (an editor page shrinks about ninefold). BREACH: Django pads
    # compressed responses with random bytes and masks the CSRF token anew on every response.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A view that loses the database answers 503 with what to do, never a stack trace.
    "mega.middleware.DatabaseUnavailableMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mega.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "mega.wsgi.application"
ASGI_APPLICATION = "mega.asgi.application"

DATABASES = {"default": database_from_url(env_str("DATABASE_URL"), BASE_DIR)}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Sign-in throttling: after 5 failures a username, and separately an address, is locked for
# 15 minutes (or until an admin deletes its attempts under "Axes" in the admin).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind PROXY_COUNT reverse proxies the client's address is read through them (django-ipware),
# and usernames are counted without case or surrounding spaces (mega/throttling.py).
PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "mega.throttling.client_ip"
AXES_USERNAME_CALLABLE = "mega.throttling.throttled_username"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The interface languages; checklist texts can be translated into each of the others.
LANGUAGES = [
    ("en", "English"),
    ("it", "Italiano"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = env_str("TIME_ZONE", "Europe/Rome")
USE_I18N = True
USE_TZ = True

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Locally (DEBUG) whitenoise serves straight from the app folders, without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Files served at the site's root, such as /favicon.ico, which browsers ask for by that name.
WHITENOISE_ROOT = BASE_DIR / "public"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed file names: browsers may cache static files for a year.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The cache holds rendered PDFs. One app server: a file cache in CACHE_DIR; several: CACHE_URL
# names the Redis server they share (README, "Deploying"). Sessions live in the database.
CACHES = {"default": cache_from_url(env_str("CACHE_URL"), env_str("CACHE_DIR", str(BASE_DIR / ".cache")))}

# Long work (PDF renders) runs on a task worker, `python manage.py db_worker`, with the jobs kept
# in the database: nothing more to run on a laptop, and any number of workers on a server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# E-mail goes out by SMTP; the console backend only with DEBUG (`check --deploy` refuses a backend
# that sends nothing without it: see people/checks.py).
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# A mail server that does not answer must not hold a request for ever.
EMAIL_TIMEOUT = 15
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "mega-benchmark@localhost")
# The address e-mails link to (no trailing slash); by default https:// and the first ALLOWED_HOSTS.
SITE_URL = site_url(env_str("SITE_URL"), DEBUG, ALLOWED_HOSTS)
# How long an invitation's link works, and how many days before a round's due date officers are reminded.
INVITATION_MAX_AGE = timedelta(days=env_int("INVITATION_DAYS", 7))
REMINDER_DAYS = env_int_list("REMINDER_DAYS", [7, 1])

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# A spreadsheet import that has any bad row imports nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# CSV and XLSX keep typed text inert (no formulas) in every export (mega/spreadsheets.py).
IMPORT_FORMATS = [SafeCSV, SafeXLSX, JSON]
EXPORT_FORMATS = [SafeCSV, SafeXLSX, JSON]
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# Largest exchange file or spreadsheet accepted, in bytes.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Rows of one spreadsheet import: far more than every checklist together, small enough to check.
MAX_IMPORT_ROWS = 5000
# A confirmed admin import of more rows than this is run by a task worker, not by the request.
IMPORT_TASK_ROWS = env_int("IMPORT_TASK_ROWS", 500)
# Figures about a round's whole cohort (the comparison, also in the city report; the suggestions'
# ranking) are computed again after a change of the round's sheets, but not more often than this
# many seconds apart while officers are at work (`mega/versioned.py`).
COHORT_FIGURES_MAX_AGE = env_int("COHORT_FIGURES_MAX_AGE", 60)
# A draft's (an unpublished report's, an unvalidated sheet's) latest PDF younger than this many
# seconds is downloaded at once even when the draft changed since, saying when its data are from.
PDF_DRAFT_MAX_AGE = env_int("PDF_DRAFT_MAX_AGE", 300)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

# A signed-in session lasts a working day and ends when the browser closes.
# Sessions are read from the cache and written through to the database: one query less on every
# signed-in page, and still safe when the cache is emptied.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

# Production runs behind a TLS-terminating proxy. HTTPS=0 is only for `make serve` on a laptop.
HTTPS = env_bool("HTTPS", default=not DEBUG)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# Content-Security-Policy: only the app's own scripts, styles, fonts and images; no inline
# script or style anywhere (templates pass data in data-* attributes). Bootstrap's icons are
# data: SVGs, hence img-src data:.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Load balancers probe the app server itself over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Password reset links are cut out of every line (mega/log_redaction.py); a refused request
    # (4xx) is logged once, without a traceback (mega/log.py).
    "filters": {
        "redact_secrets": {"()": "mega.log_redaction.RedactSecrets"},
        "client_errors_without_traceback": {"()": "mega.log.ClientErrorsWithoutTraceback"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        # Django's own console handler (with DEBUG) would print each record a second time, after
        # the root's: its records go to the root's handler only.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.request": {"filters": ["client_errors_without_traceback"]},
    },
}

# The publisher printed on the reports' covers and footers, and its logo (a static file: PNG, JPEG
# or SVG, e.g. "img/publisher-logo.svg" in static/).
REPORT_PUBLISHER = env_str("REPORT_PUBLISHER", "MEGA – Migrant Entrepreneurship Growth Agenda")
REPORT_PUBLISHER_LOGO = env_str("REPORT_PUBLISHER_LOGO", "img/mega-logo.svg")

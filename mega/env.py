"""Strict readers for settings that come from the environment.

Each helper refuses values it cannot understand instead of guessing, so that a typo in a
deployment fails at start-up rather than running with an unsafe default.
"""

import os
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(_TRUE | _FALSE - {''})}, not {raw!r}")


def env_int(name, default=0):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int_list(name, default=()):
    """Comma-separated whole numbers, e.g. REMINDER_DAYS=7,1."""
    try:
        return [int(item) for item in env_list(name, default)]
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be whole numbers separated by commas, not {os.environ[name]!r}"
        ) from None


def site_url(raw, debug, allowed_hosts):
    """The address the app is reached at, for links in e-mails: SITE_URL, or https:// and the first
    allowed host (http://127.0.0.1:8000 with DEBUG)."""
    if not raw:
        if debug:
            return "http://127.0.0.1:8000"
        host = allowed_hosts[0] if allowed_hosts else ""
        if not host or host.startswith(".") or "*" in host:
            raise ImproperlyConfigured("SITE_URL must be set (e.g. https://mega.example.org): links in e-mails need it")
        return f"https://{host}"
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ImproperlyConfigured(f"SITE_URL must be an address such as https://mega.example.org, not {raw!r}")
    return raw.rstrip("/")


def env_str(name, default=None):
    raw = os.environ.get(name, "").strip()
    return raw or default


def database_from_url(url, base_dir):
    """Django DATABASES['default'] from a DATABASE_URL (read by dj-database-url, query options such
    as `?sslmode=require` kept in OPTIONS); SQLite in the project when unset. Only PostgreSQL and
    SQLite are accepted: the suite runs on those two."""
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": base_dir / "db.sqlite3"}
    scheme = urlsplit(url).scheme
    if scheme not in POSTGRES_SCHEMES | {"sqlite"}:
        raise ImproperlyConfigured(f"DATABASE_URL scheme {scheme!r} is not supported (use postgres:// or sqlite:///)")
    try:
        config = dj_database_url.parse(
            url, conn_max_age=60 if scheme in POSTGRES_SCHEMES else 0, conn_health_checks=scheme in POSTGRES_SCHEMES
        )
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {error}") from error
    if config.get("NAME") in (None, "", ":memory:"):
        raise ImproperlyConfigured(
            "DATABASE_URL must name a database, e.g. postgres://user@host:5432/mega or sqlite:////srv/mega.sqlite3"
        )
    return config


def cache_from_url(url, cache_dir):
    """Django CACHES['default'] from a CACHE_URL; a file cache in `cache_dir` when unset.

    `redis://host:6379/0` (or `rediss://` for TLS) selects a Redis cache, which several app servers
    share; the file cache suits one machine, such as a laptop. Both ride out a failing cache
    (`mega/cache.py`); Redis with short timeouts, so that a Redis that is down costs a page a
    second at most before it is served without the cache.
    """
    if not url:
        return {
            "BACKEND": "mega.cache.FileBasedCache",
            "LOCATION": cache_dir,
            "TIMEOUT": 60 * 60 * 24 * 7,
            # Django's default of 300 entries would evict a busy day's PDFs; the file cache lists
            # its folder on each write, so not unbounded either.
            "OPTIONS": {"MAX_ENTRIES": 3000},
        }
    scheme = urlsplit(url).scheme
    if scheme not in ("redis", "rediss"):
        raise ImproperlyConfigured(f"CACHE_URL must start with redis:// or rediss://, not {scheme or url!r}")
    return {
        "BACKEND": "mega.cache.RedisCache",
        "LOCATION": url,
        "TIMEOUT": 60 * 60 * 24 * 7,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }

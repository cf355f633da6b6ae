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
        config = dj_database_url.parse(url, conn_max_age=60 if scheme in POSTGRES_SCHEMES else 0,
                                       conn_health_checks=scheme in POSTGRES_SCHEMES)
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {error}") from error
    if config.get("NAME") in (None, "", ":memory:"):
        raise ImproperlyConfigured(
            "DATABASE_URL must name a database, e.g. postgres://user@host:5432/mega or sqlite:////srv/mega.sqlite3"
        )
    return config

"""Settings for the test suite: the real settings, with fast hashing and a private cache."""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from mega.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("CACHE_URL"):
    # A real Redis (CI's PostgreSQL run). Clearing a Redis cache flushes its whole database, so
    # each parallel test worker (gw0, gw1, …) gets a database number of its own, counted from
    # the one CACHE_URL names.
    from urllib.parse import urlsplit, urlunsplit

    from mega.env import cache_from_url

    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    url = urlsplit(os.environ["CACHE_URL"])
    first = int(url.path.strip("/") or 0)
    CACHES = {"default": cache_from_url(urlunsplit(url._replace(path=f"/{first + worker}")), None)}
# A job runs as it is queued, inside the request; the tests of the queue itself use the database
# backend and a real worker process.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The browser tests talk plain HTTP to the live server.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

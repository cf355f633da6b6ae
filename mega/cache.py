"""Cache backends that degrade to "nothing cached" instead of failing the request.

Everything the application keeps in the cache can be rebuilt: rendered PDFs, the sheet editor's
grids, and the sessions, which are written through to the database (`cached_db`). So when the
cache cannot be written or reached (a full or read-only cache directory, a stopped Redis), a read
is a miss and a write is skipped: pages are served from the database, a little slower, and the
failure is logged (at most once a minute per process, so an outage does not flood the log).
`/healthz` reports the cache as broken meanwhile (`mega/health.py`).

Use these backends in `CACHES` in place of Django's own (`mega.cache.FileBasedCache`,
`mega.cache.RedisCache`); they take the same `LOCATION` and `OPTIONS`.
"""

import logging
import time

from django.core.cache.backends import filebased, redis

logger = logging.getLogger("mega.cache")

LOG_INTERVAL_SECONDS = 60

# Each operation and what it answers when the cache fails: reads miss, writes did not happen.
FALLBACKS = {
    "add": lambda *args, **kwargs: False,
    "get": lambda key, default=None, version=None: default,
    "set": lambda *args, **kwargs: None,
    "touch": lambda *args, **kwargs: False,
    "delete": lambda *args, **kwargs: False,
    "get_many": lambda *args, **kwargs: {},
    "has_key": lambda *args, **kwargs: False,
    "set_many": lambda data, *args, **kwargs: list(data),
    "delete_many": lambda *args, **kwargs: None,
    "clear": lambda *args, **kwargs: None,
}


def _tolerant(name, fallback):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(self._tolerant_base, self), name)(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - any failure of the cache is an outage to ride out
            self._log_failure(name, error)
            return fallback(*args, **kwargs)

    method.__name__ = name
    return method


class TolerantCache:
    """Mixin: every operation of FALLBACKS survives a failing cache."""

    _last_logged = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._tolerant_base = cls
        for name, fallback in FALLBACKS.items():
            setattr(cls, name, _tolerant(name, fallback))

    def _log_failure(self, operation, error):
        now = time.monotonic()
        if self._last_logged is None or now - self._last_logged >= LOG_INTERVAL_SECONDS:
            self._last_logged = now
            logger.error(
                "cache unavailable (%s failed: %s): serving without it; cached editor grids "
                "may be stale until the cache is emptied after the outage",
                operation,
                error,
                exc_info=error,
            )


class FileBasedCache(TolerantCache, filebased.FileBasedCache):
    pass


class RedisCache(TolerantCache, redis.RedisCache):
    pass

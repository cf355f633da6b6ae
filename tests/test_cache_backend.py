"""CI's PostgreSQL run uses a real Redis cache (CACHE_URL): it must really be Redis."""

import os

from django.core.cache import caches


def test_tests_run_on_the_cache_ci_asked_for():
    expected = "RedisCache" if os.environ.get("CACHE_URL") else "LocMemCache"
    cache = caches["default"]
    assert type(cache).__name__ == expected
    cache.set("probe", {"pdf": b"%PDF-1.7"}, 30)
    assert cache.get("probe") == {"pdf": b"%PDF-1.7"}

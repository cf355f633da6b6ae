"""Liveness for load balancers: can the app reach each of its dependencies? Nothing about the data.

Answers 200 when the database and every cache work, 503 naming the broken one otherwise. The
cache backends ride out an outage without failing pages (`mega/cache.py`), so this probe is where
a broken cache shows: it writes a value and reads it back.
"""

import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def database_works():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def cache_works(alias):
    cache = caches[alias]
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, value, 30)
        works = cache.get(key) == value
        cache.delete(key)
    except Exception:  # noqa: BLE001 - a backend without mega.cache's tolerance fails loudly
        return False
    return works


@never_cache
@require_GET
def healthz(request):
    checks = {"database": database_works()}
    for alias in settings.CACHES:
        checks["cache" if alias == "default" else f"cache:{alias}"] = cache_works(alias)
    body = {name: "ok" if works else "unreachable" for name, works in checks.items()}
    healthy = all(checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **body}, status=200 if healthy else 503)

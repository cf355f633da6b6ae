"""Throttling of the invitation links: an address that tries too many bad links is refused a while.

The count lives in the cache, per client address as django-axes sees it (through the configured
proxies), so that guessing links from one place is slowed to a handful per quarter hour.
"""

from axes.helpers import get_client_ip_address
from django.core.cache import cache

LIMIT = 10
WINDOW_SECONDS = 15 * 60


def _key(request):
    return f"people:bad-links:{get_client_ip_address(request)}"


def is_blocked(request):
    return cache.get(_key(request), 0) >= LIMIT


def record_failure(request):
    key = _key(request)
    if not cache.add(key, 1, WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, WINDOW_SECONDS)

"""Who is signing in, as the sign-in throttle (django-axes) counts them.

Behind `PROXY_COUNT` reverse proxies, `REMOTE_ADDR` is the nearest proxy, the same for everybody.
Each proxy appends the address it was connected from to `X-Forwarded-For`, so the client is the
address the outermost of our proxies saw: counting from the right of the chain
`X-Forwarded-For, REMOTE_ADDR`, the entry `PROXY_COUNT` places left of the end. Anything further
left was sent by the client and is never trusted. A request that did not come through the proxies
(too short a chain, or no valid address there) is counted under `REMOTE_ADDR`.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from ipware import get_client_ip


def client_ip(request):
    remote_addr = request.META.get("REMOTE_ADDR")
    proxies = settings.PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not proxies or not forwarded:
        return remote_addr
    chain = {"HTTP_X_FORWARDED_FOR": f"{forwarded}, {remote_addr}"}
    address, _routable = get_client_ip(
        _Meta(chain),
        proxy_order="left-most",
        proxy_count=proxies,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=False,
    )
    return address or remote_addr


class _Meta:
    def __init__(self, meta):
        self.META = meta


def throttled_username(request, credentials=None):
    """The username as typed, without case or surrounding spaces: `Olga `, `OLGA` and `olga` are
    one person to the throttle, so varying them gains an attacker no attempts."""
    source = credentials if credentials is not None else getattr(request, "data", request.POST)
    username = source.get(getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")) if source else None
    if username is None:
        return None
    return str(username).strip().casefold()


# --- password reset ------------------------------------------------------------------------

RESET_WINDOW_SECONDS = 60 * 60
RESET_LIMITS = {"address": 3, "client": 10}


def _reset_keys(request, email):
    address = hashlib.sha256(str(email).strip().casefold().encode()).hexdigest()
    return {"address": f"password-reset:address:{address}", "client": f"password-reset:client:{client_ip(request)}"}


def password_reset_allowed(request, email):
    """Count a password reset request; False once the address (whether or not it has an account,
    so the answer tells nothing) or the client has asked too often within the hour.

    Counted in the cache: if the cache is down the resets go through unthrottled, and the cache's
    failure is logged (mega/cache.py)."""
    allowed = True
    for kind, key in _reset_keys(request, email).items():
        count = cache.get(key, 0) + 1
        cache.set(key, count, RESET_WINDOW_SECONDS)
        allowed = allowed and count <= RESET_LIMITS[kind]
    return allowed

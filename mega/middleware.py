"""When the database goes away in the middle of a request: a clear answer, never a stack trace.

A view that loses its database raises `OperationalError` or `InterfaceError`. Every write of the
application runs in a transaction, which the error rolls back, so nothing is half-written; this
middleware then answers 503 (Service Unavailable, `Retry-After`) in the form the client reads:

- JSON (the sheet editor's autosave): `{"error": "unavailable", "message": …}`; the editor's
  script keeps the unsaved answer, shows "Not saved — …" with Retry, and sends it again.
- HTML: a page that says nothing was saved and, for a form, carries what was posted in a form of
  its own, so that Retry sends the same again (passwords and files excepted) and no typed text is
  lost.

Other database errors (integrity, data) are bugs, not outages: they stay 500.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("mega.database")

RETRY_AFTER_SECONDS = 5
MESSAGE = _(
    "the server cannot reach its database right now, so nothing was saved. Your change is kept and "
    "is sent again in a moment."
)
NOT_REPOSTED = ("csrfmiddlewaretoken",)


def wants_json(request):
    return request.content_type == "application/json" or "application/json" in request.headers.get("Accept", "")


def reposted_fields(request):
    """[(name, value)] of the POST to send again, or None when it cannot be (files, passwords)."""
    if request.method != "POST" or request.FILES:
        return None
    items = list(request.POST.lists())
    if any("password" in name.lower() for name, _ in items):
        return None
    return [(name, value) for name, values in items if name not in NOT_REPOSTED for value in values]


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("database unavailable: %s %s", request.method, request.path, exc_info=exception)
        if wants_json(request):
            response = JsonResponse({"error": "unavailable", "message": MESSAGE}, status=503)
        else:
            context = {"saving": request.method == "POST", "fields": reposted_fields(request)}
            response = render(request, "503.html", context, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response

"""Requests no page can mean: refused with 400 before any view or database sees them.

A control character (NUL, escape, …) in a URL's path or query, once percent-decoded, is never
part of a city, round, page number or search; PostgreSQL refuses NUL in text outright, which a
view would turn into a server error. Tab, line feed and carriage return are control characters
too: no URL of the site carries them either.

A path segment that is a number of 19 digits or more is beyond any id of the site, and may be
beyond a 64-bit integer: SQLite raises OverflowError for such a value where Django's own range
check does not apply (a primary key that is a foreign key, as in the admin's "view on site"
redirect for django-axes' records), and that would be a server error.
"""

import re

from django.core.exceptions import BadRequest

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
HUGE_NUMBER = re.compile(r"(?:^|/)-?\d{19,}(?=/|$)")


class RefuseHostileURLsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if HUGE_NUMBER.search(request.path):
            raise BadRequest("a number in the URL beyond any id")
        if CONTROL_CHARACTERS.search(request.path) or any(
            CONTROL_CHARACTERS.search(key) or CONTROL_CHARACTERS.search(value)
            for key, values in request.GET.lists()
            for value in values
        ):
            raise BadRequest("control characters in the URL")
        return self.get_response(request)

"""Shared by the security tests (tests/test_security_*.py): every URL pattern of the project made
into a concrete path, a fingerprint of the database, and the XSS payloads with a page checker.

The application's URLs are filled like the permission matrix fills them (`MATRIX` rows, Milan's
objects); the others (admin, sign-in, language) with harmless values of the right shape, which is
all a test needs that is refused before the view runs (CSRF).
"""

import re
from html.parser import HTMLParser

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

from tests.dumps import database_state  # noqa: F401  (the security tests take it from here)
from tests.permission_matrix import MATRIX

ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
REGEX_GROUP = re.compile(r"\((?:\?P<(?P<name>\w+)>)?[^()]*\)")


def _values(world):
    """A value for each URL parameter name of the project: Milan's objects, or a harmless value."""
    return {
        "sheet": world.sheet.pk,
        "respondent": world.respondent.pk,
        "conclusion": "1",
        "invitation": "1",
        "account": "1",
        "city": "milan",
        "round": "2018",
        "before": "2018",
        "after": "2018",
        "module": "6",
        "number": "6.1",
        "kind": "share",
        "part": "national_context",
        "record": "1",
        # The admin and the password reset: refused before the view, so any value of the right shape.
        "object_id": "1",
        "id": "1",
        "content_type_id": "1",
        "uidb64": "MQ",
        "token": "set-password",
        "app_label": "assessments",
        "url": "no-such-page",
    }


def _segment(pattern, values):
    if isinstance(pattern, RoutePattern):
        return ROUTE_PARAMETER.sub(lambda m: str(values[m["name"]]), str(pattern))
    assert isinstance(pattern, RegexPattern), pattern
    # Regular expressions (the admin's, django-simple-history's): each group gets its value, or 1.
    path = REGEX_GROUP.sub(lambda m: str(values[m["name"]]) if m["name"] else "1", str(pattern))
    assert "(" not in path and "\\" not in path, f"no value for the URL pattern {pattern}: extend tests/security.py"
    return path.lstrip("^").rstrip("$")


def every_url(world):
    """[(name, path, callback)] for every URL pattern of the project (admin, sign-in and language
    views included); each path resolves to its own pattern's view (checked)."""
    values = _values(world)
    found = []

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            path = prefix + _segment(pattern.pattern, values)
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace if not namespace else f"{namespace}:{pattern.namespace}"
                walk(pattern.url_patterns, path, inner if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or f"<unnamed {path}>"
                found.append(((f"{namespace}:{name}" if namespace else name), "/" + path, pattern.callback))

    walk(get_resolver().url_patterns, "", None)
    for name, path, callback in found:
        assert resolve(path).func == callback, f"{path} does not reach the view of {name}"
    return found


def matrix_path(world, name, row):
    from django.urls import reverse

    return reverse(name, kwargs=row.kwargs(world))


def get_rows():
    """(name, row) of every GET row of the permission matrix: every page of the application."""
    return [(name, row) for name, rows in MATRIX.items() for row in rows if row.method == "GET"]


def post_rows():
    """(name, row) of every state-changing request of the permission matrix."""
    return [(name, row) for name, rows in MATRIX.items() for row in rows if row.method == "POST"]


# --- XSS ------------------------------------------------------------------------------------


def payload(tag, max_length=None):
    """Text that would run script if it reached a page unescaped; `tag` says which field it is in,
    so a test can tell that the field was shown (as text) somewhere. Shorter (without the link) for
    a field that cannot hold it all."""
    text = f'[{tag}]<script>alert(1)</script>"><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a>'
    if max_length is not None and len(text) > max_length:
        text = f'[{tag}]<script>alert(1)</script>"><img src=x onerror=alert(1)>'
        assert len(text) <= max_length, f"no payload fits in {max_length} characters"
    return text


RAW_MARKERS = ("<script>alert(1)", "<img src=x", 'href="javascript:', "onerror=alert(1)>")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}


class PageReader(HTMLParser):
    """Reads a page as a browser would: its elements and attributes, and its text (entities decoded)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems, self.text, self.in_script = [], [], None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.problems.append(f"<{tag}> has an event handler attribute {name}={value!r}")
            if (
                name.lower() in URL_ATTRIBUTES
                and value
                and value.strip().lower().startswith(("javascript:", "vbscript:"))
            ):
                self.problems.append(f"<{tag} {name}={value!r}> runs script")
            self.text.append(value or "")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.problems.append("an <img src=x> from a payload")
        if tag == "script":
            attributes = dict(attrs)
            self.in_script = attributes
            if not attributes.get("src") and attributes.get("type") != "application/json":
                self.problems.append("an inline <script>")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = None

    def handle_data(self, data):
        if self.in_script is not None and data.strip():
            self.problems.append(f"script content: {data[:80]!r}")
        self.text.append(data)


def read_page(html):
    """(problems, text) of an HTML page: injected elements or attributes, and all of its text."""
    reader = PageReader()
    reader.feed(html)
    reader.close()
    problems = list(reader.problems)
    problems += [f"the raw {marker!r} is in the page source" for marker in RAW_MARKERS if marker in html]
    return problems, "\n".join(reader.text)

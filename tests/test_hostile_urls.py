"""Hostile URL input never gives a server error: every URL pattern of the site, with hypothesis
drawing each path parameter (by its converter) and each query parameter the views read, from
real values, huge and negative numbers, out-of-range page numbers, control characters, odd
Unicode and percent signs, requested as an anonymous visitor, Milan's officer and a superuser.

Runs on SQLite and, with DATABASE_URL, on PostgreSQL (which refuses NUL in text, and numbers
beyond 64 bits, where SQLite does not).
"""

import re
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from hypothesis import HealthCheck, given, settings, strategies as st

from assessments.models import Respondent, Sheet
from tests.factories import make_user
from tests.security import REGEX_GROUP, ROUTE_PARAMETER
from stakeholders.models import Assignment

# The query parameters the views read (request.GET), and the sign-in's "next".
QUERY_PARAMETERS = ["page", "cohort", "q", "next"]
ROLES = ["anonymous", "officer", "staff"]

numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["0", "-1", "1e9", "NaN", "inf", "last", "9223372036854775808", "٣", "00000000000000000001"]),
)
hostile_text = st.one_of(
    st.text(max_size=40),  # any Unicode, control characters and NUL included
    st.text(alphabet=st.characters(max_codepoint=0x1F), min_size=1, max_size=5),
    st.sampled_from(["%", "%00", "..", ".", "\\", "' OR 1=1 --", "<script>", "\u202e", "\ufeff", " " * 3, "x" * 3000]),
)


def url_templates():
    """[(name, [segment patterns])] of every URL pattern of the project, admin included; names
    are namespaced ("reports:city")."""
    found = []

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, prefix + [pattern.pattern], inner)
            elif isinstance(pattern, URLPattern):
                found.append((namespace + (pattern.name or str(pattern.pattern)), prefix + [pattern.pattern]))

    walk(get_resolver().url_patterns, [], "")
    return found


TEMPLATES = url_templates()


def real_values(world):
    return {
        "int": [str(world["sheet"].pk), str(world["respondent"].pk), "1"],
        "slug": ["milan", "6", "assessments"],
        "str": ["2018", "milan", "6", "6.1", "1"],
        "path": ["1", "milan/2018"],
    }


def value_for(converter, world):
    real = st.sampled_from(real_values(world).get(converter, ["1"]))
    if converter == "int":
        return st.one_of(real, numbers.filter(lambda n: n.isdigit()), numbers)
    return st.one_of(real, numbers, hostile_text)


def build_path(segments, draw, world):
    path = ""
    for pattern in segments:
        if isinstance(pattern, RoutePattern):
            path += ROUTE_PARAMETER.sub(
                lambda m: quote(draw(value_for(m["converter"] or "str", world)), safe=""), str(pattern)
            )
        else:
            assert isinstance(pattern, RegexPattern)
            path += (
                REGEX_GROUP.sub(lambda m: quote(draw(value_for("str", world)), safe=""), str(pattern))
                .lstrip("^")
                .rstrip("$")
            )
    return "/" + re.sub(r"\\(.)", r"\1", path)


@pytest.fixture
def world(milan):
    sheet = Sheet.objects.filter(city=milan).first()
    officer = make_user("olga", city=milan, role=Assignment.Role.OFFICER)
    staff = make_user("boss", staff=True)
    staff.is_superuser = True
    staff.save()
    clients = {"anonymous": Client()}
    for role, user in [("officer", officer), ("staff", staff)]:
        clients[role] = Client()
        clients[role].force_login(user)
    return {"sheet": sheet, "respondent": Respondent.objects.filter(sheet=sheet).first(), "clients": clients}


@pytest.mark.parametrize("name,segments", TEMPLATES, ids=[name for name, _ in TEMPLATES])
# Every URL pattern is a test of its own: a quarter of the profile's examples each (15 on a
# workstation, 6 in CI; tests/conftest.py), about 330 patterns × 3 roles in all.
@settings(
    max_examples=max(4, settings().max_examples // 4),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_url_input_gives_a_server_error(world, name, segments, data):
    path = build_path(segments, data.draw, world)
    query = data.draw(st.dictionaries(st.sampled_from(QUERY_PARAMETERS), st.one_of(numbers, hostile_text), max_size=3))
    url = path + ("?" + urlencode(query) if query else "")
    role = data.draw(st.sampled_from(ROLES))
    response = world["clients"][role].get(url)
    assert response.status_code < 500, f"{role} GET {url!r}: {response.status_code}"


def test_every_pattern_is_walked():
    names = {name for name, _ in TEMPLATES}
    assert {
        "sheets:edit",
        "reports:city",
        "matching:suggestions",
        "matching:round",
        "guidance:statement",
        "healthz",
        "login",
    } <= names
    assert len(TEMPLATES) > 60


OUT_OF_RANGE = ["99999999999999999999", "9223372036854775808", "9223372036854775807", "-1", "0", "1e3", "%00"]


@pytest.mark.parametrize("page", OUT_OF_RANGE)
def test_out_of_range_page_numbers_show_a_page(world, page):
    """The probe's cases, always tried: beyond 64 bits, the last 64-bit number, below the first."""
    from django.urls import reverse

    urls = [
        reverse("home"),
        reverse("matching:round", args=["2018"]),
        reverse("matching:suggestions", args=["milan", "2018"]),
        reverse("sheets:history", args=[world["sheet"].pk]),
    ]
    for url in urls:
        response = world["clients"]["staff"].get(f"{url}?page={page}")
        assert response.status_code == (400 if page == "%00" else 200), f"{url}?page={page}"


@pytest.mark.parametrize(
    "url",
    [
        "/cities/milan/20%0018/",
        "/guidance/6/6.%001/",
        "/rounds/%1b/matching/",
        "/cities/milan/2018/?cohort=%00",
        "/guidance/search/?q=a%00b",
    ],
)
def test_control_characters_in_a_url_are_a_bad_request(world, url):
    for client in world["clients"].values():
        response = client.get(url)
        assert response.status_code == 400, url
        assert "Traceback" not in response.content.decode()


def test_a_number_beyond_any_id_in_a_url_is_a_bad_request(world):
    """The admin's "view on site" redirect for a record whose primary key is a foreign key (axes'
    AccessAttemptExpiration) raised OverflowError on SQLite for an id beyond 64 bits."""
    from axes.models import AccessAttemptExpiration
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(AccessAttemptExpiration).pk
    for number in ("9223372036854775808", "-999999999999999999999999999999"):
        response = world["clients"]["staff"].get(f"/admin/r/{content_type}/{number}/")
        assert response.status_code == 400, number
    assert world["clients"]["staff"].get(f"/admin/r/{content_type}/922337203685477580/").status_code == 404

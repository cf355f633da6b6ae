"""CSRF: every URL of the project refuses a POST without a valid token, for every signed-in role,
and changes nothing; with the token the same requests go through, so it is the token that decides."""

import json
import logging

import pytest
from django.test import Client
from django.urls import reverse

from tests.security import database_state, every_url, matrix_path, post_rows

ROLES = ("admin", "officer")


def csrf_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def refused_by_csrf(response, caplog):
    return response.status_code == 403 and any(record.name == "django.security.csrf" for record in caplog.records)


@pytest.mark.parametrize("role", ROLES)
def test_every_url_refuses_a_post_without_a_csrf_token(world, role, caplog):
    client = csrf_client(world.users[role])
    urls = every_url(world)
    assert len(urls) > 100  # the admin's URLs are in it
    before = database_state()
    accepted = []
    for name, path, _ in urls:
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
            response = client.post(path, {"version": 1, "name": "x", "value": "nd"})
        if not refused_by_csrf(response, caplog):
            accepted.append(f"{name} {path}: {response.status_code}")
    assert not accepted, "POST without a CSRF token not refused by the CSRF check:\n" + "\n".join(accepted)
    assert database_state() == before


def test_anonymous_sign_in_needs_a_csrf_token(db, caplog):
    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        response = client.post(reverse("login"), {"username": "nobody", "password": "x"})
    assert refused_by_csrf(response, caplog)


def token_of(client):
    """The CSRF token a page gives the browser (the cookie it sets with any form)."""
    client.get(reverse("home"))
    return client.cookies["csrftoken"].value


CASES = [
    pytest.param(name, row, role, id=f"{name}-{role}")
    for name, row in post_rows()
    for role in ROLES
    if row.expect[role] != 403
]


@pytest.mark.parametrize("name,row,role", CASES)
def test_each_change_is_refused_without_the_token_and_made_with_it(world, name, row, role, caplog):
    if row.setup:
        row.setup(world)
    client = csrf_client(world.users[role])
    path = matrix_path(world, name, row)
    data = row.data(world) if row.data else {}

    def post(**extra):
        if row.json:
            return client.post(path, json.dumps(data), content_type="application/json", **extra)
        return client.post(path, data, **extra)

    before = database_state()
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        assert refused_by_csrf(post(), caplog), name
        caplog.clear()
        # A token from another session (or made up) is no better than none.
        assert refused_by_csrf(post(HTTP_X_CSRFTOKEN="x" * 32), caplog), name
    assert database_state() == before

    token = token_of(client)
    response = post(HTTP_X_CSRFTOKEN=token)
    assert response.status_code == row.expect[role], (name, role, response.content[:300])


def officers_answer_post(world):
    """A function posting the officer's autosave of one answer, with a valid CSRF token, from a
    page whose origin or referer the caller gives."""
    client = csrf_client(world.users["officer"])
    token = token_of(client)
    path = reverse("sheets:answer", args=[world.sheet.pk])
    body = json.dumps(
        {
            "statement": world.statement.pk,
            "respondent": world.respondent.pk,
            "value": "nd",
            "note": "",
            "version": world.answer.version,
        }
    )

    def post(**extra):
        return client.post(path, body, content_type="application/json", HTTP_X_CSRFTOKEN=token, **extra)

    return post


def test_a_post_from_another_origin_is_refused_even_with_a_token(world, caplog):
    post = officers_answer_post(world)
    before = database_state()
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        response = post(HTTP_ORIGIN="https://evil.example")
    assert refused_by_csrf(response, caplog)
    assert database_state() == before


def test_an_https_post_without_a_same_site_referer_is_refused(world, caplog):
    post = officers_answer_post(world)
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        response = post(secure=True, HTTP_REFERER="https://evil.example/page")
    assert refused_by_csrf(response, caplog)
    assert post(secure=True, HTTP_REFERER="https://testserver/sheets/").status_code == 200

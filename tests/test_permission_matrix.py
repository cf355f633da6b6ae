"""Every URL of the project × every role gets the status its row in tests/permission_matrix.py
says (add your view's row there); an allowed POST changes the database, a refused one nothing."""

import json

import pytest
from django.urls import reverse

from tests.dumps import database_state
from tests.permission_matrix import AWAITING_ROWS, LOGIN, MATRIX, ROLES, project_urls


def test_every_url_has_a_row():
    missing = sorted(
        {f"{name}  ({route})" for name, route in project_urls() if name not in MATRIX and name not in AWAITING_ROWS}
    )
    assert not missing, "URLs without a row in the permission matrix:\n" + "\n".join(missing)


def test_no_url_is_both_awaiting_and_in_the_matrix():
    assert not AWAITING_ROWS & MATRIX.keys()


def test_every_row_names_a_url_that_exists():
    names = {name for name, _ in project_urls()}
    assert not MATRIX.keys() - names


CASES = [
    pytest.param(name, index, role, id=f"{name}-{row.method}-{role}")
    for name, rows in MATRIX.items()
    for index, row in enumerate(rows)
    for role in ROLES
]


@pytest.mark.parametrize("name,index,role", CASES)
def test_permission(request, client, world, name, index, role):
    row = MATRIX[name][index]
    if name.endswith("_pdf"):
        request.getfixturevalue("fake_renders")  # who may download is tested here, the PDF elsewhere
    if row.setup:
        row.setup(world)
    if world.users[role] is not None:
        client.force_login(world.users[role])
    before = database_state() if row.method == "POST" else None
    url = reverse(name, kwargs=row.kwargs(world))
    data = row.data(world) if row.data else None
    if row.method == "GET":
        response = client.get(url, data)
    elif row.json:
        response = client.post(url, json.dumps(data), content_type="application/json")
    else:
        response = client.post(url, data or {})
    expected = row.expect[role]
    login = reverse("login")
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith(login), response
    else:
        assert response.status_code == expected, (response, getattr(response, "content", b"")[:500])
        if expected == 302:
            assert not response["Location"].startswith(login)
    if before is not None:
        allowed = expected in (200, 302)
        assert (database_state() != before) == allowed, "an allowed POST changes the database, a refused one not"


def test_outsiders_cannot_tell_a_hidden_sheet_from_a_missing_one(client, world):
    client.force_login(world.users["other_officer"])
    hidden = client.get(reverse("sheets:edit", args=[world.sheet.pk]))
    missing = client.get(reverse("sheets:edit", args=[999999]))
    assert hidden.status_code == missing.status_code == 403


def test_outsiders_cannot_tell_a_hidden_city_report_from_a_missing_one(client, world):
    client.force_login(world.users["other_officer"])
    hidden = client.get(reverse("reports:edit", args=["milan", "2018"]))
    missing = client.get(reverse("reports:edit", args=["atlantis", "2018"]))
    assert hidden.status_code == missing.status_code == 403


def test_the_sign_in_and_password_reset_pages_need_no_login(client, db):
    for name in ("login", "password_reset", "password_reset_done", "password_reset_complete"):
        assert client.get(reverse(name)).status_code == 200, name

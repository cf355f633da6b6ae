"""IDOR: the ids and slugs of another city's sheets, columns, answers, report, self-assessment and
downloads get nobody anywhere who is not assigned to that city.

Turin has its own benchmarking here (a municipality sheet of round 2018 with one column and a
report), so its officer and coordinator are real users of the same pages; Milan's report is
not published. They try every URL of the application with Milan's objects, by GET and by POST,
and their own URLs with Milan's objects inside the request.
"""

import json
import re

import pytest
from django.urls import reverse

from assessments.cells import CellEdit, save_cells
from assessments.models import Answer, Checklist, CityReport, Round, Sheet
from tests.factories import make_sheet
from tests.security import database_state
from tests.permission_matrix import MATRIX, changed_answer

OUTSIDERS = ("other_officer", "other_coordinator")


@pytest.fixture
def turin_sheet(world, turin):
    checklist = Checklist.objects.get(stakeholder_type__slug="municipality", version="1")
    sheet = make_sheet(turin, checklist, respondents=("Comune di Torino",), round="2018")
    # Turin answers "no" where Milan answered "yes": a suggestion, if Milan's answers were visible to Turin.
    milan_yes = Answer.objects.filter(respondent__sheet=world.sheet, value="yes").values_list("statement_id", flat=True)
    column = sheet.respondents.get()
    Answer.objects.bulk_create(Answer(respondent=column, statement_id=s, value="no") for s in milan_yes)
    CityReport.objects.create(city=turin, round=Round.objects.get(name="2018"), national_context="Piedmont.")
    return sheet


def url_cases():
    """Every URL of the application with Milan's objects, once per URL name and kwargs."""
    seen = {}
    for name, rows in MATRIX.items():
        for row in rows:
            seen.setdefault((name, row.kwargs), row)
    return list(seen.items())


def accepts(method, name):
    return any(row.method == method for row in MATRIX[name])


@pytest.mark.parametrize("role", OUTSIDERS)
def test_another_citys_objects_are_refused_by_get_and_post(client, world, turin_sheet, role):
    assert not CityReport.objects.get(city=world.milan).published
    changed_answer(world)  # a change in Milan's history, for the restore
    client.force_login(world.users[role])
    before = database_state()
    leaks = []
    for (name, kwargs), row in url_cases():
        if (
            name in ("healthz", "home", "matching:round")
            or name.startswith("guidance:")
            and "city" not in kwargs(world)
        ):
            continue  # no object of a city in the URL
        if name.startswith("people:"):
            continue  # no city in the URL: staff's pages, a person's own profile, an invitation's link
        # The rows' setups (submit, validate) only matter to those who may act: refused either way.
        url = reverse(name, kwargs=kwargs(world))
        data = row.data(world) if row.data else {}
        got = client.get(url)
        if got.status_code not in (403, 404) and not (got.status_code == 405 and not accepts("GET", name)):
            leaks.append(f"GET {url}: {got.status_code}")
        posted = client.post(url, data)
        # 405 only where nobody may use the method at all: it says nothing about the object.
        if posted.status_code not in (403, 404) and not (posted.status_code == 405 and not accepts("POST", name)):
            leaks.append(f"POST {url}: {posted.status_code}")
        posted = client.post(url, json.dumps(data), content_type="application/json")
        if posted.status_code not in (403, 404, 405):
            leaks.append(f"POST (JSON) {url}: {posted.status_code}")
        for text in (got.content, posted.content):
            if b"Milan" in text:
                leaks.append(f"{url}: the refusal names Milan")
    assert not leaks, "\n".join(leaks)
    assert database_state() == before


def test_a_missing_id_and_another_citys_id_look_the_same(client, world, turin_sheet):
    client.force_login(world.users["other_officer"])
    for name in ("sheets:edit", "sheets:history", "reports:sheet", "reports:sheet_pdf", "sheets:respondents"):
        hidden = client.get(reverse(name, args=[world.sheet.pk]))
        missing = client.get(reverse(name, args=[10**9]))
        assert hidden.status_code == missing.status_code == 403, name
        assert same_page(hidden, missing), name


def same_page(one, other):
    """Whether two responses show the same page, but for their CSRF tokens and their own paths."""

    def bare(response):
        html = response.content.decode().replace(response.wsgi_request.path, "PATH")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)

    return bare(one) == bare(other)


# --- Milan's objects inside requests to Turin's own pages ---------------------------------


@pytest.fixture
def otto(client, world, turin_sheet):
    client.force_login(world.users["other_officer"])
    return client


def turin_cell(sheet):
    answer = Answer.objects.filter(respondent__sheet=sheet).order_by("id").first()
    return answer.statement_id, answer.respondent_id, answer.version


def test_a_full_save_of_my_sheet_cannot_write_into_another_citys_column(otto, world, turin_sheet):
    statement, _, _ = turin_cell(turin_sheet)
    milan_column = world.respondent.pk
    before = database_state()
    prefix = f"cell-{statement}-{milan_column}"
    response = otto.post(
        reverse("sheets:edit", args=[turin_sheet.pk]),
        {
            "version": turin_sheet.version,
            f"{prefix}-value": "nd",
            f"{prefix}-note": "overwritten",
            f"{prefix}-version": world.answer.version,
        },
    )
    assert response.status_code == 400
    assert database_state() == before


def test_an_autosave_to_my_sheet_cannot_write_into_another_citys_column(otto, world, turin_sheet):
    before = database_state()
    response = otto.post(
        reverse("sheets:answer", args=[turin_sheet.pk]),
        json.dumps(
            {
                "statement": world.statement.pk,
                "respondent": world.respondent.pk,
                "value": "nd",
                "note": "x",
                "version": world.answer.version,
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Milan" not in response.content.decode()
    assert database_state() == before


@pytest.mark.parametrize("name", ["sheets:respondent_edit", "sheets:respondent_move", "sheets:respondent_remove"])
def test_another_citys_column_under_my_sheet_is_not_found(otto, world, turin_sheet, name):
    url = reverse(name, kwargs={"sheet": turin_sheet.pk, "respondent": world.respondent.pk})
    before = database_state()
    assert otto.get(url).status_code in (404, 405)
    response = otto.post(
        url,
        {
            "name": "Taken over",
            "note": "",
            "was_name": world.respondent.name,
            "was_note": "",
            "direction": "left",
            "version": turin_sheet.version,
            "confirm": "on",
        },
    )
    assert response.status_code == 404
    assert database_state() == before


def test_restoring_another_citys_answer_through_my_sheet_is_refused(otto, world, turin_sheet):
    save_cells(
        world.sheet,
        world.users["officer"],
        [CellEdit(world.statement.pk, world.respondent.pk, "nd", "changed", world.answer.version)],
    )
    record = Answer.history.filter(id=world.answer.pk).order_by("-history_id").first()
    before = database_state()
    url = reverse("sheets:restore", args=[turin_sheet.pk, record.history_id])
    assert otto.get(url).status_code == 404
    response = otto.post(url, {"parts": ["value", "note"], "version": record.version})
    assert response.status_code == 404
    assert database_state() == before


def test_my_suggestions_do_not_reveal_an_unpublished_city(otto, world, turin_sheet):
    page = otto.get(reverse("matching:suggestions", args=["turin", "2018"]))
    assert page.status_code == 200 and "Milan" not in page.content.decode()
    before = database_state()
    response = otto.post(reverse("matching:suggestion_add", args=["turin", "2018"]), {"partner": "milan", "topic": ""})
    assert response.status_code == 302
    assert database_state() == before


@pytest.mark.parametrize("role", OUTSIDERS)
def test_every_other_city_page_of_mine_stays_silent_about_milan(client, world, turin_sheet, role):
    """Turin's own pages (report, sheet, downloads, matching) may count Milan, never show its texts."""
    client.force_login(world.users[role])
    milan_texts = [world.answer.note or "", CityReport.objects.get(city=world.milan).national_context[:60]]
    milan_texts = [t for t in milan_texts if t]
    pages = [
        reverse("reports:city", args=["turin", "2018"]),
        reverse("sheets:edit", args=[turin_sheet.pk]),
        reverse("reports:exchange_json", args=["turin", "2018"]),
        reverse("reports:answers_csv", args=["turin", "2018"]),
        reverse("matching:partners", args=["turin", "2018"]),
        reverse("matching:comparison", args=["turin", "2018"]),
        reverse("matching:round", args=["2018"]),
        reverse("home"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode("utf-8-sig")
        assert all(text not in body for text in milan_texts), url
    assert Sheet.objects.filter(city=world.milan).count() == 4

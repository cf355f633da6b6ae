"""Every URL of the project × every role → the status each must get.

The table `MATRIX` has one entry per URL name (namespaced names as "app:name"); the test
`test_every_url_has_a_row` walks the project's URL resolver, so a view added without a row
fails. To add your view: append an entry, e.g.

    "city_report": [Row(kwargs=city_round, expect=READ)],

`kwargs` and `data` are functions of the `World` (Milan's people and objects); `setup` runs
before the request (e.g. submit a sheet before validating it). Expectations are status codes,
or LOGIN for the redirect to the sign-in page. Roles: anonymous, Milan's officer and
coordinator, the officer and coordinator of another city (Turin), and an admin (staff).
"""
import json
from dataclasses import dataclass
from typing import Callable

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments import workflow
from assessments.editing import CellEdit, save_cells
from assessments.models import Answer, Round, Sheet

ROLES = ("anonymous", "officer", "other_officer", "coordinator", "other_coordinator", "admin")
LOGIN = "login"

# Not the application's pages: Django's admin, sign-in and language views, static files.
EXCLUDED_PREFIXES = ("admin/", "accounts/", "i18n/", "static/")

# URLs of work in progress by other engineers, who add their rows to MATRIX: move each name
# from here into MATRIX with its expectations. A name here never excuses a missing row silently:
# it is listed on purpose and reported in the README of the matrix (this docstring).
AWAITING_ROWS = frozenset()


def expect(*, anonymous=LOGIN, officer, other_officer=403, coordinator, other_coordinator=403, admin):
    return {
        "anonymous": anonymous, "officer": officer, "other_officer": other_officer,
        "coordinator": coordinator, "other_coordinator": other_coordinator, "admin": admin,
    }


# The usual ladders.
READ = expect(officer=200, coordinator=200, admin=200)  # a page of the city's people
EDIT_PAGE = expect(officer=200, coordinator=403, admin=200)  # a page for the city's editors
EDIT_POST = expect(officer=302, coordinator=403, admin=302)  # a change by an editor, then redirect
STAFF_POST = expect(officer=403, coordinator=403, admin=302)  # a change only staff may make
EVERYONE = expect(anonymous=200, officer=200, other_officer=200, coordinator=200, other_coordinator=200, admin=200)
SIGNED_IN = expect(officer=200, other_officer=200, coordinator=200, other_coordinator=200, admin=200)
RATE_POST = expect(officer=302, coordinator=302, admin=302)  # each of the city's people rates for themselves


@dataclass
class World:
    users: dict
    milan: object
    sheet: Sheet
    respondent: object
    statement: object
    answer: Answer


@dataclass
class Row:
    expect: dict
    method: str = "GET"
    kwargs: Callable = lambda w: {}
    data: Callable | None = None
    json: bool = False
    setup: Callable | None = None


def sheet_pk(w):
    return {"pk": w.sheet.pk}


def respondent_pk(w):
    return {"pk": w.sheet.pk, "respondent": w.respondent.pk}


def city_round(w):
    return {"slug": "milan", "round": "2018"}


def city_round_name(w):
    return {"slug": "milan", "round_name": "2018"}


def self_assessment(w):
    return {"module": "6", "city": "milan", "round": "2018"}


def new_round(w):
    Round.objects.create(name="2031")


def submitted(w):
    workflow.submit(w.sheet, w.users["officer"])


def validated(w):
    submitted(w)
    workflow.validate(w.sheet, w.users["admin"])


def changed_answer(w):
    """A recorded change to restore."""
    save_cells(w.sheet, w.users["officer"], [CellEdit(w.statement.pk, w.respondent.pk, "nd", "", w.answer.version)])
    w.answer.refresh_from_db()


def restore_data(w):
    record = Answer.history.filter(id=w.answer.pk).order_by("-history_id").first()
    return {"record": record.history_id, "version": w.answer.version}


def full_save(w):
    w.answer.refresh_from_db()
    prefix = f"cell-{w.statement.pk}-{w.respondent.pk}"
    return {"version": w.sheet.version, f"{prefix}-value": "nd", f"{prefix}-note": "", f"{prefix}-version": w.answer.version}


def autosave(w):
    return {"statement": w.statement.pk, "respondent": w.respondent.pk, "value": "nd", "note": "",
            "version": w.answer.version}


def version(w):
    w.sheet.refresh_from_db()
    return {"version": w.sheet.version, "comment": "Please check 1.2."}


MATRIX = {
    "healthz": [Row(expect=EVERYONE)],
    "home": [Row(expect=SIGNED_IN)],
    "sheet_edit": [
        Row(kwargs=sheet_pk, expect=READ),
        Row(method="POST", kwargs=sheet_pk, data=full_save, expect=EDIT_POST),
    ],
    "sheet_answer": [
        Row(method="POST", kwargs=sheet_pk, data=autosave, json=True, expect=expect(officer=200, coordinator=403, admin=200)),
    ],
    "sheet_submit": [
        Row(kwargs=sheet_pk, expect=EDIT_PAGE),
        Row(method="POST", kwargs=sheet_pk, data=version, expect=EDIT_POST),
    ],
    "sheet_validate": [Row(method="POST", kwargs=sheet_pk, data=version, setup=submitted, expect=STAFF_POST)],
    "sheet_return": [Row(method="POST", kwargs=sheet_pk, data=version, setup=submitted, expect=STAFF_POST)],
    "sheet_reopen": [Row(method="POST", kwargs=sheet_pk, data=version, setup=validated, expect=STAFF_POST)],
    "sheet_history": [Row(kwargs=sheet_pk, expect=READ)],
    "sheet_restore": [Row(method="POST", kwargs=sheet_pk, data=restore_data, setup=changed_answer, expect=EDIT_POST)],
    "sheet_respondents": [
        Row(kwargs=sheet_pk, expect=EDIT_PAGE),
        Row(method="POST", kwargs=sheet_pk, data=lambda w: {"add-name": "New org", "add-note": ""}, expect=EDIT_POST),
    ],
    "respondent_edit": [
        Row(kwargs=respondent_pk, expect=EDIT_PAGE),
        Row(method="POST", kwargs=respondent_pk, expect=EDIT_POST, data=lambda w: {
            "name": "Comune di Milano", "note": "", "was_name": w.respondent.name, "was_note": w.respondent.note,
        }),
    ],
    "respondent_move": [Row(method="POST", kwargs=respondent_pk, data=lambda w: {"direction": "left"}, expect=EDIT_POST)],
    "respondent_remove": [
        Row(kwargs=respondent_pk, expect=EDIT_PAGE),
        Row(method="POST", kwargs=respondent_pk, data=lambda w: {"version": w.sheet.version, "confirm": "on"},
            expect=EDIT_POST),
    ],
    "report_edit": [Row(kwargs=city_round, expect=EDIT_PAGE)],
    "city_report": [Row(kwargs=city_round_name, expect=READ)],
    "city_report_pdf": [Row(kwargs=city_round_name, expect=READ)],
    "city_answers_csv": [Row(kwargs=city_round_name, expect=READ)],
    "city_answers_xlsx": [Row(kwargs=city_round_name, expect=READ)],
    "city_exchange_json": [Row(kwargs=city_round_name, expect=READ)],
    "sheet_report": [Row(kwargs=sheet_pk, expect=READ)],
    "sheet_pdf": [Row(kwargs=sheet_pk, expect=READ)],
    # The OECD guidance and the self-assessment (issue 6).
    "guidance:index": [Row(expect=SIGNED_IN)],
    "guidance:search": [Row(data=lambda w: {"q": "online platforms"}, expect=SIGNED_IN)],
    "guidance:module": [Row(kwargs=lambda w: {"module": "6"}, expect=SIGNED_IN)],
    "guidance:statement": [Row(kwargs=lambda w: {"module": "6", "number": "6.1"}, expect=SIGNED_IN)],
    "guidance:rate": [
        Row(kwargs=self_assessment, expect=READ),
        Row(method="POST", kwargs=self_assessment, data=lambda w: {"version": 0, "score_6.1": "7", "seen_6.1": ""},
            expect=RATE_POST),
    ],
    "guidance:results": [Row(kwargs=self_assessment, expect=READ)],
    "guidance:results_pdf": [Row(kwargs=self_assessment, expect=READ)],
    # Matching and comparing cities (issue 5).
    "matching": [Row(kwargs=lambda w: {"round_name": "2018"}, expect=SIGNED_IN)],
    "city_partners": [Row(kwargs=city_round_name, expect=READ)],
    "city_suggestions": [Row(kwargs=city_round_name, expect=READ)],
    "city_suggestion_add": [
        Row(method="POST", kwargs=city_round_name, data=lambda w: {"partner": "turin", "topic": "networking"},
            expect=EDIT_POST),
    ],
    "city_comparison": [Row(kwargs=city_round_name, expect=READ)],
    "city_comparison_pdf": [Row(kwargs=city_round_name, expect=READ)],
    "city_new_round": [
        Row(kwargs=city_round_name, expect=EDIT_PAGE),
        Row(method="POST", kwargs=city_round_name, data=lambda w: {"to_round": "2031"}, setup=new_round,
            expect=EDIT_POST),
    ],
    "city_rounds": [Row(kwargs=lambda w: {"slug": "milan", "before": "2018", "after": "2018"}, expect=READ)],
}


def project_urls():
    """(url name, route) of every URL pattern of the project, outside EXCLUDED_PREFIXES."""
    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace if not namespace else f"{namespace}:{pattern.namespace}"
                yield from walk(pattern.url_patterns, route, inner if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or f"<unnamed {route}>"
                yield (f"{namespace}:{name}" if namespace else name), route
    return [(name, route) for name, route in walk(get_resolver().url_patterns, "", None)
            if not route.startswith(EXCLUDED_PREFIXES)]


def test_every_url_has_a_row():
    missing = sorted({f"{name}  ({route})" for name, route in project_urls()
                      if name not in MATRIX and name not in AWAITING_ROWS})
    assert not missing, "URLs without a row in the permission matrix:\n" + "\n".join(missing)


def test_no_url_is_both_awaiting_and_in_the_matrix():
    assert not AWAITING_ROWS & MATRIX.keys()


def test_every_row_names_a_url_that_exists():
    names = {name for name, _ in project_urls()}
    assert not MATRIX.keys() - names


@pytest.fixture
def world(milan, officer, other_officer, coordinator, other_coordinator, admin_user):
    sheet = Sheet.objects.select_related("city").get(city=milan, checklist__stakeholder_type__slug="municipality")
    respondent = sheet.respondents.select_related("organisation").first()
    answer = Answer.objects.filter(respondent=respondent).select_related("statement").order_by("id").first()
    users = {
        "anonymous": None, "officer": officer, "other_officer": other_officer, "coordinator": coordinator,
        "other_coordinator": other_coordinator, "admin": admin_user,
    }
    return World(users, milan, sheet, respondent, answer.statement, answer)


CASES = [
    pytest.param(name, index, role, id=f"{name}-{row.method}-{role}")
    for name, rows in MATRIX.items() for index, row in enumerate(rows) for role in ROLES
]


@pytest.mark.parametrize("name,index,role", CASES)
def test_permission(client, world, name, index, role):
    row = MATRIX[name][index]
    if row.setup:
        row.setup(world)
    if world.users[role] is not None:
        client.force_login(world.users[role])
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


def test_outsiders_cannot_tell_a_hidden_sheet_from_a_missing_one(client, world):
    client.force_login(world.users["other_officer"])
    hidden = client.get(reverse("sheet_edit", args=[world.sheet.pk]))
    missing = client.get(reverse("sheet_edit", args=[999999]))
    assert hidden.status_code == missing.status_code == 403


def test_outsiders_cannot_tell_a_hidden_city_report_from_a_missing_one(client, world):
    client.force_login(world.users["other_officer"])
    hidden = client.get(reverse("report_edit", args=["milan", "2018"]))
    missing = client.get(reverse("report_edit", args=["atlantis", "2018"]))
    assert hidden.status_code == missing.status_code == 403


def test_the_sign_in_and_password_reset_pages_need_no_login(client, db):
    for name in ("login", "password_reset", "password_reset_done", "password_reset_complete"):
        assert client.get(reverse(name)).status_code == 200, name

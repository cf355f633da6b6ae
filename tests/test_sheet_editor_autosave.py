"""The editor script's autosave of one cell: JSON in, JSON out, 409 on a conflict."""

import json

import pytest
from django.urls import reverse

from assessments import workflow
from assessments.models import MAX_NOTE_LENGTH, Answer, Sheet
from tests.sheet_posts import answer_at, cell, snapshot


def autosave(client, sheet, key, value, note="", version=None, raw=None):
    if version is None:
        answer = answer_at(key)
        version = answer.version if answer else 0
    body = (
        raw
        if raw is not None
        else json.dumps({"statement": key[0], "respondent": key[1], "value": value, "note": note, "version": version})
    )
    return client.post(reverse("sheets:answer", args=[sheet.pk]), body, content_type="application/json")


def test_autosave_saves_one_cell_and_returns_the_new_versions(client, officer, sheet):
    client.force_login(officer)
    key = cell(sheet, 1, 1, 1)
    before = answer_at(key)
    response = autosave(client, sheet, key, "no", "Asked twice.")
    assert response.status_code == 200
    body = response.json()
    after = answer_at(key)
    sheet.refresh_from_db()
    assert (after.value, after.note, after.updated_by) == ("no", "Asked twice.", officer)
    assert body["version"] == after.version == before.version + 1
    assert body["sheet_version"] == sheet.version
    assert body["progress"]["answered"] == body["progress"]["total"] == 28
    assert [level["number"] for level in body["progress"]["levels"]] == [1, 2, 3]
    assert Answer.history.filter(id=after.pk).latest("history_id").history_user == officer


def test_autosave_returns_the_renumbered_footnotes(client, officer, sheet):
    client.force_login(officer)
    first = cell(sheet, 1, 1, 0)
    response = autosave(client, sheet, first, "yes", "A new first annotation.")
    footnotes = response.json()["footnotes"]
    # The header note of Mille Soleils is 1, so the new annotation of the first cell is 2.
    assert footnotes[f"{first[0]}-{first[1]}"] == 2
    assert response.json()["columns"] == {str(first[1]): 1}


def test_autosave_also_accepts_a_plain_form_post(client, officer, sheet):
    client.force_login(officer)
    key = cell(sheet, 2, 1)
    answer = answer_at(key)
    response = client.post(
        reverse("sheets:answer", args=[sheet.pk]),
        {
            "statement": key[0],
            "respondent": key[1],
            "value": "nd",
            "note": "",
            "version": answer.version,
        },
    )
    assert response.status_code == 200 and answer_at(key).value == "nd"


def test_autosave_of_the_value_already_saved_changes_nothing(client, officer, sheet):
    client.force_login(officer)
    key = cell(sheet, 1, 1)
    answer = answer_at(key)
    before = snapshot(sheet)
    response = autosave(client, sheet, key, answer.value, answer.note)
    assert response.status_code == 200 and response.json()["version"] == answer.version
    assert snapshot(sheet) == before


def test_stale_autosave_is_a_409_with_the_other_persons_answer(client, officer, colleague, sheet):
    key = cell(sheet, 1, 2, 0)
    seen = answer_at(key).version
    client.force_login(colleague)
    assert autosave(client, sheet, key, "no", "Colleague's note.", version=seen).status_code == 200
    client.force_login(officer)
    before = snapshot(sheet)
    response = autosave(client, sheet, key, "nd", "Mine.", version=seen)
    assert response.status_code == 409
    body = response.json()
    assert body["error"] == "conflict"
    assert (body["value"], body["note"], body["version"], body["by"]) == ("no", "Colleague's note.", seen + 1, "paola")
    assert snapshot(sheet) == before
    # Taking mine: send again based on their version.
    assert autosave(client, sheet, key, "nd", "Mine.", version=body["version"]).status_code == 200
    assert answer_at(key).note == "Mine."


@pytest.mark.parametrize(
    "raw,message",
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "JSON object"),
    ],
)
def test_autosave_refuses_what_is_not_an_answer(client, officer, sheet, raw, message):
    client.force_login(officer)
    response = autosave(client, sheet, cell(sheet, 1, 1), "yes", raw=raw)
    assert response.status_code == 400 and message in response.json()["message"]


@pytest.mark.parametrize(
    "change,message",
    [
        ({"value": "maybe"}, "value"),
        ({"note": "x" * (MAX_NOTE_LENGTH + 1)}, "note"),
        ({"note": "a\x00b"}, "note"),
        ({"version": -1}, "version"),
        ({"statement": 987654}, "Statement 987654 is not on the checklist"),
        ({"respondent": "other"}, "is not a column of this sheet"),
        ({"value": None}, "value missing"),
        ({"note": None}, "note missing"),
    ],
)
def test_tampered_autosave_is_400_and_changes_nothing(client, officer, sheet, milan, change, message):
    client.force_login(officer)
    key = cell(sheet, 1, 1)
    data = {"statement": key[0], "respondent": key[1], "value": "no", "note": "", "version": answer_at(key).version}
    if change.get("respondent") == "other":
        change = {
            "respondent": Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="chamber")
            .respondents.get()
            .pk
        }
    data.update(change)
    data = {name: value for name, value in data.items() if value is not None}
    before = snapshot(sheet)
    response = autosave(client, sheet, key, None, raw=json.dumps(data))
    assert response.status_code == 400
    assert message in response.json()["message"]
    assert snapshot(sheet) == before


def test_autosave_on_a_submitted_sheet_is_refused(client, officer, sheet):
    workflow.transition(sheet, officer, workflow.Action.SUBMIT)
    client.force_login(officer)
    before = snapshot(sheet)
    response = autosave(client, sheet, cell(sheet, 1, 1), "no")
    assert response.status_code == 409 and response.json()["error"] == "locked"
    assert snapshot(sheet) == before


def test_coordinator_cannot_autosave(client, coordinator, sheet):
    client.force_login(coordinator)
    before = snapshot(sheet)
    assert autosave(client, sheet, cell(sheet, 1, 1), "no").status_code == 403
    assert snapshot(sheet) == before


def test_autosave_needs_post(client, officer, sheet):
    client.force_login(officer)
    assert client.get(reverse("sheets:answer", args=[sheet.pk])).status_code == 405

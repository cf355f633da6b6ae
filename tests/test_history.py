"""The history of a sheet: who changed what, when, old → new; restoring is a recorded change."""

import json
from datetime import datetime, UTC

import pytest
from django.urls import reverse

from assessments import columns, workflow
from assessments.cells import CellEdit, save_cells
from assessments.history import sheet_history
from assessments.models import Answer, Sheet
from tests.sheet_posts import answer_at, cell, snapshot


@pytest.fixture
def sheet(milan):
    return Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="chamber")


def change(sheet, user, key, value, note=""):
    answer = answer_at(key)
    result = save_cells(sheet, user, [CellEdit(key[0], key[1], value, note, answer.version if answer else 0)])
    assert result.ok
    return answer_at(key)


def test_history_lists_answer_changes_with_who_when_and_old_to_new(client, officer, sheet):
    key = cell(sheet, 1, 2)
    old = answer_at(key)
    change(sheet, officer, key, "nd", "No figures were given.")
    client.force_login(officer)
    html = client.get(reverse("sheets:history", args=[sheet.pk])).content.decode()
    assert "Statement 1.2 – CCI" in html
    row = html.split("Statement 1.2 – CCI")[1].split("</tr>")[0]
    assert "No data" in row and "Annotation: No figures were given." in row
    assert str(Answer.Value(old.value).label) in row
    assert "olga" in html.split("Statement 1.2 – CCI")[0].rsplit("<tr>", 1)[1]


def test_history_lists_column_and_status_changes(officer, admin_user, sheet):
    column = sheet.respondents.get()
    columns.change_respondent(column, officer, name="CCI", note="Camera di Commercio.", was=(column.name, column.note))
    workflow.transition(sheet, officer, workflow.Action.SUBMIT)
    workflow.transition(sheet, admin_user, workflow.Action.RETURN, comment="Check 2.1")
    changes = sheet_history(sheet)
    kinds = [c.kind for c in changes]
    assert kinds[:3] == ["status", "status", "column"]
    assert changes[0].comment == "Check 2.1" and changes[0].user == admin_user
    assert changes[2].new == ["Header note: Camera di Commercio."]


def test_coordinator_reads_the_history_without_restore_buttons(client, officer, coordinator, sheet):
    change(sheet, officer, cell(sheet, 1, 1), "no")
    client.force_login(coordinator)
    html = client.get(reverse("sheets:history", args=[sheet.pk])).content.decode()
    assert "Statement 1.1" in html and "Restore" not in html


def restore_url(sheet, record):
    return reverse("sheets:restore", args=[sheet.pk, record.history_id])


def latest_record(answer):
    return Answer.history.filter(id=answer.pk).latest("history_id")


def test_restore_asks_first_and_says_what_each_part_becomes(client, officer, colleague, sheet):
    key = cell(sheet, 2, 1)
    original = answer_at(key)
    changed = change(sheet, colleague, key, "no", "Wrong note.")
    client.force_login(officer)
    history = client.get(reverse("sheets:history", args=[sheet.pk])).content.decode()
    assert restore_url(sheet, latest_record(changed)) in history  # a link, not a button that restores
    before = snapshot(sheet)
    page = client.get(restore_url(sheet, latest_record(changed)))
    assert page.status_code == 200 and snapshot(sheet) == before
    html = page.content.decode()
    assert 'type="checkbox" name="parts" value="value"' in html and 'name="parts" value="note"' in html
    assert "Wrong note." in html and str(Answer.Value(original.value).label) in html
    assert 'id="restore-form"' in html and "<script" not in html.split('id="restore-form"')[1].split("</form>")[0]


def test_restoring_an_earlier_answer_is_itself_recorded(client, officer, colleague, sheet):
    key = cell(sheet, 2, 1)
    original = answer_at(key)
    changed = change(sheet, colleague, key, "no", "Wrong note.")
    client.force_login(officer)
    record = latest_record(changed)
    response = client.post(restore_url(sheet, record), {"parts": ["value", "note"], "version": changed.version})
    assert response.status_code == 302
    restored = answer_at(key)
    assert (restored.value, restored.note) == (original.value, original.note)
    latest = latest_record(restored)
    assert latest.history_user == officer
    assert json.loads(latest.history_change_reason) == {
        "what": "restore",
        "record": record.history_id,
        "parts": ["value", "note"],
    }
    assert "the restore is itself in the history" in client.get(response["Location"]).content.decode()


def test_restoring_the_value_keeps_an_annotation_added_later(client, officer, sheet):
    """Restore "Yes" once wiped an annotation written after that value."""
    key = cell(sheet, 2, 1)
    change(sheet, officer, key, "yes", "")
    changed = change(sheet, officer, key, "no")
    record = latest_record(changed)
    later = change(sheet, officer, key, "no", "Added later: the desk closed in 2019.")
    client.force_login(officer)
    html = client.get(restore_url(sheet, record)).content.decode()
    assert 'name="parts" value="value" id="restore-value" checked' in html
    assert "Added later" in html and 'id="restore-note" checked' not in html
    client.post(restore_url(sheet, record), {"parts": ["value"], "version": later.version})
    restored = answer_at(key)
    assert (restored.value, restored.note) == ("yes", "Added later: the desk closed in 2019.")


def test_restore_says_when_a_part_was_changed_again_since(client, officer, colleague, sheet):
    key = cell(sheet, 2, 1)
    record = latest_record(change(sheet, officer, key, "no"))
    change(sheet, colleague, key, "nd")
    client.force_login(officer)
    html = client.get(restore_url(sheet, record)).content.decode()
    assert "Changed again since (last change by paola" in html


def test_restore_reason_is_shown_in_the_readers_language_and_time_zone(client, officer, sheet, settings):
    key = cell(sheet, 2, 1)
    changed = change(sheet, officer, key, "no")
    record = latest_record(changed)
    Answer.history.filter(history_id=record.history_id).update(history_date=datetime(2026, 3, 12, 23, 30, tzinfo=UTC))
    client.force_login(officer)
    client.post(restore_url(sheet, record), {"parts": ["value"], "version": changed.version})
    html = client.get(reverse("sheets:history", args=[sheet.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # 23:30 UTC is 00:30 on the next day in Rome, the site's time zone; in English's date format.
    assert "Restored the answer from before the change of March 13, 2026, 12:30 a.m." in html
    stored = latest_record(answer_at(key)).history_change_reason
    assert "Restored" not in stored and "2026" not in stored  # data, not English text or a UTC time
    client.cookies["django_language"] = "it"
    italian = client.get(reverse("sheets:history", args=[sheet.pk]), HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert "13 Marzo 2026 00:30" in italian.split("history-table")[1]


def test_restore_of_an_answer_changed_since_the_page_was_opened_is_refused(client, officer, sheet):
    key = cell(sheet, 2, 1)
    changed = change(sheet, officer, key, "no")
    record = latest_record(changed)
    change(sheet, officer, key, "nd")
    client.force_login(officer)
    before = snapshot(sheet)
    response = client.post(restore_url(sheet, record), {"parts": ["value"], "version": changed.version}, follow=True)
    assert "Not restored" in response.content.decode()
    assert snapshot(sheet) == before


def test_restore_without_a_part_chosen_is_refused_with_a_message(client, officer, sheet):
    changed = change(sheet, officer, cell(sheet, 2, 1), "no")
    client.force_login(officer)
    before = snapshot(sheet)
    response = client.post(restore_url(sheet, latest_record(changed)), {"version": changed.version})
    assert response.status_code == 400 and "Choose what to restore" in response.content.decode()
    assert snapshot(sheet) == before


def test_restore_of_a_record_of_another_sheet_is_refused(client, officer, milan, sheet):
    other = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="municipality")
    changed = change(other, officer, cell(other, 1, 1), "nd")
    client.force_login(officer)
    before = snapshot(other)
    response = client.post(restore_url(sheet, latest_record(changed)), {"parts": ["value"], "version": changed.version})
    assert response.status_code == 404 and snapshot(other) == before
    huge = reverse("sheets:restore", args=[sheet.pk, 2**70])
    assert client.get(huge).status_code == 400  # no id has 19 digits: refused before any view


def test_restore_on_a_submitted_sheet_is_refused(client, officer, sheet):
    changed = change(sheet, officer, cell(sheet, 2, 1), "nd")
    record = latest_record(changed)
    workflow.transition(sheet, officer, workflow.Action.SUBMIT)
    client.force_login(officer)
    before = snapshot(sheet)
    client.post(restore_url(sheet, record), {"parts": ["value"], "version": changed.version})
    assert snapshot(sheet) == before


def test_history_of_a_removed_column_is_kept(officer, milan):
    sheet = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="immigrant_business_organisation")
    sunugal = sheet.respondents.get(organisation__name="Sunugal")
    sheet.refresh_from_db()
    columns.remove_respondent(sunugal, officer, version=sheet.version)
    subjects = [c.subject for c in sheet_history(sheet)]
    assert "Column “Sunugal” removed" in subjects
    assert any(s.endswith("– Sunugal") for s in subjects)


def test_history_page_costs_a_fixed_number_of_queries(client, officer, sheet, django_assert_max_num_queries):
    for value in ("no", "nd", "yes", "no"):
        change(sheet, officer, cell(sheet, 1, 1), value)
        change(sheet, officer, cell(sheet, 3, 2), value, note=value)
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("sheets:history", args=[sheet.pk])).status_code == 200


@pytest.mark.parametrize("changes", [1, 12])
def test_restore_page_costs_the_same_queries_however_long_the_history(
    client, officer, sheet, changes, django_assert_num_queries
):
    key = cell(sheet, 1, 1)
    for i in range(changes):
        changed = change(sheet, officer, key, ("no", "nd", "yes")[i % 3], note=f"note {i}")
    client.force_login(officer)
    url = restore_url(sheet, latest_record(changed))
    client.get(url)  # the session and the user are read once, outside what is counted
    with django_assert_num_queries(13):
        assert client.get(url).status_code == 200

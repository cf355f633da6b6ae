"""The history of a sheet: who changed what, when, old → new; restoring is a recorded change."""
import re

import pytest
from django.urls import reverse

from assessments import editing, workflow
from assessments.editing import CellEdit, save_cells
from assessments.history import sheet_history
from assessments.models import Answer, Sheet
from stakeholders.models import Assignment
from tests.factories import make_user
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
    html = client.get(reverse("sheet_history", args=[sheet.pk])).content.decode()
    assert "Statement 1.2 – CCI" in html
    row = html.split("Statement 1.2 – CCI")[1].split("</tr>")[0]
    assert "No data" in row and "Annotation: No figures were given." in row
    assert str(Answer.Value(old.value).label) in row
    assert "olga" in html.split("Statement 1.2 – CCI")[0].rsplit("<tr>", 1)[1]


def test_history_lists_column_and_status_changes(officer, admin_user, sheet):
    column = sheet.respondents.get()
    editing.change_respondent(column, officer, name="CCI", note="Camera di Commercio.", was=(column.name, column.note))
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
    html = client.get(reverse("sheet_history", args=[sheet.pk])).content.decode()
    assert "Statement 1.1" in html and "Restore" not in html


def test_restoring_an_earlier_answer_is_itself_recorded(client, officer, milan, sheet):
    colleague = make_user("paola", city=milan, role=Assignment.Role.OFFICER)
    key = cell(sheet, 2, 1)
    original = answer_at(key)
    change(sheet, colleague, key, "no", "Wrong note.")
    client.force_login(officer)
    html = client.get(reverse("sheet_history", args=[sheet.pk])).content.decode()
    form = re.search(r'name="record" value="(\d+)">\s*<input type="hidden" name="version" value="(\d+)">', html)
    response = client.post(reverse("sheet_restore", args=[sheet.pk]), {"record": form[1], "version": form[2]})
    assert response.status_code == 302
    restored = answer_at(key)
    assert (restored.value, restored.note) == (original.value, original.note)
    latest = Answer.history.filter(id=restored.pk).latest("history_id")
    assert latest.history_user == officer and latest.history_change_reason.startswith("restored")
    assert "Restored the earlier answer" in client.get(response["Location"]).content.decode()


def test_restore_of_an_answer_changed_since_the_history_was_opened_is_refused(client, officer, sheet):
    key = cell(sheet, 2, 1)
    changed = change(sheet, officer, key, "no")
    record = Answer.history.filter(id=changed.pk).latest("history_id")
    change(sheet, officer, key, "nd")
    client.force_login(officer)
    before = snapshot(sheet)
    response = client.post(reverse("sheet_restore", args=[sheet.pk]),
                           {"record": record.history_id, "version": changed.version}, follow=True)
    assert "Not restored" in response.content.decode()
    assert snapshot(sheet) == before


def test_restore_of_a_record_of_another_sheet_is_refused(client, officer, milan, sheet):
    other = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="municipality")
    changed = change(other, officer, cell(other, 1, 1), "nd")
    record = Answer.history.filter(id=changed.pk).latest("history_id")
    client.force_login(officer)
    before = snapshot(other)
    response = client.post(reverse("sheet_restore", args=[sheet.pk]), {"record": record.history_id, "version": changed.version})
    assert response.status_code == 400 and snapshot(other) == before


def test_restore_on_a_submitted_sheet_is_refused(client, officer, sheet):
    changed = change(sheet, officer, cell(sheet, 2, 1), "nd")
    record = Answer.history.filter(id=changed.pk).latest("history_id")
    workflow.transition(sheet, officer, workflow.Action.SUBMIT)
    client.force_login(officer)
    before = snapshot(sheet)
    client.post(reverse("sheet_restore", args=[sheet.pk]), {"record": record.history_id, "version": changed.version})
    assert snapshot(sheet) == before


def test_history_of_a_removed_column_is_kept(officer, milan):
    sheet = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="immigrant_business_organisation")
    sunugal = sheet.respondents.get(organisation__name="Sunugal")
    sheet.refresh_from_db()
    editing.remove_respondent(sunugal, officer, version=sheet.version)
    subjects = [c.subject for c in sheet_history(sheet)]
    assert "Column “Sunugal” removed" in subjects
    assert any(s.endswith("– Sunugal") for s in subjects)


def test_history_page_costs_a_fixed_number_of_queries(client, officer, sheet, django_assert_max_num_queries):
    for value in ("no", "nd", "yes", "no"):
        change(sheet, officer, cell(sheet, 1, 1), value)
        change(sheet, officer, cell(sheet, 3, 2), value, note=value)
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("sheet_history", args=[sheet.pk])).status_code == 200

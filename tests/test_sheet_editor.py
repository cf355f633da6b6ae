"""The sheet editor page and its full-form save (the path that works without JavaScript)."""

import re

import pytest
from django.urls import reverse

from assessments import workflow
from assessments.models import MAX_NOTE_LENGTH, Answer, Sheet
from tests.factories import make_checklist, make_sheet
from tests.sheet_posts import answer_at, cell, load_editor, set_cell, snapshot


def editor(client, sheet):
    return client.get(reverse("sheets:edit", args=[sheet.pk]))


def post(client, sheet, fields):
    return client.post(reverse("sheets:edit", args=[sheet.pk]), fields)


# --- the page -----------------------------------------------------------------------------


def test_editor_is_laid_out_like_the_seed_sheet(officer_client, sheet):
    html = editor(officer_client, sheet).content.decode()
    assert sheet.checklist.outcome in html
    for level in sheet.checklist.levels.all():
        assert f"{level.number}. {level.name}" in html
        assert level.description in html
    assert "Mille Soleils" in html and "Sunugal" in html
    first = sheet.checklist.levels.get(number=1).statements.order_by("position").first()
    assert first.text in html


def test_each_cell_is_a_fieldset_with_a_legend_and_visible_labels(officer_client, sheet):
    html = editor(officer_client, sheet).content.decode()
    statements = sum(level.statements.count() for level in sheet.checklist.levels.all())
    assert html.count('<fieldset class="sheet-cell"') == statements * 2
    assert '<legend class="visually-hidden">Statement 1.1, Mille Soleils</legend>' in html
    statement_id, respondent_id = cell(sheet, 1, 1, 1)
    for value, label in [("yes", "Yes"), ("no", "No"), ("nd", "No data"), ("open", "Not answered")]:
        radio = f'id="v{statement_id}-{respondent_id}-{value}"'
        assert radio in html
        assert f'for="v{statement_id}-{respondent_id}-{value}">{label}</label>' in html


def test_input_names_keep_their_ids_whole_where_numbers_are_grouped(officer_client, sheet, settings):
    """Ids in names are machine values: with thousands separators on, the grid must still post
    `cell-<statement>-12345-value`, not `cell-<statement>-12,345-value`."""
    from assessments.models import Respondent
    from stakeholders.models import Organisation

    settings.USE_THOUSAND_SEPARATOR = True
    organisation = Organisation.objects.create(
        city=sheet.city, stakeholder_type=sheet.checklist.stakeholder_type, name="Large Id Association"
    )
    Respondent.objects.create(pk=12345, sheet=sheet, organisation=organisation, position=9)
    html = officer_client.get(reverse("sheets:edit", args=[sheet.pk])).content.decode()
    assert "Large Id Association" in html and "12,345" not in html
    statement_id = cell(sheet, 1, 1, 0)[0]
    assert f'name="cell-{statement_id}-12345-value"' in html
    assert f'data-cell="{statement_id}-12345"' in html
    assert 'data-respondent="12345"' in html and 'data-column-footnote="12345"' in html


def test_annotation_opens_on_demand_and_shows_its_footnote_number(officer_client, sheet):
    html = editor(officer_client, sheet).content.decode()
    # Milan's immigrant organisations sheet: header note 1, then the first annotation is footnote 2.
    assert html.count('<details class="cell-note">') > 0
    assert "(footnote 2)" in html
    assert 'data-column-footnote="' in html


def test_progress_shows_answered_over_total_and_per_level(officer_client, sheet):
    key = cell(sheet, 2, 1)
    Answer.objects.filter(statement_id=key[0], respondent_id=key[1]).update(value="")
    html = editor(officer_client, sheet).content.decode()
    assert 'max="28" value="27"' in html
    assert re.search(r'data-level-progress="2">11 / 12<', html)


def test_editor_has_no_inline_script_or_style(officer_client, sheet):
    html = editor(officer_client, sheet).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)
    assert "js/sheet-editor.js" in html


def test_annotations_are_escaped(officer_client, sheet):
    key = cell(sheet, 1, 1)
    Answer.objects.filter(statement_id=key[0], respondent_id=key[1]).update(note="<script>alert(1)</script>")
    html = editor(officer_client, sheet).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_coordinator_sees_the_sheet_without_form_controls(client, coordinator, sheet):
    client.force_login(coordinator)
    html = editor(client, sheet).content.decode()
    assert "<input" not in html.split('id="main"')[1].split("</main>")[0]
    assert "<textarea" not in html and "sheet-editor.js" not in html
    assert "Mille Soleils" in html and "✓" in html
    assert 'id="footnote-1"' in html


def test_validated_sheet_is_read_only_even_for_its_officer_and_admin(client, officer, admin_user, sheet):
    workflow.transition(sheet, officer, workflow.Action.SUBMIT)
    workflow.transition(sheet, admin_user, workflow.Action.VALIDATE)
    for user in (officer, admin_user):
        client.force_login(user)
        html = editor(client, sheet).content.decode()
        assert '<fieldset class="sheet-cell"' not in html
        assert "read-only" in html


def test_each_statement_row_includes_the_extras_hook(officer_client, sheet):
    """Other apps (the guidance) add to each statement through
    assessments/_editor_statement_extras.html, with `statement`, `sheet` and `editable`."""
    from django.template import loader

    source = loader.get_template("assessments/_editor_grid.html").template.source
    assert '{% include "assessments/_editor_statement_extras.html" with statement=row.statement %}' in source
    response = editor(officer_client, sheet)
    used = [t.name for t in response.templates]
    statements = sum(level.statements.count() for level in sheet.checklist.levels.all())
    assert used.count("assessments/_editor_statement_extras.html") == statements


# --- saving the whole form ----------------------------------------------------------------


def test_full_save_writes_each_change_with_its_user_and_new_versions(officer_client, officer, sheet):
    fields = load_editor(officer_client, sheet)
    yes_cell, note_cell = cell(sheet, 1, 1, 0), cell(sheet, 3, 4, 1)
    before = answer_at(yes_cell)
    old_version = sheet.version
    set_cell(fields, yes_cell, value="no")
    set_cell(fields, note_cell, note="Checked with the\nassociation's board.")
    response = post(officer_client, sheet, fields)
    assert response.status_code == 302 and response["Location"] == reverse("sheets:edit", args=[sheet.pk])
    after = answer_at(yes_cell)
    assert (after.value, after.version, after.updated_by) == ("no", before.version + 1, officer)
    assert answer_at(note_cell).note == "Checked with the\nassociation's board."
    sheet.refresh_from_db()
    assert sheet.version == old_version + 1 and sheet.updated_by == officer
    records = Answer.history.filter(id=after.pk).order_by("-history_id")
    assert records[0].value == "no" and records[0].history_user == officer
    assert "Saved 2 changes" in officer_client.get(response["Location"]).content.decode()


def test_full_save_without_changes_writes_nothing(officer_client, sheet):
    fields = load_editor(officer_client, sheet)
    before = snapshot(sheet)
    assert post(officer_client, sheet, fields).status_code == 302
    assert snapshot(sheet) == before


def test_crlf_from_the_browser_is_stored_as_lf(officer_client, sheet):
    fields = load_editor(officer_client, sheet)
    key = cell(sheet, 1, 2)
    set_cell(fields, key, note="one\r\ntwo")
    post(officer_client, sheet, fields)
    assert answer_at(key).note == "one\ntwo"
    fields = load_editor(officer_client, sheet)
    before = snapshot(sheet)
    post(officer_client, sheet, {**fields, f"cell-{key[0]}-{key[1]}-note": "one\r\ntwo"})
    assert snapshot(sheet) == before


def test_a_cell_can_be_cleared_again(officer_client, sheet):
    fields = load_editor(officer_client, sheet)
    key = cell(sheet, 1, 1)
    set_cell(fields, key, value="")
    post(officer_client, sheet, fields)
    assert answer_at(key).value == ""


def test_first_answers_of_an_empty_sheet_are_created(client, officer, milan):
    sheet = make_sheet(milan, make_checklist(version="t1"), respondents=["Org A", "Org B"])
    client.force_login(officer)
    fields = load_editor(client, sheet)
    key = cell(sheet, 2, 2, 1)
    set_cell(fields, key, value="nd", note="Not asked.")
    assert post(client, sheet, fields).status_code == 302
    answer = answer_at(key)
    assert (answer.value, answer.note, answer.version) == ("nd", "Not asked.", 1)
    assert Answer.objects.filter(respondent__sheet=sheet).count() == 1


def test_saving_a_sheet_that_was_submitted_meanwhile_is_refused_and_lists_what_was_typed(
    officer_client, officer, sheet
):
    fields = load_editor(officer_client, sheet)
    workflow.transition(sheet, officer, workflow.Action.SUBMIT)
    key = cell(sheet, 1, 1)
    set_cell(fields, key, value="no", note="Typed before the submit.")
    before = snapshot(sheet)
    response = post(officer_client, sheet, fields)
    assert response.status_code == 409
    html = response.content.decode()
    assert "nothing you sent was saved" in html and "Typed before the submit." in html
    assert snapshot(sheet) == before


# --- bad input ------------------------------------------------------------------------------


def tampered(fields, key, **parts):
    for part, value in parts.items():
        fields[f"cell-{key[0]}-{key[1]}-{part}"] = value
    return fields


@pytest.fixture
def other_sheet(milan):
    return Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="chamber")


@pytest.mark.parametrize(
    "case",
    [
        "unknown statement",
        "statement of another checklist",
        "respondent of another sheet",
        "value outside the choices",
        "annotation too long",
        "null character",
        "field name",
        "missing version",
        "incomplete cell",
        "bad cell version",
        "theirs without a valid choice",
        "damaged fingerprint",
    ],
)
def test_tampered_post_is_refused_with_a_clear_message_and_changes_nothing(officer_client, sheet, other_sheet, case):
    fields = load_editor(officer_client, sheet)
    mine = cell(sheet, 1, 1)
    set_cell(fields, cell(sheet, 1, 2), value="no")  # a legitimate change that must not be written
    other_statement, other_respondent = cell(other_sheet, 1, 1)
    edit = {"value": "yes", "note": "", "version": "0"}
    if case == "unknown statement":
        tampered(fields, (987654, mine[1]), **edit)
        message = "Statement 987654 is not on the checklist of this sheet"
    elif case == "statement of another checklist":
        tampered(fields, (other_statement, mine[1]), **edit)
        message = f"Statement {other_statement} is not on the checklist of this sheet"
    elif case == "respondent of another sheet":
        tampered(fields, (mine[0], other_respondent), **edit)
        message = f"Column {other_respondent} is not a column of this sheet"
    elif case == "value outside the choices":
        tampered(fields, mine, value="maybe")
        message = "“maybe” is not an answer"
    elif case == "annotation too long":
        tampered(fields, mine, note="x" * (MAX_NOTE_LENGTH + 1))
        message = f"at most {MAX_NOTE_LENGTH} characters"
    elif case == "null character":
        tampered(fields, mine, note="a\x00b")
        message = "null characters"
    elif case == "field name":
        fields["cell-1-2-colour"] = "red"
        message = "is not a field of the sheet editor"
    elif case == "missing version":
        del fields["version"]
        message = "sheet version is missing"
    elif case == "incomplete cell":
        del fields[f"cell-{mine[0]}-{mine[1]}-note"]
        message = "is incomplete"
    elif case == "bad cell version":
        tampered(fields, mine, version="-1")
        message = "answer version is missing or not a number"
    elif case == "damaged fingerprint":
        tampered(fields, mine, seen="<script>")
        message = "fingerprint of the form is damaged"
    else:
        fields[f"theirs-{mine[0]}-{mine[1]}"] = "1"
        fields[f"choice-{mine[0]}-{mine[1]}"] = "both"
        message = "Choose “keep theirs” or “take mine”"
    before = snapshot(sheet)
    response = post(officer_client, sheet, fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "Nothing was changed." in html
    assert snapshot(sheet) == before


@pytest.mark.parametrize("intruder", ["other_officer", "coordinator"])
def test_only_the_citys_officers_can_post_to_the_sheet(request, client, officer, sheet, intruder):
    client.force_login(officer)
    fields = load_editor(client, sheet)
    client.force_login(request.getfixturevalue(intruder))
    before = snapshot(sheet)
    assert post(client, sheet, set_cell(fields, cell(sheet, 1, 1), value="no")).status_code == 403
    assert snapshot(sheet) == before

"""Two people editing the same sheet at once: no edit is ever silently lost."""

import json

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from assessments.cells import seen_of

from assessments.models import Answer
from tests.sheet_posts import answer_at, cell, form_fields, load_editor, set_cell, snapshot


@pytest.fixture
def olga(officer_client):
    return officer_client


@pytest.fixture
def paola(colleague_client):
    return colleague_client


def save(client, sheet, fields):
    return client.post(reverse("sheets:edit", args=[sheet.pk]), fields)


def test_two_people_changing_the_same_answer_get_a_conflict_screen_not_an_overwrite(olga, paola, sheet):
    key = cell(sheet, 2, 3, 1)
    olgas_form, paolas_form = load_editor(olga, sheet), load_editor(paola, sheet)

    set_cell(paolas_form, key, value="no", note="Paola: they stopped in 2017.")
    assert save(paola, sheet, paolas_form).status_code == 302

    set_cell(olgas_form, key, value="yes", note="Olga: still running.")
    before = snapshot(sheet)
    response = save(olga, sheet, olgas_form)

    assert response.status_code == 409
    assert snapshot(sheet) == before  # nothing written
    html = response.content.decode()
    assert "Paola: they stopped in 2017." in html and "Olga: still running." in html
    assert "paola changed the answer and its annotation" in html
    statement = answer_at(key).statement
    assert f"<strong>2.3</strong> {statement.text}" in html
    assert answer_at(key).note == "Paola: they stopped in 2017."


def test_taking_mine_on_the_conflict_screen_saves_mine_and_keeps_theirs_in_the_history(olga, paola, sheet):
    key = cell(sheet, 2, 3, 1)
    olgas_form, paolas_form = load_editor(olga, sheet), load_editor(paola, sheet)
    save(paola, sheet, set_cell(paolas_form, key, value="no", note="Paola's."))
    conflict = save(olga, sheet, set_cell(olgas_form, key, value="yes", note="Olga's."))
    resolution = form_fields(conflict.content.decode(), form_id="conflict-form")
    resolution[f"choice-{key[0]}-{key[1]}"] = "mine"
    assert save(olga, sheet, resolution).status_code == 302
    answer = answer_at(key)
    assert (answer.value, answer.note) == ("yes", "Olga's.")
    notes = list(Answer.history.filter(id=answer.pk).order_by("history_id").values_list("note", flat=True))
    assert notes[-2:] == ["Paola's.", "Olga's."]


def test_keeping_theirs_saves_my_other_changes_but_not_the_contested_one(olga, paola, sheet):
    contested, other = cell(sheet, 2, 3, 1), cell(sheet, 1, 1, 0)
    olgas_form, paolas_form = load_editor(olga, sheet), load_editor(paola, sheet)
    save(paola, sheet, set_cell(paolas_form, contested, note="Paola's."))
    set_cell(olgas_form, contested, note="Olga's.")
    set_cell(olgas_form, other, note="Olga's uncontested note.")
    conflict = save(olga, sheet, olgas_form)
    assert "your other 1 change will be saved" in conflict.content.decode()
    resolution = form_fields(conflict.content.decode(), form_id="conflict-form")
    resolution[f"choice-{contested[0]}-{contested[1]}"] = "theirs"
    assert save(olga, sheet, resolution).status_code == 302
    assert answer_at(contested).note == "Paola's."
    assert answer_at(other).note == "Olga's uncontested note."


@pytest.mark.parametrize("button,expected", [("mine", "Olga's note."), ("theirs", "Paola's note.")])
def test_keep_all_and_take_all_buttons_decide_every_contested_answer(olga, paola, sheet, button, expected):
    keys = [cell(sheet, 3, 1, 0), cell(sheet, 3, 2, 1)]
    olgas_form, paolas_form = load_editor(olga, sheet), load_editor(paola, sheet)
    for key in keys:
        set_cell(paolas_form, key, note="Paola's note.")
        set_cell(olgas_form, key, note="Olga's note.")
    save(paola, sheet, paolas_form)
    conflict = save(olga, sheet, olgas_form)
    resolution = form_fields(conflict.content.decode(), form_id="conflict-form")
    resolution["all"] = button
    assert save(olga, sheet, resolution).status_code == 302
    assert [answer_at(key).note for key in keys] == [expected, expected]


def test_an_answer_left_without_a_choice_stays_contested(olga, paola, sheet):
    key = cell(sheet, 2, 3, 1)
    olgas_form, paolas_form = load_editor(olga, sheet), load_editor(paola, sheet)
    save(paola, sheet, set_cell(paolas_form, key, value="no"))
    conflict = save(olga, sheet, set_cell(olgas_form, key, value="yes"))
    before = snapshot(sheet)
    again = save(olga, sheet, form_fields(conflict.content.decode(), form_id="conflict-form"))
    assert again.status_code == 409 and snapshot(sheet) == before


def test_a_third_save_between_screen_and_choice_is_a_new_conflict(olga, paola, sheet):
    key = cell(sheet, 2, 3, 1)
    olgas_form, paolas_form = load_editor(olga, sheet), load_editor(paola, sheet)
    save(paola, sheet, set_cell(paolas_form, key, value="no"))
    conflict = save(olga, sheet, set_cell(olgas_form, key, value="yes"))
    save(paola, sheet, set_cell(load_editor(paola, sheet), key, value="", note="Paola again."))
    resolution = form_fields(conflict.content.decode(), form_id="conflict-form")
    resolution[f"choice-{key[0]}-{key[1]}"] = "mine"
    response = save(olga, sheet, resolution)
    assert response.status_code == 409 and "Paola again." in response.content.decode()
    assert answer_at(key).value == ""


def test_changes_to_different_answers_are_merged_without_asking(olga, paola, sheet):
    hers, mine = cell(sheet, 1, 1, 0), cell(sheet, 1, 2, 1)
    olgas_form, paolas_form = load_editor(olga, sheet), load_editor(paola, sheet)
    save(paola, sheet, set_cell(paolas_form, hers, note="Paola's."))
    # Olga's stale form still posts the old value of Paola's cell: that is not a change of Olga's.
    response = save(olga, sheet, set_cell(olgas_form, mine, value="nd"))
    assert response.status_code == 302
    assert answer_at(hers).note == "Paola's." and answer_at(mine).value == "nd"
    page = olga.get(response["Location"]).content.decode()
    assert "changed by somebody else while you worked" in page


def test_a_stale_form_that_does_not_say_what_it_saw_asks_rather_than_guesses(olga, paola, sheet):
    """Without what the form showed of a stale cell (`-seen`), its base is unknown, so the save
    asks; the history is not read to guess it."""
    key = cell(sheet, 1, 1, 0)
    olgas_form = {name: value for name, value in load_editor(olga, sheet).items() if not name.endswith("-seen")}
    Answer.objects.filter(statement_id=key[0], respondent_id=key[1]).update(value="no", version=5)
    before = snapshot(sheet)
    response = save(olga, sheet, set_cell(olgas_form, cell(sheet, 1, 2, 0), value="nd"))
    assert response.status_code == 409 and snapshot(sheet) == before


def test_answers_for_a_column_removed_meanwhile_are_shown_not_saved(olga, paola, sheet):
    removed = sheet.respondents.get(organisation__name="Sunugal")
    olgas_form = load_editor(olga, sheet)
    key, kept = cell(sheet, 1, 1, 1), cell(sheet, 1, 1, 0)
    assert key[1] == removed.pk
    page = paola.get(reverse("sheets:respondent_remove", args=[sheet.pk, removed.pk])).content.decode()
    remove = form_fields(page, form_id="remove-form")
    remove["confirm"] = "on"
    assert paola.post(reverse("sheets:respondent_remove", args=[sheet.pk, removed.pk]), remove).status_code == 302
    set_cell(olgas_form, key, note="Typed for Sunugal.")
    set_cell(olgas_form, kept, note="Typed for Mille Soleils.")
    response = save(olga, sheet, olgas_form)
    assert response.status_code == 409
    html = response.content.decode()
    assert "The column was removed by somebody else." in html and "Typed for Sunugal." in html
    resolution = form_fields(html, form_id="conflict-form")
    assert not any(name.startswith(f"cell-{key[0]}-{key[1]}-") for name in resolution)
    assert save(olga, sheet, resolution).status_code == 302
    assert answer_at(kept).note == "Typed for Mille Soleils."


# --- per part of a cell: the answer and its annotation ----------------------------------------


def autosave(client, sheet, key, value, note, version, seen):
    return client.post(
        reverse("sheets:answer", args=[sheet.pk]),
        json.dumps(
            {
                "statement": key[0],
                "respondent": key[1],
                "value": value,
                "note": note,
                "version": version,
                "seen": seen,
            }
        ),
        content_type="application/json",
    )


def shown(key):
    """(version, seen) of a cell as the editor draws it now."""
    answer = answer_at(key)
    return (answer.version, seen_of(answer.value, answer.note)) if answer else (0, seen_of("", ""))


def test_a_note_only_change_in_a_stale_window_does_not_conflict_on_the_answer(olga, paola, sheet):
    key = cell(sheet, 2, 3, 1)
    version, seen = shown(key)
    old = answer_at(key)
    assert (
        autosave(paola, sheet, key, "yes" if old.value != "yes" else "no", old.note, version, seen).status_code == 200
    )
    theirs = answer_at(key).value
    # Olga's page still shows the old answer; she only writes an annotation.
    response = autosave(olga, sheet, key, old.value, "Olga's annotation.", version, seen)
    assert response.status_code == 200
    assert (response.json()["value"], response.json()["note"]) == (theirs, "Olga's annotation.")
    assert (answer_at(key).value, answer_at(key).note) == (theirs, "Olga's annotation.")


def test_a_note_only_change_in_a_stale_full_save_keeps_the_other_persons_answer(olga, paola, sheet):
    key = cell(sheet, 2, 3, 1)
    olgas_form, paolas_form = load_editor(olga, sheet), load_editor(paola, sheet)
    save(paola, sheet, set_cell(paolas_form, key, value="no"))
    response = save(olga, sheet, set_cell(olgas_form, key, note="Olga's annotation."))
    assert response.status_code == 302
    assert (answer_at(key).value, answer_at(key).note) == ("no", "Olga's annotation.")


def test_both_changing_the_annotation_conflicts_on_the_annotation_alone_and_names_who_and_when(olga, paola, sheet):
    key = cell(sheet, 2, 3, 1)
    version, seen = shown(key)
    old = answer_at(key)
    assert autosave(paola, sheet, key, old.value, "Paola's.", version, seen).status_code == 200
    before = snapshot(sheet)
    response = autosave(olga, sheet, key, "no" if old.value != "no" else "yes", "Olga's.", version, seen)
    assert response.status_code == 409 and snapshot(sheet) == before
    body = response.json()
    assert body["parts"] == ["note"] and body["by"] == "paola" and not body["by_you"]
    saved_at = formats.date_format(timezone.localtime(answer_at(key).updated_at), "DATETIME_FORMAT")
    assert body["message"] == f"paola changed the annotation ({saved_at}) after you opened the page."
    # Taking mine keeps my answer, which only I changed, and my annotation.
    assert body["resolved"] == {"value": "no" if old.value != "no" else "yes", "note": "Olga's."}


def test_a_conflict_with_my_own_other_window_says_so(olga, sheet):
    key = cell(sheet, 2, 3, 1)
    version, seen = shown(key)
    old = answer_at(key)
    assert autosave(olga, sheet, key, old.value, "First window.", version, seen).status_code == 200
    response = autosave(olga, sheet, key, old.value, "Second window.", version, seen)
    assert response.status_code == 409
    body = response.json()
    assert body["by_you"] and body["by"] == "you, in another window"
    assert body["message"].startswith("You changed the annotation in another window (")


def test_the_conflict_screen_names_me_when_the_other_save_was_mine(olga, sheet):
    key = cell(sheet, 2, 3, 1)
    first, second = load_editor(olga, sheet), load_editor(olga, sheet)
    save(olga, sheet, set_cell(first, key, value="no", note="First window."))
    response = save(olga, sheet, set_cell(second, key, value="yes", note="Second window."))
    assert response.status_code == 409
    html = response.content.decode()
    assert "You changed the answer and its annotation in another window" in html
    assert "you changed the same answers in another window" in html and "somebody else" not in html

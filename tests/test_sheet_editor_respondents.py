"""Respondent columns: add, rename with the header note, reorder, remove with confirmation."""

from django.urls import reverse

from assessments import workflow
from assessments.models import Answer, Respondent, Sheet
from tests.sheet_posts import form_fields, snapshot


def names(sheet):
    return list(sheet.respondents.order_by("position").values_list("organisation__name", flat=True))


def test_adding_a_column_puts_it_last_and_bumps_the_sheet_version(officer_client, officer, sheet):
    version = sheet.version
    response = officer_client.post(
        reverse("sheets:respondents", args=[sheet.pk]),
        {
            "add-name": "  Associazione   Nuovi Imprenditori ",
            "add-note": "Interviewed in May.",
        },
    )
    assert response.status_code == 302
    assert names(sheet) == ["Mille Soleils", "Sunugal", "Associazione Nuovi Imprenditori"]
    added = sheet.respondents.get(position=3)
    assert added.note == "Interviewed in May."
    assert added.organisation.city_id == sheet.city_id
    sheet.refresh_from_db()
    assert sheet.version == version + 1 and sheet.updated_by == officer
    assert Respondent.history.filter(id=added.pk, history_type="+").get().history_user == officer


def test_a_column_cannot_be_added_twice(officer_client, sheet):
    before = snapshot(sheet)
    response = officer_client.post(reverse("sheets:respondents", args=[sheet.pk]), {"add-name": "Sunugal"})
    assert response.status_code == 400
    assert "“Sunugal” already has a column on this sheet." in response.content.decode()
    assert snapshot(sheet) == before and names(sheet) == ["Mille Soleils", "Sunugal"]


def test_renaming_a_column_keeps_its_answers_and_records_the_change(officer_client, officer, sheet):
    column = sheet.respondents.get(organisation__name="Sunugal")
    answers = Answer.objects.filter(respondent=column).count()
    page = officer_client.get(reverse("sheets:respondent_edit", args=[sheet.pk, column.pk])).content.decode()
    fields = form_fields(page, form_id="respondent-form")
    fields.update({"name": "Sunugal Association", "note": "Senegalese association, Milan."})
    assert officer_client.post(reverse("sheets:respondent_edit", args=[sheet.pk, column.pk]), fields).status_code == 302
    column.refresh_from_db()
    assert (column.name, column.note) == ("Sunugal Association", "Senegalese association, Milan.")
    assert Answer.objects.filter(respondent=column).count() == answers
    assert column.history.latest("history_id").history_user == officer


def test_renaming_a_column_somebody_else_renamed_meanwhile_shows_theirs_and_keeps_mine(officer_client, sheet):
    column = sheet.respondents.get(organisation__name="Sunugal")
    page = officer_client.get(reverse("sheets:respondent_edit", args=[sheet.pk, column.pk])).content.decode()
    fields = form_fields(page, form_id="respondent-form")
    Respondent.objects.filter(pk=column.pk).update(note="Their note.")
    fields.update({"name": "Sunugal", "note": "My note."})
    response = officer_client.post(reverse("sheets:respondent_edit", args=[sheet.pk, column.pk]), fields)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Their note." in html and "My note." in html
    column.refresh_from_db()
    assert column.note == "Their note."
    # Saving again, now based on theirs, replaces it deliberately.
    again = form_fields(html, form_id="respondent-form")
    assert officer_client.post(reverse("sheets:respondent_edit", args=[sheet.pk, column.pk]), again).status_code == 302
    column.refresh_from_db()
    assert column.note == "My note."


def test_moving_columns_reorders_them(officer_client, sheet):
    sunugal = sheet.respondents.get(organisation__name="Sunugal")
    url = reverse("sheets:respondent_move", args=[sheet.pk, sunugal.pk])
    assert officer_client.post(url, {"direction": "left"}).status_code == 302
    assert names(sheet) == ["Sunugal", "Mille Soleils"]
    officer_client.post(url, {"direction": "left"})  # already first: nothing moves
    assert names(sheet) == ["Sunugal", "Mille Soleils"]
    officer_client.post(url, {"direction": "right"})
    assert names(sheet) == ["Mille Soleils", "Sunugal"]


def test_removing_a_column_asks_first_and_says_what_goes(officer_client, sheet):
    sunugal = sheet.respondents.get(organisation__name="Sunugal")
    url = reverse("sheets:respondent_remove", args=[sheet.pk, sunugal.pk])
    page = officer_client.get(url).content.decode()
    answered = Answer.objects.filter(respondent=sunugal).exclude(value="").count()
    assert f"{answered} answers" in page
    before = snapshot(sheet)
    unconfirmed = form_fields(page, form_id="remove-form")
    response = officer_client.post(url, unconfirmed)
    assert response.status_code == 400 and "Tick the box" in response.content.decode()
    assert snapshot(sheet) == before and names(sheet) == ["Mille Soleils", "Sunugal"]


def test_removing_a_column_keeps_its_answers_in_the_history(officer_client, officer, sheet):
    sunugal = sheet.respondents.get(organisation__name="Sunugal")
    answer_ids = list(Answer.objects.filter(respondent=sunugal).values_list("id", flat=True))
    url = reverse("sheets:respondent_remove", args=[sheet.pk, sunugal.pk])
    fields = form_fields(officer_client.get(url).content.decode(), form_id="remove-form")
    fields["confirm"] = "on"
    assert officer_client.post(url, fields).status_code == 302
    assert names(sheet) == ["Mille Soleils"]
    assert not Answer.objects.filter(id__in=answer_ids).exists()
    removed = Answer.history.filter(id__in=answer_ids, history_type="-")
    assert removed.count() == len(answer_ids) and {r.history_user for r in removed} == {officer}
    assert Respondent.history.filter(id=sunugal.pk, history_type="-").exists()


def test_removing_a_column_that_changed_since_the_confirmation_asks_again(officer_client, sheet):
    sunugal = sheet.respondents.get(organisation__name="Sunugal")
    url = reverse("sheets:respondent_remove", args=[sheet.pk, sunugal.pk])
    fields = form_fields(officer_client.get(url).content.decode(), form_id="remove-form")
    fields["confirm"] = "on"
    Sheet.objects.filter(pk=sheet.pk).update(version=sheet.version + 1)  # somebody saved meanwhile
    response = officer_client.post(url, fields)
    assert response.status_code == 409 and "confirm again" in response.content.decode()
    assert names(sheet) == ["Mille Soleils", "Sunugal"]


def test_columns_of_a_submitted_sheet_cannot_change(officer_client, officer, sheet):
    workflow.transition(sheet, officer, workflow.Action.SUBMIT)
    sunugal = sheet.respondents.get(organisation__name="Sunugal")
    before = snapshot(sheet)
    officer_client.post(reverse("sheets:respondents", args=[sheet.pk]), {"add-name": "New"})
    officer_client.post(reverse("sheets:respondent_move", args=[sheet.pk, sunugal.pk]), {"direction": "left"})
    officer_client.post(
        reverse("sheets:respondent_remove", args=[sheet.pk, sunugal.pk]), {"version": sheet.version, "confirm": "on"}
    )
    officer_client.post(
        reverse("sheets:respondent_edit", args=[sheet.pk, sunugal.pk]),
        {"name": "X", "note": "", "was_name": "Sunugal", "was_note": ""},
    )
    assert snapshot(sheet) == before and names(sheet) == ["Mille Soleils", "Sunugal"]


def test_a_column_of_another_sheet_is_not_found(officer_client, sheet, milan):
    other = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="chamber").respondents.get()
    assert officer_client.get(reverse("sheets:respondent_edit", args=[sheet.pk, other.pk])).status_code == 404
    assert (
        officer_client.post(
            reverse("sheets:respondent_move", args=[sheet.pk, other.pk]), {"direction": "left"}
        ).status_code
        == 404
    )


def test_a_bad_move_direction_is_refused(officer_client, sheet):
    sunugal = sheet.respondents.get(organisation__name="Sunugal")
    response = officer_client.post(
        reverse("sheets:respondent_move", args=[sheet.pk, sunugal.pk]), {"direction": "up"}, follow=True
    )
    assert "Move a column to the left or to the right." in response.content.decode()
    assert names(sheet) == ["Mille Soleils", "Sunugal"]

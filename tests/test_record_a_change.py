"""Every path that changes an answer, a report or a rating records the change the same way:
a new version, who made it, and a history record with a structured reason.

And the probe's case: an answer changed through the admin's spreadsheet import, then an officer's
save from a page opened before it, is a conflict, never a silent overwrite.
"""

import copy
import io
import json

import pytest
from django.contrib import admin
from django.test import Client
from import_export.admin import ImportExportMixin
from import_export.resources import Resource
from django.urls import reverse

from assessments import restore
from assessments.cells import CellEdit, save_cells
from assessments.changes import Reason, RecordsChanges, RecordsChangesAdmin, read_reason
from assessments.exchange import export_city, import_city
from matching.matches import Suggestion, add_look_at
from assessments.models import Answer, CityReport, Round, Sheet, Topic
from guidance.models import SelfAssessment
from stakeholders.models import City
from tests.sheet_posts import answer_at, cell, load_editor, set_cell


@pytest.fixture
def sheet(milan):
    return Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="chamber")


@pytest.fixture
def staff_client(admin_user):
    admin_user.is_superuser = True
    admin_user.save()
    client = Client()
    client.force_login(admin_user)
    return client


def assert_recorded(obj, before_version, user, what):
    """`obj` (re-read) is at a newer version, by `user`, and its latest history record says so."""
    obj.refresh_from_db()
    assert obj.version > before_version
    assert obj.updated_by == user
    record = type(obj).history.filter(id=obj.pk).latest("history_id")
    assert record.history_user == user and record.version == obj.version
    assert read_reason(record.history_change_reason)["what"] == what


def chamber_cell(sheet):
    """The CCI column's answer to statement 3.1, which the seed has."""
    key = cell(sheet, 3, 1, 0)
    return key, answer_at(key)


def spreadsheet(value, note):
    rows = [
        "city,round,stakeholder_type,version,level,position,respondent,value,note",
        f"milan,2018,chamber,1,3,1,CCI,{value},{note}",
    ]
    upload = io.BytesIO("\n".join(rows).encode())
    upload.name = "answers.csv"
    return upload


def import_spreadsheet(client, upload):
    preview = client.post(
        reverse("admin:assessments_answer_import"), {"import_file": upload, "format": "0", "resource": "0"}
    )
    assert "confirm_form" in preview.context, preview.content.decode()[:2000]
    form = preview.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    return client.post(reverse("admin:assessments_answer_process_import"), data, follow=True)


def test_the_sheet_editors_full_save_records_the_change(officer_client, officer, sheet):
    key, answer = chamber_cell(sheet)
    officer_client.post(
        reverse("sheets:edit", args=[sheet.pk]), set_cell(load_editor(officer_client, sheet), key, value="nd")
    )
    assert_recorded(answer, answer.version, officer, Reason.EDITOR)
    assert_recorded(sheet, sheet.version, officer, Reason.EDITOR)


def test_autosave_records_the_change(officer_client, officer, sheet):
    key, answer = chamber_cell(sheet)
    response = officer_client.post(
        reverse("sheets:answer", args=[sheet.pk]),
        json.dumps(
            {
                "statement": key[0],
                "respondent": key[1],
                "value": "nd",
                "note": "",
                "version": answer.version,
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert_recorded(answer, answer.version, officer, Reason.EDITOR)


def test_the_admin_change_form_records_the_change(staff_client, admin_user, sheet):
    key, answer = chamber_cell(sheet)
    url = reverse("admin:assessments_answer_change", args=[answer.pk])
    response = staff_client.post(
        url,
        {
            "respondent": answer.respondent_id,
            "statement": answer.statement_id,
            "value": "nd",
            "note": "By the admin.",
            "seen_version": answer.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert_recorded(answer, answer.version, admin_user, Reason.ADMIN)
    assert_recorded(sheet, sheet.version, admin_user, Reason.ADMIN)


def test_the_admin_change_form_of_a_report_records_the_change(staff_client, admin_user, milan):
    report = CityReport.objects.get(city=milan, round__name="2018")
    url = reverse("admin:assessments_cityreport_change", args=[report.pk])
    data = {
        "city": report.city_id,
        "round": report.round_id,
        "national_context": "By the admin.",
        "city_observations": report.city_observations,
        "conclusions-TOTAL_FORMS": "0",
        "conclusions-INITIAL_FORMS": "0",
        "conclusions-MIN_NUM_FORMS": "0",
        "conclusions-MAX_NUM_FORMS": "1000",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert_recorded(report, report.version, admin_user, Reason.ADMIN)


def test_the_admin_change_form_refuses_to_overwrite_a_change_made_meanwhile(staff_client, officer_client, sheet):
    key, answer = chamber_cell(sheet)
    officer_client.post(
        reverse("sheets:edit", args=[sheet.pk]),
        set_cell(load_editor(officer_client, sheet), key, note="The officer's note."),
    )
    response = staff_client.post(
        reverse("admin:assessments_answer_change", args=[answer.pk]),
        {
            "respondent": answer.respondent_id,
            "statement": answer.statement_id,
            "value": "nd",
            "note": "",
            "seen_version": answer.version,
        },
    )
    assert (
        response.status_code == 200
        and "olga changed this answer after you opened this page" in response.content.decode()
    )
    assert answer_at(key).note == "The officer's note."


def test_the_admin_spreadsheet_import_records_the_change(staff_client, admin_user, sheet):
    key, answer = chamber_cell(sheet)
    import_spreadsheet(staff_client, spreadsheet("nd", "Imported."))
    assert (answer_at(key).value, answer_at(key).note) == ("nd", "Imported.")
    assert_recorded(answer, answer.version, admin_user, Reason.SPREADSHEET)
    assert_recorded(sheet, sheet.version, admin_user, Reason.SPREADSHEET)


def test_the_admins_history_page_shows_reasons_as_words(staff_client, sheet):
    key, answer = chamber_cell(sheet)
    import_spreadsheet(staff_client, spreadsheet("nd", "Imported."))
    html = staff_client.get(reverse("admin:assessments_answer_history", args=[answer.pk])).content.decode()
    assert "Imported from a spreadsheet in the admin" in html and '{"what"' not in html.replace("&quot;", '"')


def test_a_stale_save_after_a_spreadsheet_import_is_a_conflict_not_an_overwrite(staff_client, officer_client, sheet):
    key, answer = chamber_cell(sheet)
    stale = load_editor(officer_client, sheet)  # the officer opened the sheet before the import
    import_spreadsheet(staff_client, spreadsheet("nd", "Imported."))
    response = officer_client.post(
        reverse("sheets:edit", args=[sheet.pk]), set_cell(stale, key, value="no", note="Mine.")
    )
    assert response.status_code == 409
    assert "Imported." in response.content.decode()
    assert (answer_at(key).value, answer_at(key).note) == ("nd", "Imported.")


def test_the_exchange_import_records_the_answers_it_writes(milan, officer):
    document = copy.deepcopy(export_city(milan))
    document["city"] = {"slug": "milano-copy", "name": "Milano (copy)", "country": "Italy"}
    city, _ = import_city(document, user=officer)
    answers = Answer.objects.filter(respondent__sheet__city=city)
    assert answers.count() == 90
    records = Answer.history.filter(id__in=answers.values("pk"))
    assert records.count() == 90
    assert {(r.history_user_id, read_reason(r.history_change_reason)["what"], r.version) for r in records} == {
        (officer.pk, Reason.EXCHANGE, 1)
    }


def test_the_exchange_import_records_the_ratings_it_writes(milan, officer, admin_user):
    document = copy.deepcopy(export_city(milan))
    document["city"] = {"slug": "milano-copy", "name": "Milano (copy)", "country": "Italy"}
    document["self_assessments"] = [
        {"module": "6", "participant": "olga", "ratings": [{"statement": "6.1", "score": 7}]},
    ]
    city, _ = import_city(document, user=admin_user)
    assessment = SelfAssessment.objects.get(city=city)
    assert_recorded(assessment, 0, admin_user, Reason.EXCHANGE)
    rating = assessment.ratings.get()
    assert rating.history.get().history_user == admin_user


def test_a_suggestion_added_to_the_report_records_the_change(milan, officer):
    round = Round.objects.get(name="2018")
    report = CityReport.objects.get(city=milan, round=round)
    partner = City.objects.create(slug="partner", name="Partner", country="Spain")
    add_look_at(milan, round, Suggestion(partner, Topic.objects.first(), [], []), officer)
    assert_recorded(report, report.version, officer, Reason.SUGGESTION)


def test_a_restore_records_the_change(officer, sheet):
    key, answer = chamber_cell(sheet)
    save_cells(sheet, officer, [CellEdit(key[0], key[1], "nd", answer.note, answer.version)])
    changed = answer_at(key)
    record = Answer.history.filter(id=answer.pk).latest("history_id")
    restore.restore(sheet, officer, record, parts=["value"], expected_version=changed.version)
    assert_recorded(changed, changed.version, officer, Reason.RESTORE)
    assert answer_at(key).value == answer.value


def test_ratings_record_the_change(officer_client, officer):
    url = reverse("guidance:rate", args=["6", "milan", "2018"])
    form = officer_client.get(url).context["form"]
    data = {"version": form.initial["version"]}
    for s in form.statements:
        data[form.score_name(s)] = data[form.seen_name(s)] = form.initial[form.score_name(s)]
    data[form.score_name(form.statements[0])] = "7"
    assert officer_client.post(url, data).status_code == 302
    assessment = SelfAssessment.objects.get(participant=officer)
    assert_recorded(assessment, 0, officer, Reason.RATING)
    data["version"], data[form.seen_name(form.statements[0])] = assessment.version, "7"
    data[form.score_name(form.statements[0])] = "8"
    assert officer_client.post(url, data).status_code == 302
    assert_recorded(assessment, assessment.version, officer, Reason.RATING)


def test_every_admin_and_spreadsheet_import_of_a_model_that_records_changes_records_them():
    """The surface: a model admin or an import-export resource added later for such a model must
    record its changes too, or this fails."""
    recorded = [model for model in admin.site._registry if issubclass(model, RecordsChanges)]
    assert {m.__name__ for m in recorded} >= {"Answer", "Sheet", "CityReport", "SelfAssessment"}
    for model in recorded:
        model_admin = admin.site._registry[model]
        assert isinstance(model_admin, RecordsChangesAdmin), f"{type(model_admin).__name__} does not record changes"
        if isinstance(model_admin, ImportExportMixin):
            for resource in model_admin.get_resource_classes(None):
                assert resource.before_save_instance is not Resource.before_save_instance, (
                    f"{resource.__name__} imports {model.__name__} rows without recording the change"
                )

"""The sheet editor's cached grid (assessments/editor_cache.py): a reload shows every change,
whichever path made it, and the cache is shared only between readers who would see the same grid."""
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from assessments import editor_cache, workflow
from assessments.columns import change_respondent
from assessments.models import Answer, Level, Sheet, Statement
from assessments.permissions import sheet_for_user
from assessments.views.sheets import editor_context
from guidance.links import linked_guidance
from guidance.models import GuidanceStatement, StatementLink
from stakeholders.models import City
from tests.sheet_posts import cell, form_fields
from translations.models import StatementTranslation

PROJECT_APPS = ["assessments", "stakeholders", "guidance", "translations"]


def editor(client, sheet, language=None):
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("sheet_edit", args=[sheet.pk]))
    assert response.status_code == 200
    return response.content.decode()


def first_answer(sheet):
    statement_id, respondent_id = cell(sheet, 1, 1, 1)
    return Answer.objects.get(statement_id=statement_id, respondent_id=respondent_id)


def checked_value(html, answer):
    found = re.search(rf'name="cell-{answer.statement_id}-{answer.respondent_id}-value" id="[^"]+" value="(\w*)" checked', html)
    return found.group(1) if found else None


def test_every_model_of_the_project_says_whether_the_grid_shows_it():
    """A new model must be sorted: shown (its changes renew the grids), a sheet's own row, or never shown."""
    models = {
        f"{m._meta.app_label}.{m._meta.object_name}"
        for app in PROJECT_APPS for m in apps.get_app_config(app).get_models()
        if not m._meta.object_name.startswith("Historical")
    }
    sorted_ = editor_cache.CONTENT_MODELS | editor_cache.SHEET_MODELS | editor_cache.UNSHOWN_MODELS
    assert models - sorted_ == set()
    assert sorted_ - models == set()


def test_a_reload_serves_the_grid_from_the_cache(officer_client, sheet, django_assert_max_num_queries):
    first = editor(officer_client, sheet)
    # the cached page needs the user, the sheet, the user's cities and the review history
    with django_assert_max_num_queries(4):
        second = editor(officer_client, sheet)
    strip = lambda html: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)  # noqa: E731
    assert strip(first) == strip(second)


# Each way something shown in the grid can change, and what the reload must show then.
def change_by_autosave(client, sheet):
    answer = first_answer(sheet)
    response = client.post(
        reverse("sheet_answer", args=[sheet.pk]),
        {"statement": answer.statement_id, "respondent": answer.respondent_id, "value": "no", "note": "Autosaved note",
         "version": answer.version},
    )
    assert response.status_code == 200, response.content
    return "Autosaved note"


def change_by_full_save(client, sheet):
    answer = first_answer(sheet)
    fields = form_fields(editor(client, sheet))
    fields[f"cell-{answer.statement_id}-{answer.respondent_id}-note"] = "Saved with the whole form"
    assert client.post(reverse("sheet_edit", args=[sheet.pk]), fields).status_code == 302
    return "Saved with the whole form"


def change_by_orm_save(client, sheet):
    answer = first_answer(sheet)
    answer.note = "Changed in a shell"
    answer.save()
    return "Changed in a shell"


def change_by_admin(client, sheet):
    from django.contrib.auth.models import User

    answer = first_answer(sheet)
    admin = User.objects.create_superuser("cache-admin", password="x")
    client.force_login(admin)
    url = reverse("admin:assessments_answer_change", args=[answer.pk])
    form = {"statement": answer.statement_id, "respondent": answer.respondent_id, "value": "no",
            "note": "Changed in the admin"}
    assert client.post(url, form).status_code == 302
    return "Changed in the admin"


def change_column_by_the_columns_page(client, sheet):
    respondent = sheet.respondents.order_by("position").first()
    was = (respondent.organisation.name, respondent.note)
    change_respondent(respondent, None, name="Renamed Organisation", note=respondent.note, was=was)
    return "Renamed Organisation"


def change_organisation_name(client, sheet):
    organisation = sheet.respondents.order_by("position").first().organisation
    organisation.name = "Renamed in the admin"
    organisation.save()
    return "Renamed in the admin"


def change_statement_text(client, sheet):
    statement = Statement.objects.filter(level__checklist=sheet.checklist).order_by("level__number", "position").first()
    statement.text = "A corrected statement text"
    statement.save()
    return "A corrected statement text"


def change_level_name(client, sheet):
    level = Level.objects.get(checklist=sheet.checklist, number=2)
    level.description = "A corrected level description"
    level.save()
    return "A corrected level description"


def change_city_name(client, sheet):
    city = City.objects.get(pk=sheet.city_id)
    city.name = "Milano"
    city.save()
    return "Milano’s checklist"


def change_guidance_link(client, sheet):
    answer = first_answer(sheet)
    answer.value = "no"
    answer.save()
    statement = answer.statement
    linked = linked_guidance([statement.pk]).get(statement.pk, [])
    guidance = GuidanceStatement.objects.exclude(pk__in=[g.pk for g in linked]).order_by("-number").first()
    StatementLink.objects.filter(statement=statement, guidance=guidance).delete()
    StatementLink.objects.create(statement=statement, guidance=guidance, kind="add")
    return Row(statement.pk, f"OECD guidance {guidance.number}<")


class Row(str):
    """Text expected in the row of one statement (its guidance links), not anywhere on the page."""

    def __new__(cls, statement_id, text):
        row = super().__new__(cls, text)
        row.statement_id = statement_id
        return row

    def within(self, html):
        start = html.index(f'id="statement-{self.statement_id}"')
        return html[start:html.index("</tr>", start)]


CHANGES = [
    change_by_autosave, change_by_full_save, change_by_orm_save, change_by_admin, change_column_by_the_columns_page, change_organisation_name,
    change_statement_text, change_level_name, change_city_name, change_guidance_link,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda f: f.__name__)
def test_a_reload_shows_every_change_to_what_the_grid_shows(officer_client, officer, sheet, change):
    before = editor(officer_client, sheet)
    expected = change(officer_client, sheet)
    scope = expected.within if isinstance(expected, Row) else str
    assert expected not in scope(before)
    officer_client.force_login(officer)
    assert expected in scope(editor(officer_client, sheet))


def test_a_column_note_shows_in_the_read_only_grid_on_reload(client, coordinator, sheet):
    client.force_login(coordinator)
    assert "A new note on the column" not in editor(client, sheet)
    respondent = sheet.respondents.order_by("position").first()
    respondent.note = "A new note on the column"
    respondent.save()
    assert "A new note on the column" in editor(client, sheet)


def test_a_deleted_answer_is_gone_after_a_reload(officer_client, sheet):
    answer = first_answer(sheet)
    assert checked_value(editor(officer_client, sheet), answer) == answer.value
    answer.delete()
    assert checked_value(editor(officer_client, sheet), answer) == ""


def test_a_translation_added_in_the_admin_shows_in_the_italian_grid(officer_client, sheet):
    statement = Statement.objects.filter(level__checklist=sheet.checklist).order_by("level__number", "position").first()
    editor(officer_client, sheet, language="it")
    StatementTranslation.objects.update_or_create(statement=statement, language="it",
                                                  defaults={"text": "Una traduzione corretta"})
    assert "Una traduzione corretta" in editor(officer_client, sheet, language="it")


def test_each_language_has_its_own_grid(officer_client, sheet):
    italian = editor(officer_client, sheet, language="it")
    english = editor(officer_client, sheet, language="en")
    assert "Annotazione" in italian and "Annotazione" not in english
    assert ">Annotation<" in english or "Annotation<span" in english


def test_a_submitted_sheet_is_read_only_on_reload(officer_client, officer, sheet):
    assert 'id="sheet-form"' in editor(officer_client, sheet)
    workflow.transition(sheet, officer, "submit", version=Sheet.objects.get(pk=sheet.pk).version)
    html = editor(officer_client, sheet)
    assert 'id="sheet-form"' not in html and 'type="radio"' not in html


def test_a_coordinator_never_gets_the_officers_editable_grid(client, officer, coordinator, sheet):
    client.force_login(officer)
    assert 'type="radio"' in editor(client, sheet)
    client.force_login(coordinator)
    html = editor(client, sheet)
    assert 'type="radio"' not in html and 'id="sheet-form"' not in html


def test_a_column_removed_elsewhere_is_gone_on_reload(officer_client, sheet):
    respondent = sheet.respondents.order_by("position").last()
    name = respondent.name
    assert name in editor(officer_client, sheet)
    respondent.delete()  # a shell or the admin: its answers go with it
    assert name not in editor(officer_client, sheet)


def test_the_stamp_is_renewed_again_when_the_transaction_commits(sheet, django_capture_on_commit_callbacks):
    """A page that reads the old rows while a change is not yet committed must not keep them
    under the stamp that follows the change: the commit renews the stamp once more."""
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            statement = Statement.objects.filter(level__checklist=sheet.checklist).first()
            statement.save()
            during = editor_cache._stamps([editor_cache.CONTENT_STAMP])
    assert editor_cache._stamps([editor_cache.CONTENT_STAMP]) != during


def test_the_code_digest_changes_with_a_template(tmp_path, settings):
    (tmp_path / "page.html").write_text("one")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    editor_cache.code_digest.cache_clear()
    try:
        before = editor_cache.code_digest()
        (tmp_path / "page.html").write_text("two")
        editor_cache.code_digest.cache_clear()
        assert editor_cache.code_digest() != before
    finally:
        editor_cache.code_digest.cache_clear()


def test_the_review_history_names_a_user_as_they_are_now(client, officer, admin_user, sheet):
    """The review box is not cached with the grid: it names people, who may be renamed."""
    workflow.transition(sheet, officer, "submit", version=Sheet.objects.get(pk=sheet.pk).version)
    client.force_login(officer)
    assert f"by {officer.username}" in editor(client, sheet)
    officer.username = "renamed-officer"
    officer.save()
    client.force_login(officer)
    assert "by renamed-officer" in editor(client, sheet)


def test_a_city_renamed_after_the_page_read_the_sheet_is_not_cached_under_the_new_stamp(rf, officer, sheet):
    """The request loads the sheet and its city, then the city is renamed (the stamp renewed),
    then the grid is rendered: it must show the new name, as it is stored under the new stamp."""
    request = rf.get("/")
    request.user = officer
    loaded = sheet_for_user(officer, sheet.pk)
    city = City.objects.get(pk=sheet.city_id)
    city.name = "Milano"
    city.save()
    assert "Milano’s checklist" in editor_context(request, loaded)["grid"]["html"]


def test_without_its_stamps_the_grid_is_rendered_and_not_stored(officer_client, sheet, monkeypatch):
    monkeypatch.setattr(editor_cache, "_stamps", lambda keys: None)
    stored = []
    monkeypatch.setattr(editor_cache.cache, "set", lambda *args, **kwargs: stored.append(args[0]))
    assert 'id="sheet-form"' in editor(officer_client, sheet)
    assert not [key for key in stored if key.startswith("editor-grid:")]

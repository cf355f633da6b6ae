"""Input limits: every stored text has a maximum, every form says it before the database does, and
a request too large to read is refused cleanly (400, nothing written) rather than read to the end.

There is no web upload of exchange files (they are imported with `manage.py import_city`, limited
in tests/test_exchange.py); spreadsheet uploads in the admin are limited in
tests/test_admin_import_export.py. Here: the request bodies every other view reads.
"""

import json

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse

from assessments import forms as assessment_forms
from assessments.models import MAX_NOTE_LENGTH, Sheet
from guidance import forms as guidance_forms
from tests.security import database_state

APPS = ("stakeholders", "assessments", "guidance", "translations")
# The longest text anybody may store: a report's national context or city-level observations.
LARGEST_TEXT = 50_000


def text_fields():
    return [
        pytest.param(model, field, id=f"{model._meta.label}.{field.name}")
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, (models.CharField, models.TextField))
    ]


@pytest.mark.parametrize("model,field", text_fields())
def test_every_text_field_has_a_sensible_maximum(model, field):
    assert field.max_length, f"{model._meta.label}.{field.name} has no max_length"
    assert field.max_length <= LARGEST_TEXT


def form_classes():
    found = []
    for module in (assessment_forms, guidance_forms):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                found.append(pytest.param(value, id=value.__name__))
    return found


@pytest.mark.parametrize("form_class", form_classes())
def test_every_free_text_of_a_form_has_a_maximum(form_class):
    unlimited = [
        name
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field.widget, forms.HiddenInput)
        and not field.max_length
    ]
    assert not unlimited, f"{form_class.__name__}: {unlimited}"


@pytest.fixture
def sheet(milan):
    return Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="municipality")


def test_an_autosave_body_larger_than_the_limit_is_refused_unread(client, officer, sheet):
    client.force_login(officer)
    before = database_state()
    body = json.dumps(
        {
            "statement": 1,
            "respondent": 1,
            "value": "yes",
            "version": 0,
            "note": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
        }
    )
    response = client.post(reverse("sheets:answer", args=[sheet.pk]), body, content_type="application/json")
    assert response.status_code == 400
    assert database_state() == before


def test_a_form_post_larger_than_the_limit_is_refused(client, officer, sheet):
    client.force_login(officer)
    before = database_state()
    response = client.post(
        reverse("sheets:edit", args=[sheet.pk]),
        {"version": sheet.version, "padding": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)},
    )
    assert response.status_code == 400
    assert database_state() == before


def test_a_form_post_with_too_many_fields_is_refused(client, officer, sheet):
    client.force_login(officer)
    before = database_state()
    data = {f"cell-{i}-1-value": "yes" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(reverse("sheets:edit", args=[sheet.pk]), data)
    assert response.status_code == 400
    assert database_state() == before


@pytest.mark.parametrize(
    "url_name,data",
    [
        ("sheets:respondents", lambda sheet: {"add-name": "x" * 201, "add-note": ""}),
        ("sheets:respondents", lambda sheet: {"add-name": "New", "add-note": "x" * (MAX_NOTE_LENGTH + 1)}),
        ("sheets:submit", lambda sheet: {"version": sheet.version, "comment": "x" * (MAX_NOTE_LENGTH + 1)}),
    ],
)
def test_a_text_over_its_maximum_is_refused_and_changes_nothing(client, officer, sheet, url_name, data):
    client.force_login(officer)
    before = database_state()
    response = client.post(reverse(url_name, args=[sheet.pk]), data(sheet))
    assert response.status_code in (302, 400)
    assert database_state() == before


def test_an_annotation_over_its_maximum_is_refused_by_the_full_save(client, officer, sheet):
    client.force_login(officer)
    answer = sheet.respondents.get().answers.order_by("id").first()
    prefix = f"cell-{answer.statement_id}-{answer.respondent_id}"
    before = database_state()
    response = client.post(
        reverse("sheets:edit", args=[sheet.pk]),
        {
            "version": sheet.version,
            f"{prefix}-value": "yes",
            f"{prefix}-note": "x" * (MAX_NOTE_LENGTH + 1),
            f"{prefix}-version": answer.version,
        },
    )
    assert response.status_code == 400
    assert f"at most {MAX_NOTE_LENGTH} characters" in response.content.decode()
    assert database_state() == before

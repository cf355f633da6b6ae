"""Typed text stays inert in every download: formula-like text and control characters, put in
every text field of every model people edit (as admin, officer or importer), come out escaped in
every CSV and XLSX (the coordinator's and every import-export resource registered in the admin),
JSON and PDF. No XLSX cell is a formula; no CSV cell starts a formula; no file carries a raw
control character; JSON escapes them; the PDFs print the text as text.
"""

import csv
import io
import json
import subprocess

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Round
from guidance.models import GuidanceStatement, Rating, SelfAssessment
from mega.spreadsheets import CONTROL_CHARACTERS, FORMULA_START
from mega.settings import EXPORT_FORMATS
from tests.admin_imports import CSV_FORMAT, HEADER, confirm, preview

APPS = ["stakeholders", "assessments", "guidance", "translations"]
# Keys the files and URLs are addressed by, not free text: checked by their own validation.
KEYS = {("checklist", "version"), ("round", "name"), ("guidancemodule", "number"), ("guidancestatement", "number")}
CONTROL = "\x07\x1b"


def typed_fields():
    """(model, field) of every free text of the domain (slugs, choices, unique keys and the
    history tables aside)."""
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for field in model._meta.concrete_fields:
                if not isinstance(field, (models.CharField, models.TextField, models.JSONField)):
                    continue
                if isinstance(field, models.SlugField) or field.choices or field.unique:
                    continue
                if (model._meta.model_name, field.name) not in KEYS:
                    yield model, field


def hostile(start, tag, max_length):
    text = f'{start}HYPERLINK("http://attacker.example","{tag}"){CONTROL}'
    return text if max_length is None or len(text) <= max_length else f"{start}1+1 {tag}{CONTROL}"[:max_length]


def inject(milan):
    """Every row's free text becomes formula-like with control characters; returns how many."""
    guidance = GuidanceStatement.objects.get(number="6.1")
    assessment = SelfAssessment.objects.create(
        city=milan, round=Round.objects.get(name="2018"), module=guidance.module, participant_name="p"
    )
    Rating.objects.create(assessment=assessment, statement=guidance, score=3)
    count = 0
    for index, (model, field) in enumerate(typed_fields()):
        start = FORMULA_START[index % len(FORMULA_START)]
        for pk, value in model.objects.values_list("pk", field.name):
            tag = f"{model._meta.model_name}.{field.name}.{pk}"
            if isinstance(field, models.JSONField):
                if not isinstance(value, list):
                    continue
                new = [hostile(start, f"{tag}.{n}", None) for n in range(len(value))]
            else:
                new = hostile(start, tag, field.max_length)
            model.objects.filter(pk=pk).update(**{field.name: new})
            count += 1
    assert count > 400, "the seed's texts were not all reached"
    return count


@pytest.fixture
def hostile_data(milan, superuser_client):
    inject(milan)


def check_csv(content, label):
    text = content.decode("utf-8-sig")
    assert not CONTROL_CHARACTERS.search(text), f"{label}: a raw control character"
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    starting = [cell for cell in cells if cell.startswith(FORMULA_START)]
    assert not starting, f"{label}: cells a spreadsheet runs: {starting[:3]}"
    assert any(cell.startswith("'") and cell[1:2] in FORMULA_START for cell in cells), f"{label}: no escaped text"


def check_xlsx(content, label):
    workbook = load_workbook(io.BytesIO(content))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    formulas = [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert not formulas, f"{label}: formula cells {formulas[:3]}"
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert not any(CONTROL_CHARACTERS.search(text) for text in texts), f"{label}: a control character"
    assert any(text.startswith(FORMULA_START) for text in texts), f"{label}: the typed text is missing"


def check_json(content, label):
    text = content.decode("utf-8")
    assert not CONTROL_CHARACTERS.search(text), f"{label}: a raw control character"
    assert any(CONTROL in string for string in strings(json.loads(text))), f"{label}: the typed text is missing"


def strings(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


def check_pdf(content, label):
    assert content.startswith(b"%PDF-"), label
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    assert "HYPERLINK(" in text or "1+1" in text, f"{label}: the typed text is not printed"
    assert not CONTROL_CHARACTERS.search(text.replace("\x0c", "")), f"{label}: a control character printed"


CHECKS = {"csv": check_csv, "xlsx": check_xlsx, "json": check_json, "pdf": check_pdf}


def admin_exports():
    """(label, export URL, post data, check) for every format of every resource in the admin."""
    for model, model_admin in admin.site._registry.items():
        for resource_index, resource in enumerate(getattr(model_admin, "resource_classes", [])):
            for format_index, file_format in enumerate(EXPORT_FORMATS):
                extension = file_format().get_extension()
                fields = {f"{resource.__name__.lower()}_{name}": "on" for name in resource().get_export_order()}
                url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_export")
                yield (
                    f"admin {resource.__name__} {extension}",
                    url,
                    {"format": str(format_index), "resource": str(resource_index), **fields},
                    CHECKS[extension],
                )


def test_every_admin_resource_is_walked():
    names = {label.split()[1] for label, *_ in admin_exports()}
    assert {
        "StatementResource",
        "AnswerResource",
        "GuidanceStatementResource",
        "GuidanceBlockResource",
        "RecommendedActionResource",
    } <= names
    assert {label.split()[2] for label, *_ in admin_exports()} == {"csv", "xlsx", "json"}


def test_every_admin_export_keeps_typed_text_inert(hostile_data, superuser_client):
    for label, url, data, check in admin_exports():
        response = superuser_client.post(url, data)
        assert response.status_code == 200, label
        check(response.content, label)


def coordinator_downloads(sheet):
    city_round = {"city": "milan", "round": "2018"}
    return [
        ("answers.csv", reverse("reports:answers_csv", kwargs=city_round), check_csv),
        ("answers.xlsx", reverse("reports:answers_xlsx", kwargs=city_round), check_xlsx),
        ("exchange.json", reverse("reports:exchange_json", kwargs=city_round), check_json),
        ("report.pdf", reverse("reports:city_pdf", kwargs=city_round), check_pdf),
        ("sheet.pdf", reverse("reports:sheet_pdf", args=[sheet.pk]), check_pdf),
        ("comparison.pdf", reverse("matching:comparison_pdf", kwargs=city_round), check_pdf),
        (
            "results.pdf",
            reverse("guidance:results_pdf", kwargs={"module": "6", "city": "milan", "round": "2018"}),
            check_pdf,
        ),
    ]


def test_every_download_keeps_typed_text_inert(hostile_data, superuser_client, sheet):
    for label, url, check in coordinator_downloads(sheet):
        response = superuser_client.get(url)
        assert response.status_code == 200, label
        check(response.content, label)


def test_an_escaped_csv_imports_back_as_it_was_typed(superuser_client, milan):
    """The escape is for spreadsheets only: exporting and importing again changes no text."""
    from assessments.models import Statement

    statement = Statement.objects.order_by("pk").first()
    Statement.objects.filter(pk=statement.pk).update(text="=SUM(A1) and 'quoted'")
    Statement.objects.filter(pk=statement.pk + 1).update(text="'-already quoted")
    before = list(Statement.objects.values_list("id", "text").order_by("id"))
    exported = superuser_client.post(
        reverse("admin:assessments_statement_export"),
        {"format": CSV_FORMAT, "resource": "0", **{f"statementresource_{f}": "on" for f in HEADER}},
    ).content
    assert b"'=SUM(A1)" in exported and b"''-already quoted" in exported
    upload = io.BytesIO(exported)
    upload.name = "statements.csv"
    confirm(superuser_client, "statement", preview(superuser_client, "statement", upload, CSV_FORMAT))
    assert list(Statement.objects.values_list("id", "text").order_by("id")) == before

"""Checklists and answers travel through the admin as CSV, XLSX and JSON spreadsheets."""

import csv
import html
import io
import json

import pytest
from django.urls import reverse

from assessments.models import Answer, Checklist, Statement

from tests.admin_imports import (
    ANSWER_HEADER,
    CSV_FORMAT,
    HEADER,
    JSON_FORMAT,
    XLSX_FORMAT,
    confirm,
    csv_file,
    preview,
    xlsx_file,
)


NEW_VERSION = [
    ["chamber", "2", 1, 1, "The chamber knows its migrant entrepreneurs.", "data-monitoring-evaluation"],
    [
        "chamber",
        "2",
        1,
        2,
        "The chamber speaks their languages.",
        "language-cultural-sensitivity,visibility-of-support",
    ],
    ["chamber", "2", 2, 1, "The chamber mentors them.", "training-mentoring"],
]


def test_csv_import_previews_then_creates_a_new_checklist_version(superuser_client, milan):
    response = preview(superuser_client, "statement", csv_file(NEW_VERSION), CSV_FORMAT)
    assert response.status_code == 200
    assert "confirm_form" in response.context, response.content[:2000]
    assert not Checklist.objects.filter(stakeholder_type__slug="chamber", version="2").exists(), (
        "a preview writes nothing"
    )
    confirm(superuser_client, "statement", response)
    version2 = Checklist.objects.get(stakeholder_type__slug="chamber", version="2")
    statements = Statement.objects.filter(level__checklist=version2).order_by("level__number", "position")
    assert [s.text for s in statements] == [row[4] for row in NEW_VERSION]
    assert {t.slug for t in statements[1].topics.all()} == {"language-cultural-sensitivity", "visibility-of-support"}
    # The new version starts from the old one's texts for the admin to edit.
    version1 = Checklist.objects.get(stakeholder_type__slug="chamber", version="1")
    assert version2.outcome == version1.outcome
    assert version2.levels.get(number=1).description == version1.levels.get(number=1).description


def test_xlsx_import_updates_topics_of_an_existing_statement(superuser_client, milan):
    row = [
        "municipality",
        "1",
        1,
        6,
        "Inclusive procurement is a topic in the municipality.",
        "inclusive-procurement,cooperation-between-actors",
    ]
    response = preview(superuser_client, "statement", xlsx_file([row]), XLSX_FORMAT)
    confirm(superuser_client, "statement", response)
    statement = Statement.objects.get(
        level__checklist__stakeholder_type__slug="municipality", level__number=1, position=6
    )
    assert {t.slug for t in statement.topics.all()} == {"inclusive-procurement", "cooperation-between-actors"}


BAD_ROWS = {
    "unknown stakeholder type": (["guild", "1", 1, 1, "Text.", ""], "unknown stakeholder type 'guild'"),
    "level out of range": (["chamber", "2", 5, 1, "Text.", ""], "must be 1, 2 or 3"),
    "position not a number": (["chamber", "2", 1, "first", "Text.", ""], "must be a whole number"),
    "unknown topic": (["chamber", "2", 1, 1, "Text.", "space-travel"], "unknown topic(s): space-travel"),
    "empty text": (["chamber", "2", 1, 1, "   ", ""], "must not be empty"),
    "answered statement reworded": (
        ["municipality", "1", 1, 1, "The municipality has no data at all.", "data-monitoring-evaluation"],
        "already has answers to this statement",
    ),
}


@pytest.mark.parametrize("case", BAD_ROWS, ids=list(BAD_ROWS))
def test_a_bad_row_is_shown_with_its_error_and_nothing_is_imported(superuser_client, milan, case):
    bad_row, message = BAD_ROWS[case]
    before = list(Statement.objects.values_list("id", "text").order_by("id"))
    checklists = Checklist.objects.count()
    response = preview(superuser_client, "statement", csv_file([NEW_VERSION[0], bad_row]), CSV_FORMAT)
    assert response.status_code == 200
    assert "confirm_form" not in response.context, "a file with errors cannot be confirmed"
    assert message in html.unescape(response.content.decode())
    assert list(Statement.objects.values_list("id", "text").order_by("id")) == before
    assert Checklist.objects.count() == checklists


def test_a_file_without_the_expected_columns_is_refused(superuser_client, milan):
    response = preview(superuser_client, "statement", csv_file([["x", "y"]], header=["foo", "bar"]), CSV_FORMAT)
    assert "confirm_form" not in response.context
    assert Checklist.objects.count() == 4


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        (CSV_FORMAT, "text/csv"),
        (XLSX_FORMAT, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (JSON_FORMAT, "application/json"),
    ],
)
def test_statements_export_in_each_format(superuser_client, milan, fmt, content_type):
    response = superuser_client.post(
        reverse("admin:assessments_statement_export"),
        {"format": fmt, "resource": "0", **{f"statementresource_{f}": "on" for f in HEADER}},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    if fmt == JSON_FORMAT:
        rows = json.loads(response.content)
        assert len(rows) == 76
        assert rows[0]["stakeholder_type"] == "municipality" and rows[0]["level"] == 1
    if fmt == CSV_FORMAT:
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert len(rows) == 76
        assert rows[0]["topics"]


def test_exported_checklist_imports_back_unchanged(superuser_client, milan):
    exported = superuser_client.post(
        reverse("admin:assessments_statement_export"),
        {"format": CSV_FORMAT, "resource": "0", **{f"statementresource_{f}": "on" for f in HEADER}},
    ).content
    before = list(Statement.objects.values_list("id", "text", "position").order_by("id"))
    upload = io.BytesIO(exported)
    upload.name = "statements.csv"
    response = preview(superuser_client, "statement", upload, CSV_FORMAT)
    assert "confirm_form" in response.context
    confirm(superuser_client, "statement", response)
    assert list(Statement.objects.values_list("id", "text", "position").order_by("id")) == before


def test_answers_import_changes_a_value(superuser_client, milan):
    row = ["milan", "2018", "chamber", "1", 3, 1, "CCI", "yes", "Now tracked."]
    response = preview(superuser_client, "answer", csv_file([row], header=ANSWER_HEADER), CSV_FORMAT)
    assert "confirm_form" in response.context, response.content.decode()[:3000]
    confirm(superuser_client, "answer", response)
    answer = Answer.objects.get(
        respondent__sheet__city=milan,
        respondent__organisation__name="CCI",
        statement__level__number=3,
        statement__position=1,
    )
    assert (answer.value, answer.note) == ("yes", "Now tracked.")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["milan", "2018", "chamber", "1", 3, 1, "CCI", "maybe", ""], "must be yes, no, nd or empty"),
        (["milan", "2018", "chamber", "1", 3, 1, "Nobody", "yes", ""], "no respondent 'Nobody'"),
        (["milan", "2018", "chamber", "1", 3, 99, "CCI", "yes", ""], "no statement 99 at level 3"),
    ],
)
def test_bad_answer_rows_import_nothing(superuser_client, milan, row, message):
    good = ["milan", "2018", "chamber", "1", 1, 1, "CCI", "no", ""]
    before = list(Answer.objects.values_list("id", "value", "note").order_by("id"))
    response = preview(superuser_client, "answer", csv_file([good, row], header=ANSWER_HEADER), CSV_FORMAT)
    assert "confirm_form" not in response.context
    assert message in html.unescape(response.content.decode())
    assert list(Answer.objects.values_list("id", "value", "note").order_by("id")) == before


def test_answers_export_has_a_row_per_statement_and_respondent(superuser_client, milan):
    response = superuser_client.post(
        reverse("admin:assessments_answer_export"),
        {
            "format": JSON_FORMAT,
            "resource": "0",
            **{f"answerresource_{f}": "on" for f in ANSWER_HEADER + ["statement", "topics"]},
        },
    )
    rows = json.loads(response.content)
    assert len(rows) == 90
    sunugal = [r for r in rows if r["respondent"] == "Sunugal"]
    assert len(sunugal) == 14


@pytest.mark.parametrize(
    "limit, value, rows, message",
    [
        ("MAX_UPLOAD_BYTES", 200, 19, "can be imported. Split it into smaller files."),
        ("MAX_IMPORT_ROWS", 5, 7, "The file has 7 rows; at most 5 can be imported at once."),
    ],
    ids=["too large", "too many rows"],
)
def test_a_file_over_a_limit_is_refused_with_a_message(superuser_client, milan, settings, limit, value, rows, message):
    setattr(settings, limit, value)
    rows = [["chamber", "2", 1, i, f"Statement number {i} of a long file.", ""] for i in range(1, rows + 1)]
    response = preview(superuser_client, "statement", csv_file(rows), CSV_FORMAT)
    assert "confirm_form" not in response.context
    assert message in html.unescape(response.content.decode())
    assert not Checklist.objects.filter(version="2").exists()


def test_statement_export_carries_a_column_per_translation_language(superuser_client, milan):
    response = superuser_client.post(
        reverse("admin:assessments_statement_export"),
        {
            "format": JSON_FORMAT,
            "resource": "0",
            **{f"statementresource_{f}": "on" for f in HEADER + ["text_it", "text_fr", "text_de", "text_es"]},
        },
    )
    first = json.loads(response.content)[0]
    assert first["text_it"] == "Il Comune dispone di dati di base sugli imprenditori immigrati."
    assert first["text_fr"] == "La commune dispose de données de base sur les entrepreneurs immigrés."


def test_import_sets_and_removes_translations(superuser_client, milan):
    header = HEADER + ["text_it", "text_fr"]
    row = [
        "municipality",
        "1",
        1,
        1,
        "The municipality has at its disposal basic data concerning immigrant entrepreneurs.",
        "data-monitoring-evaluation",
        "",
        "La municipalité dispose de données de base.",
    ]
    response = preview(superuser_client, "statement", csv_file([row], header=header), CSV_FORMAT)
    confirm(superuser_client, "statement", response)
    statement = Statement.objects.get(
        level__checklist__stakeholder_type__slug="municipality", level__number=1, position=1
    )
    translations = dict(statement.translations.values_list("language", "text"))
    # The file's columns are set or removed; languages without a column are left as they were.
    assert "it" not in translations
    assert translations["fr"] == "La municipalité dispose de données de base."
    assert translations["de"].startswith("Die Kommune verfügt über Basisdaten")

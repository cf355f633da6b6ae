"""Coordinators' data downloads: answers as CSV and XLSX (one row per statement and respondent),
and the JSON exchange format."""

import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.exchange import export_city
from assessments.models import Answer, Round, Sheet
from assessments.resources import AnswerResource
from reports.views.exports import answer_rows
from tests.factories import make_city

HEADERS = [
    "city",
    "round",
    "stakeholder_type",
    "version",
    "level",
    "position",
    "number",
    "statement",
    "topics",
    "respondent",
    "value",
    "note",
    "city_answer",
    "disagreement",
]


def get(client, user, name):
    client.force_login(user)
    return client.get(reverse(name, args=["milan", "2018"]))


def csv_rows(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # so that Excel reads the accents as UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_has_one_row_per_statement_and_respondent(milan, coordinator, client):
    response = get(client, coordinator, "reports:answers_csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="mega-milan-2018-answers.csv"'
    header, *rows = csv_rows(response)
    assert header == HEADERS
    assert len(rows) == 90  # 29 + 18 + 15 + 2 × 14 cells
    first = dict(zip(header, rows[0]))
    assert first == {
        "city": "milan",
        "round": "2018",
        "stakeholder_type": "municipality",
        "version": "1",
        "level": "1",
        "position": "1",
        "number": "1.1",
        "statement": "The municipality has at its disposal basic data concerning immigrant entrepreneurs.",
        "topics": first["topics"],
        "respondent": "Municipality of Milan",
        "value": "yes",
        "note": "",
        "city_answer": "yes",
        "disagreement": "",
    }
    assert first["topics"]  # the statement's topic slugs


def test_csv_rows_carry_annotations_and_follow_the_printed_order(milan, coordinator, client):
    header, *rows = csv_rows(get(client, coordinator, "reports:answers_csv"))
    records = [dict(zip(header, row)) for row in rows]
    immigrant = [r for r in records if r["stakeholder_type"] == "immigrant_business_organisation"]
    assert [r["respondent"] for r in immigrant[:4]] == ["Mille Soleils", "Sunugal", "Mille Soleils", "Sunugal"]
    noted = next(r for r in records if r["note"].startswith("Services are provided by the CAF"))
    assert (noted["level"], noted["value"], noted["respondent"]) == ("1", "no", "Sunugal")
    order = list(dict.fromkeys(r["stakeholder_type"] for r in records))
    assert order == ["municipality", "chamber", "business_organisation", "immigrant_business_organisation"]


def test_an_unanswered_cell_is_a_row_with_an_empty_value(milan, coordinator, client):
    Answer.objects.filter(
        respondent__sheet__city=milan,
        statement__level__number=1,
        statement__position=1,
        respondent__sheet__checklist__stakeholder_type__slug="chamber",
    ).delete()
    header, *rows = csv_rows(get(client, coordinator, "reports:answers_csv"))
    assert len(rows) == 90
    chamber_first = next(dict(zip(header, r)) for r in rows if r[2] == "chamber")
    assert (chamber_first["position"], chamber_first["value"]) == ("1", "")


def test_the_export_has_the_columns_the_admin_import_reads(milan):
    round = Round.objects.get(name="2018")
    dataset = AnswerResource().export(queryset=list(answer_rows(milan, round)))
    assert dataset.headers == HEADERS == AnswerResource().get_export_headers()


def test_the_export_needs_a_bounded_number_of_queries(milan, django_assert_max_num_queries):
    round = Round.objects.get(name="2018")
    with django_assert_max_num_queries(30):
        AnswerResource().export(queryset=list(answer_rows(milan, round)))


def test_text_that_looks_like_a_formula_stays_text(milan, coordinator, client):
    Answer.objects.filter(respondent__sheet__city=milan, note__startswith="Services are provided").update(
        note='=HYPERLINK("http://attacker.example","click")'
    )
    header, *rows = csv_rows(get(client, coordinator, "reports:answers_csv"))
    assert '\'=HYPERLINK("http://attacker.example","click")' in [r[header.index("note")] for r in rows]
    workbook = load_workbook(io.BytesIO(get(client, coordinator, "reports:answers_xlsx").content))
    cells = [c for row in workbook.active.iter_rows() for c in row if str(c.value).startswith("=HYPERLINK")]
    assert len(cells) == 1 and cells[0].data_type == "s"


def test_xlsx_has_the_same_rows_as_the_csv(milan, coordinator, client):
    response = get(client, coordinator, "reports:answers_xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="mega-milan-2018-answers.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert rows == csv_rows(get(client, coordinator, "reports:answers_csv"))
    assert sheet.title == "Milan 2018" and sheet.freeze_panes == "A2"


def test_json_is_the_exchange_format_of_the_city_and_round(milan, coordinator, client):
    response = get(client, coordinator, "reports:exchange_json")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="mega-milan-2018-exchange.json"'
    document = json.loads(response.content.decode("utf-8"))
    assert document == export_city(milan, Round.objects.get(name="2018"))
    assert document["format"] == "mega-benchmark/1" and len(document["sheets"]) == 4


def test_exports_only_hold_the_asked_city_and_round(milan, coordinator, client):
    from assessments.models import Checklist

    turin = make_city("turin")
    Sheet.objects.create(
        city=turin,
        round=Round.objects.get(name="2018"),
        checklist=Checklist.objects.get(stakeholder_type__slug="chamber", version="1"),
    )
    Sheet.objects.create(
        city=milan,
        round=Round.objects.create(name="2022"),
        checklist=Checklist.objects.get(stakeholder_type__slug="chamber", version="1"),
    )
    header, *rows = csv_rows(get(client, coordinator, "reports:answers_csv"))
    assert {(r[0], r[1]) for r in rows} == {("milan", "2018")}


@pytest.mark.parametrize("name", ["reports:answers_csv", "reports:answers_xlsx", "reports:exchange_json"])
def test_downloads_are_not_kept_by_shared_caches(milan, coordinator, client, name):
    assert "private" in get(client, coordinator, name)["Cache-Control"]

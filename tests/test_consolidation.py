"""The consolidated city answer: one rule, in Python and in SQL, shown in the sheet table."""

import itertools

import pytest
from django.urls import reverse

from assessments import consolidation
from assessments.consolidation import consolidate, disagreement
from assessments.models import Answer, Round, Sheet, Statement
from assessments.sheet_table import build_sheet_table
from tests.factories import make_checklist, make_city, make_sheet


@pytest.mark.parametrize(
    "values, expected",
    [
        (["yes"], "yes"),
        (["yes", "yes"], "yes"),
        (["yes", "no"], "partly"),
        (["no", "yes", "yes"], "partly"),
        (["no"], "no"),
        (["no", "no"], "no"),
        (["no", "nd"], "no"),
        (["yes", "nd"], "yes"),
        (["nd"], "nd"),
        (["nd", "nd"], "nd"),
        (["nd", ""], "nd"),
        (["yes", ""], "yes"),
        (["", ""], ""),
        ([], ""),
    ],
)
def test_consolidated_answer_follows_the_rule(values, expected):
    assert consolidate(values) == expected


def test_respondents_disagree_only_when_one_says_yes_and_another_no():
    assert disagreement(["yes", "no"])
    assert disagreement(["no", "nd", "yes"])
    assert not disagreement(["no", "nd"])
    assert not disagreement(["yes", "nd"])
    assert not disagreement(["yes", "yes", ""])


def test_database_expression_agrees_with_python_for_every_combination(reference_data):
    """Three columns, each yes / no / no data / answered blank / no row: all 125 rows at once."""
    choices = ["yes", "no", "nd", "", None]
    combos = list(itertools.product(choices, repeat=3))
    checklist = make_checklist(version="combos", statements_per_level=(42, 42, 41))
    sheet = make_sheet(make_city("combos"), checklist, respondents=("A", "B", "C"))
    respondents = list(sheet.respondents.order_by("position"))
    statements = list(Statement.objects.filter(level__checklist=checklist).order_by("level__number", "position"))
    Answer.objects.bulk_create(
        Answer(respondent=r, statement=s, value=v)
        for s, combo in zip(statements, combos)
        for r, v in zip(respondents, combo)
        if v is not None
    )
    rows = {
        row["statement_id"]: row["consolidated"]
        for row in consolidation.consolidated_answers(Answer.objects.filter(respondent__sheet=sheet), "statement_id")
    }
    for statement, combo in zip(statements, combos):
        expected = consolidate(v for v in combo if v is not None)
        assert rows.get(statement.pk, "") == expected, combo


def test_milan_two_column_sheet_is_consolidated_row_by_row(milan):
    sheet = Sheet.objects.get(
        city=milan,
        round=Round.objects.get(name="2018"),
        checklist__stakeholder_type__slug="immigrant_business_organisation",
    )
    table = build_sheet_table(sheet)
    got = [
        (block.level.number, [c.value for c in row.cells], row.consolidated, row.disagreement)
        for block in table.levels
        for row in block.rows
    ]
    assert got == [
        (1, ["yes", "yes"], "yes", False),
        (1, ["yes", "yes"], "yes", False),
        (1, ["no", "no"], "no", False),
        (1, ["yes", "no"], "partly", True),
        (2, ["yes", "yes"], "yes", False),
        (2, ["no", "yes"], "partly", True),
        (2, ["no", "nd"], "no", False),
        (2, ["yes", "no"], "partly", True),
        (2, ["yes", "no"], "partly", True),
        (2, ["no", "no"], "no", False),
        (3, ["yes", "yes"], "yes", False),
        (3, ["no", "no"], "no", False),
        (3, ["no", "no"], "no", False),
        (3, ["yes", "yes"], "yes", False),
    ]
    partly = table.levels[0].rows[3]
    assert (consolidation.MARKS[partly.consolidated], consolidation.LABELS[partly.consolidated]) == ("◐", "partly")


def test_single_column_sheet_consolidates_to_its_own_answers(milan):
    sheet = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="chamber")
    for row in build_sheet_table(sheet).rows:
        assert row.consolidated == row.cells[0].value
        assert not row.disagreement


IMMIGRANT_1_4 = "The immigrant business organisation provides help with administrative,"


def test_answers_export_carries_the_city_answer_and_disagreement(milan):
    from assessments.resources import AnswerResource
    from reports.views.exports import answer_rows

    round = Round.objects.get(name="2018")
    for queryset in (list(answer_rows(milan, round)), Answer.objects.filter(respondent__sheet__city=milan)):
        dataset = AnswerResource().export(queryset=queryset)
        rows = [dict(zip(dataset.headers, row)) for row in dataset]
        partly = [r for r in rows if r["statement"].startswith(IMMIGRANT_1_4)]
        assert [(r["respondent"], r["value"], r["city_answer"], r["disagreement"]) for r in partly] == [
            ("Mille Soleils", "yes", "partly", "yes"),
            ("Sunugal", "no", "partly", "yes"),
        ]
        no_and_nd = [
            r
            for r in rows
            if r["stakeholder_type"] == "immigrant_business_organisation" and r["level"] == 2 and r["position"] == 3
        ]
        assert {(r["city_answer"], r["disagreement"]) for r in no_and_nd} == {("no", "")}


def test_report_and_editor_flag_disagreement(client, milan, officer):
    sheet = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="immigrant_business_organisation")
    client.force_login(officer)
    report = client.get(reverse("reports:sheet", args=[sheet.pk])).content.decode()
    assert report.count("respondents disagree: the city’s answer is partly") == 4
    editor = client.get(reverse("sheets:edit", args=[sheet.pk])).content.decode()
    assert editor.count("Respondents disagree: the city’s answer is partly") == 4

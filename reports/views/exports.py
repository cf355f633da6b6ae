"""Data downloads for coordinators: a city's answers as CSV and XLSX, and the JSON exchange format.

The answers are one row per statement and respondent (the columns of the admin's Answers export,
`resources.AnswerResource`), in the order of the printed sheets, with not-yet-answered cells as
rows with an empty value, so the file has every statement of every sheet.
"""

import json

from django.contrib.auth.decorators import login_required
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from assessments.exchange import export_city
from assessments.models import Answer, Sheet
from assessments.permissions import report_for_user
from assessments.resources import AnswerResource
from assessments.sheet_table import build_sheet_table
from downloads.views import download
from mega.spreadsheets import as_csv, as_xlsx

WIDE_COLUMNS = {"statement": 70, "note": 50, "topics": 30, "respondent": 24}


def answer_rows(city, round):
    """Every cell of the city's sheets in the round, as Answer objects (unsaved when not answered)."""
    sheets = (
        Sheet.objects.filter(city=city, round=round)
        .select_related("city", "round", "checklist__stakeholder_type")
        .order_by("checklist__stakeholder_type__position", "checklist__version")
    )
    for sheet in sheets:
        table = build_sheet_table(sheet)
        for block in table.levels:
            for row in block.rows:
                row.statement.level = block.level
                for cell in row.cells:
                    cell.respondent.sheet = sheet
                    answer = cell.answer or Answer(value="", note="")
                    answer.respondent, answer.statement = cell.respondent, row.statement
                    yield answer


def answers_dataset(city, round):
    return AnswerResource().export(queryset=list(answer_rows(city, round)))


def _filename(city, round, suffix):
    sample = "sample-data-" if city.is_sample else ""
    return f"mega-{sample}{city.slug}-{slugify(round.name)}-{suffix}"


@login_required
@require_safe
def answers_csv(request, city, round):
    city, round, _ = report_for_user(request.user, city, round)
    content = as_csv(answers_dataset(city, round))
    return download(content.encode("utf-8"), _filename(city, round, "answers.csv"), "text/csv; charset=utf-8")


@login_required
@require_safe
def answers_xlsx(request, city, round):
    city, round, _ = report_for_user(request.user, city, round)
    content = as_xlsx(answers_dataset(city, round), f"{city.name} {round.name}", WIDE_COLUMNS)
    return download(
        content,
        _filename(city, round, "answers.xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
@require_safe
def exchange_json(request, city, round):
    city, round, _ = report_for_user(request.user, city, round)
    content = json.dumps(export_city(city, round), indent=2, ensure_ascii=False) + "\n"
    return download(content.encode("utf-8"), _filename(city, round, "exchange.json"), "application/json")

"""The editor page, the full save and the autosave cost a fixed number of queries, whatever the
number of statements: a 10-statement and a 200-statement sheet cost the same."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Answer, Statement
from tests.factories import make_checklist, make_sheet
from tests.sheet_posts import load_editor, set_cell

# Measured on SQLite and PostgreSQL (the test transaction adds a savepoint pair to each save):
# - the editor page: 11 queries of its own, plus what the statement-extras hook adds (the
#   guidance app's "What helps": 6 now, for the whole sheet), 17 in all;
# - a full save of two changed cells: 18, a fixed 12, the history baseline of answers that
#   have none yet (2: seed answers are loaded without history), and an UPDATE and a history
#   INSERT per changed cell, since each change goes through save() to be recorded;
# - an autosave: 21, the same save, then the sheet laid out again for progress and footnotes.
MAX_EDITOR = 20
MAX_SAVE = 18
MAX_AUTOSAVE = 21

SIZES = {10: (4, 3, 3), 200: (70, 70, 60)}


def answered_sheet(city, statements_per_level, version):
    sheet = make_sheet(city, make_checklist(version=version, statements_per_level=statements_per_level),
                       respondents=[("Org A", "Full name of A."), "Org B"], round_name=f"q{version}")
    statements = Statement.objects.filter(level__checklist=sheet.checklist).order_by("level__number", "position")
    Answer.objects.bulk_create(
        Answer(respondent=respondent, statement=statement, value="yes", note="A note." if statement.position == 2 else "")
        for statement in statements for respondent in sheet.respondents.all()
    )
    return sheet


@pytest.fixture
def sheets(milan):
    return {size: answered_sheet(milan, levels, f"q{size}") for size, levels in SIZES.items()}


def count(client, method, url, data=None, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data, **extra) if data is not None else getattr(client, method)(url)
    assert response.status_code in (200, 302), response
    return len(queries)


def two_changes(sheet, fields):
    cells = [name for name in fields if name.endswith("-value")][:2]
    for name in cells:
        _, statement_id, respondent_id, _ = name.split("-")
        set_cell(fields, (statement_id, respondent_id), value="no", note="Changed.")
    return fields


def test_editor_page_costs_the_same_for_10_and_200_statements(client, officer, sheets, django_assert_max_num_queries):
    client.force_login(officer)
    client.get(reverse("home"))  # session and role cache warm
    counts = {}
    for size, sheet in sheets.items():
        with django_assert_max_num_queries(MAX_EDITOR):
            counts[size] = count(client, "get", reverse("sheet_edit", args=[sheet.pk]))
    assert counts[10] == counts[200], counts


def test_full_save_costs_the_same_for_10_and_200_statements(client, officer, sheets, django_assert_max_num_queries):
    client.force_login(officer)
    counts = {}
    for size, sheet in sheets.items():
        fields = two_changes(sheet, load_editor(client, sheet))
        with django_assert_max_num_queries(MAX_SAVE):
            counts[size] = count(client, "post", reverse("sheet_edit", args=[sheet.pk]), fields)
    assert counts[10] == counts[200], counts


def test_autosave_costs_the_same_for_10_and_200_statements(client, officer, sheets, django_assert_max_num_queries):
    client.force_login(officer)
    counts = {}
    for size, sheet in sheets.items():
        answer = Answer.objects.filter(respondent__sheet=sheet).order_by("-id").first()
        data = {"statement": answer.statement_id, "respondent": answer.respondent_id, "value": "nd", "note": "",
                "version": answer.version}
        with django_assert_max_num_queries(MAX_AUTOSAVE):
            counts[size] = count(client, "post", reverse("sheet_answer", args=[sheet.pk]), data)
    assert counts[10] == counts[200], counts


def test_home_page_costs_the_same_for_one_and_many_sheets(client, officer, milan, django_assert_max_num_queries):
    client.force_login(officer)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for size, levels in SIZES.items():
        answered_sheet(milan, levels, f"h{size}")
    with django_assert_max_num_queries(len(few)):
        assert client.get(reverse("home")).status_code == 200

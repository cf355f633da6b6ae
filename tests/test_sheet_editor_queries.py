"""The editor page, the full save and the autosave cost a fixed number of queries, whatever the
number of statements (a 10-statement and a 200-statement sheet cost the same) and, for the save,
whatever the number of cells it changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Answer, Statement
from tests.factories import make_checklist, make_sheet
from tests.sheet_posts import load_editor, set_cell

# Measured on SQLite and PostgreSQL (the test transaction adds a savepoint pair to each save):
# - the editor page: 13 queries, of them 3 from the statement-extras hook (the guidance app's
#   "What helps", for the whole sheet, which reads statements, topics and answers from the grid's
#   table);
# - a full save of changed answers: 16, a fixed 11, the history baseline of answers that have
#   none yet (2: seed answers are loaded without history), then two UPDATEs of the answers (their
#   values, notes and versions; who and when) and one bulk INSERT of their history records
#   whatever the number of cells; a save of cells that had no answer: 13, one bulk INSERT of the
#   answers instead of the baseline and UPDATEs;
#   Django batches bulk writes to SQLite's 999 parameters a query, so there a save of more
#   than 83 cells (a batch of history records) adds an INSERT for each further 83;
# - an autosave: 19, the same save, then the sheet's layout, answers and footnote numbers again in
#   three queries (not its texts: the reply carries only progress and footnote numbers), in every
#   language.
MAX_EDITOR = 13
MAX_SAVE = 16
MAX_AUTOSAVE = 19

SIZES = {10: (4, 3, 3), 200: (70, 70, 60)}


def answered_sheet(city, statements_per_level, version):
    sheet = make_sheet(
        city,
        make_checklist(version=version, statements_per_level=statements_per_level),
        respondents=[("Org A", "Full name of A."), "Org B"],
        round=f"q{version}",
    )
    statements = Statement.objects.filter(level__checklist=sheet.checklist).order_by("level__number", "position")
    Answer.objects.bulk_create(
        Answer(
            respondent=respondent, statement=statement, value="yes", note="A note." if statement.position == 2 else ""
        )
        for statement in statements
        for respondent in sheet.respondents.all()
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


def change_cells(fields, number):
    """Set the first `number` cells of the posted form to "no" with a note."""
    cells = [name for name in fields if name.endswith("-value")][:number]
    assert len(cells) == number
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
            counts[size] = count(client, "get", reverse("sheets:edit", args=[sheet.pk]))
    assert counts[10] == counts[200], counts


def test_full_save_costs_the_same_for_10_and_200_statements(client, officer, sheets, django_assert_max_num_queries):
    client.force_login(officer)
    counts = {}
    for size, sheet in sheets.items():
        fields = change_cells(load_editor(client, sheet), 2)
        with django_assert_max_num_queries(MAX_SAVE):
            counts[size] = count(client, "post", reverse("sheets:edit", args=[sheet.pk]), fields)
    assert counts[10] == counts[200], counts


@pytest.mark.parametrize("answered", [True, False], ids=["changed answers", "new answers"])
def test_full_save_costs_the_same_for_one_and_many_changed_cells(
    client, officer, milan, answered, django_assert_max_num_queries
):
    client.force_login(officer)
    counts = {}
    for number in (1, 80):
        # 40 statements in two columns: 80 cells, all changed by the larger save.
        sheet = (
            answered_sheet(milan, (14, 13, 13), f"c{number}")
            if answered
            else make_sheet(
                milan,
                make_checklist(version=f"c{number}", statements_per_level=(14, 13, 13)),
                respondents=["Org A", "Org B"],
                round=f"c{number}",
            )
        )
        fields = change_cells(load_editor(client, sheet), number)
        with django_assert_max_num_queries(MAX_SAVE):
            counts[number] = count(client, "post", reverse("sheets:edit", args=[sheet.pk]), fields)
        assert Answer.objects.filter(respondent__sheet=sheet, value="no", note="Changed.").count() == number
    assert counts[1] == counts[80], counts


def test_full_save_records_every_change_with_its_user(client, officer, milan):
    client.force_login(officer)
    sheet = answered_sheet(milan, (4, 3, 3), "r")
    Answer.objects.filter(respondent=sheet.respondents.order_by("position").last()).delete()
    fields = change_cells(load_editor(client, sheet), 20)
    before = timezone.now()
    client.post(reverse("sheets:edit", args=[sheet.pk]), fields)
    changed = Answer.objects.filter(
        respondent__sheet=sheet, value="no", note="Changed.", updated_by=officer, updated_at__gte=before
    )
    assert sorted(changed.values_list("version", flat=True)) == [1] * 10 + [2] * 10
    records = Answer.history.filter(respondent_id__in=sheet.respondents.values("pk"), history_user=officer)
    assert sorted(records.values_list("history_type", "version", "value", "note")) == (
        [("+", 1, "no", "Changed.")] * 10 + [("~", 2, "no", "Changed.")] * 10
    )


def test_autosave_costs_the_same_for_10_and_200_statements(client, officer, sheets, django_assert_max_num_queries):
    client.force_login(officer)
    counts = {}
    for size, sheet in sheets.items():
        answer = Answer.objects.filter(respondent__sheet=sheet).order_by("-id").first()
        data = {
            "statement": answer.statement_id,
            "respondent": answer.respondent_id,
            "value": "nd",
            "note": "",
            "version": answer.version,
        }
        with django_assert_max_num_queries(MAX_AUTOSAVE):
            counts[size] = count(client, "post", reverse("sheets:answer", args=[sheet.pk]), data)
    assert counts[10] == counts[200], counts


def test_an_autosave_costs_as_much_in_italian_as_in_english(client, officer, sheets):
    """The reply carries numbers, not texts: no translation is read for it."""
    client.force_login(officer)
    sheet = sheets[10]
    answer = Answer.objects.filter(respondent__sheet=sheet).order_by("-id").first()
    counts = {}
    # The first save of a seed answer also records its history baseline: not counted.
    for language, value in (("first", "nd"), ("en", "no"), ("it", "yes")):
        data = {
            "statement": answer.statement_id,
            "respondent": answer.respondent_id,
            "value": value,
            "note": "",
            "version": Answer.objects.get(pk=answer.pk).version,
        }
        counts[language] = count(
            client,
            "post",
            reverse("sheets:answer", args=[sheet.pk]),
            data,
            HTTP_ACCEPT_LANGUAGE=language.replace("first", "en"),
        )
    assert counts["it"] == counts["en"] <= MAX_AUTOSAVE, counts


def test_home_page_costs_the_same_for_one_and_many_sheets(client, officer, milan, django_assert_max_num_queries):
    client.force_login(officer)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for size, levels in SIZES.items():
        answered_sheet(milan, levels, f"h{size}")
    with django_assert_max_num_queries(len(few)):
        assert client.get(reverse("home")).status_code == 200

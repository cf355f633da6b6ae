"""The round dashboard: cities × stakeholder types, filters, CSV, review queue; flat query count."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import workflow
from assessments.cells import CellEdit, save_cells
from assessments.models import Checklist, Round, Sheet, SheetTransition, Statement
from stakeholders.models import Assignment
from tests.cohort import build_cohort
from tests.factories import make_city, make_user


@pytest.fixture
def round_2026(reference_data):
    round = Round.objects.create(name="2026", due_on=timezone.localdate() + datetime.timedelta(days=30))
    round.checklists.set(Checklist.objects.filter(version="1"))
    return round


def complete(sheet, user):
    sheet = Sheet.objects.select_related("round").get(pk=sheet.pk)
    respondent = sheet.respondents.get()
    edits = [
        CellEdit(s.pk, respondent.pk, "yes", "", 0) for s in Statement.objects.filter(level__checklist=sheet.checklist)
    ]
    save_cells(sheet, user, edits)
    return sheet


@pytest.fixture
def cohort(round_2026, admin_user):
    turin, genoa, lyon = make_city("turin"), make_city("genoa"), make_city("lyon", country="France")
    for city in (turin, genoa, lyon):
        round_2026.add_city(city, admin_user)
    officer = make_user("tina", city=turin, role=Assignment.Role.OFFICER)
    first = complete(
        Sheet.objects.get(city=turin, round=round_2026, checklist__stakeholder_type__slug="chamber"), officer
    )
    workflow.transition(first, officer, workflow.Action.SUBMIT)
    second = complete(
        Sheet.objects.get(city=lyon, round=round_2026, checklist__stakeholder_type__slug="municipality"), admin_user
    )
    workflow.transition(second, admin_user, workflow.Action.SUBMIT)
    # Turin's submission is the older one.
    SheetTransition.objects.filter(sheet=first).update(at=timezone.now() - datetime.timedelta(days=2))
    return {"turin": turin, "genoa": genoa, "lyon": lyon, "first": first, "second": second, "officer": officer}


def test_the_grid_shows_each_sheets_status_progress_and_last_change(staff_client, cohort):
    page = staff_client.get(reverse("rounds:dashboard", args=["2026"])).content.decode()
    for name in ("Turin", "Genoa", "Lyon", "Chamber of Commerce", "Immigrant business organisations"):
        assert name in page
    total = Statement.objects.filter(
        level__checklist__stakeholder_type__slug="chamber", level__checklist__version="1"
    ).count()
    assert f"{total}/{total}" in page
    assert "tina" in page  # who changed it last
    assert page.count(">Submitted</a>") == 2


def test_the_review_queue_lists_submitted_sheets_oldest_first(staff_client, cohort):
    response = staff_client.get(reverse("rounds:dashboard", args=["2026"]))
    assert [s.pk for s in response.context["queue"]] == [cohort["first"].pk, cohort["second"].pk]
    page = response.content.decode()
    queue = page[page.index('id="review-queue"') :]
    assert queue.index(reverse("sheets:edit", args=[cohort["first"].pk])) < queue.index(
        reverse("sheets:edit", args=[cohort["second"].pk])
    )


def test_overdue_cells_are_marked(staff_client, cohort, round_2026):
    round_2026.due_on = timezone.localdate() - datetime.timedelta(days=1)
    round_2026.save()
    grid = staff_client.get(reverse("rounds:dashboard", args=["2026"])).context["grid"]
    overdue = {
        (row.city.slug, cell.sheet.checklist.stakeholder_type.slug)
        for row in grid["rows"]
        for cell in row.cells
        if cell.overdue
    }
    assert len(overdue) == 3 * 4 - 2  # every sheet but the two submitted ones
    assert ("turin", "chamber") not in overdue
    page = staff_client.get(reverse("rounds:dashboard", args=["2026"]), {"status": "overdue"}).content.decode()
    assert "overdue</span>" in page


def test_nothing_is_overdue_before_the_due_date(staff_client, cohort):
    grid = staff_client.get(reverse("rounds:dashboard", args=["2026"])).context["grid"]
    assert not any(cell.overdue for row in grid["rows"] for cell in row.cells)


@pytest.mark.parametrize(
    "query,cities",
    [
        ({"country": "France"}, ["lyon"]),
        ({"country": "Italy"}, ["genoa", "turin"]),
        ({"status": "submitted"}, ["lyon", "turin"]),
        ({"status": "validated"}, []),
        ({"country": "Italy", "status": "submitted"}, ["turin"]),
        ({"status": "<script>"}, ["genoa", "lyon", "turin"]),  # an unknown status filters nothing
    ],
)
def test_filters_by_country_and_status(staff_client, cohort, query, cities):
    grid = staff_client.get(reverse("rounds:dashboard", args=["2026"]), query).context["grid"]
    assert [row.city.slug for row in grid["rows"]] == cities


def test_csv_export_has_a_row_per_sheet_and_escapes_formulas(staff_client, cohort):
    evil = make_city("evil", name='=HYPERLINK("http://x")', country="Italy")
    Round.objects.get(name="2026").add_city(evil, None)
    response = staff_client.get(reverse("rounds:dashboard_csv", args=["2026"]), {"country": "Italy"})
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["city", "country", "stakeholder_type", "status"]
    assert len(rows) == 1 + 3 * 4
    assert {r[0] for r in rows[1:]} == {"Turin", "Genoa", '\'=HYPERLINK("http://x")'}
    assert ["Turin", "Italy", "chamber", "submitted"] in [r[:4] for r in rows]


def test_staff_validate_from_the_review_queue(staff_client, cohort):
    sheet = cohort["first"]
    sheet.refresh_from_db()
    staff_client.post(reverse("sheets:validate", args=[sheet.pk]), {"version": sheet.version, "comment": ""})
    assert [s.pk for s in staff_client.get(reverse("rounds:dashboard", args=["2026"])).context["queue"]] == [
        cohort["second"].pk
    ]


def test_the_grid_follows_a_status_change_by_staff_at_once(staff_client, cohort):
    """The filters and totals read every sheet of the round and are kept between changes; a
    staff member who validates a sheet sees it in the grid on the next page."""
    url = reverse("rounds:dashboard", args=["2026"])
    grid = staff_client.get(url, {"status": "submitted"}).context["grid"]
    assert [row.city.slug for row in grid["rows"]] == ["lyon", "turin"]
    assert (grid["totals"]["submitted"], grid["totals"]["validated"]) == (2, 0)
    sheet = Sheet.objects.get(pk=cohort["first"].pk)
    response = staff_client.post(reverse("sheets:validate", args=[sheet.pk]), {"version": sheet.version, "comment": ""})
    assert response.status_code == 302
    grid = staff_client.get(url, {"status": "submitted"}).context["grid"]
    assert [row.city.slug for row in grid["rows"]] == ["lyon"]
    assert [row.city.slug for row in staff_client.get(url, {"status": "validated"}).context["grid"]["rows"]] == [
        "turin"
    ]
    totals = staff_client.get(url).context["grid"]["totals"]
    assert (totals["submitted"], totals["validated"]) == (1, 1)


def test_the_grid_follows_a_city_moved_to_another_country_at_once(staff_client, cohort):
    url = reverse("rounds:dashboard", args=["2026"])
    assert staff_client.get(url).context["grid"]["countries"] == ["France", "Italy"]
    genoa = cohort["genoa"]
    genoa.country = "Spain"
    genoa.save()
    grid = staff_client.get(url, {"country": "Spain"}).context["grid"]
    assert grid["countries"] == ["France", "Italy", "Spain"]
    assert [row.city.slug for row in grid["rows"]] == ["genoa"]


def dashboard_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("rounds:dashboard", args=["2030"]))
    assert response.status_code == 200
    return len(queries)


def csv_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("rounds:dashboard_csv", args=["2030"]))
    assert response.status_code == 200
    return len(queries)


def test_the_dashboard_reads_as_many_queries_for_500_cities_as_for_10(staff_client, reference_data):
    build_cohort(10, round="2030", respondents=1)
    few = dashboard_queries(staff_client), csv_queries(staff_client)
    build_cohort(490, round="2030", respondents=1, prefix="more")
    many = dashboard_queries(staff_client), csv_queries(staff_client)
    assert few == many
    grid = staff_client.get(reverse("rounds:dashboard", args=["2030"]), {"page": 10}).context["grid"]
    assert grid["page"].paginator.count == 500 and len(grid["rows"]) == 50
    assert grid["rows"][-1].city.slug == "more-0489"

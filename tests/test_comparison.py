"""A city against its cohort: shares of yes per level, quartiles, privacy thresholds, visibility."""

import io
import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from matching.comparison import comparison, level_counts
from assessments.models import Answer, CityReport, Round
from stakeholders.models import Assignment
from tests.cohort import queries_with_5_and_200_cities
from tests.factories import answer, make_checklist, make_city, make_sheet, make_user
from tests.sheet_posts import cell, load_editor, set_cell


def sheet_with(city, checklist, rows, respondents=("Org",)):
    sheet = make_sheet(city, checklist, respondents=respondents)
    for (level, position), values in rows.items():
        for column, value in enumerate(values):
            answer(sheet, level, position, column, value)
    return sheet


@pytest.fixture
def cohort(reference_data):
    checklist = make_checklist(stakeholder_type="chamber", version="c")
    round = Round.objects.create(name="2030")
    alpha = make_city("alpha")
    alpha.size_band = "big"
    alpha.save()
    sheet_with(alpha, checklist, {(1, 1): ["yes"], (1, 2): ["no"], (2, 1): ["yes"], (2, 2): ["yes"]})
    peers = {}
    for slug, country, band, rows in (
        ("p1", "Italy", "big", {(1, 1): ["yes"], (1, 2): ["yes"], (2, 1): ["no"]}),
        ("p2", "Italy", "big", {(1, 1): ["yes"], (1, 2): ["no"], (2, 1): ["yes"]}),
        ("p3", "Spain", "big", {(1, 1): ["no"], (1, 2): ["no"]}),
        ("p4", "Spain", "", {(1, 1): ["yes", "no"], (1, 2): ["nd"], (3, 1): [""]}),
    ):
        city = make_city(slug, country=country)
        city.size_band = band
        city.save()
        sheet_with(city, checklist, rows, respondents=("Org", "Org 2") if slug == "p4" else ("Org",))
        peers[slug] = city
    CityReport.objects.create(city=peers["p1"], round=round, published=True)
    CityReport.objects.create(city=peers["p2"], round=round, published=False)
    return round, alpha, peers


def chamber_levels(data):
    (figures,) = [t for t in data["types"] if t.stakeholder_type.slug == "chamber"]
    return {f.number: f for f in figures.levels}


def test_level_counts_consolidate_then_count_per_level(cohort):
    round, alpha, peers = cohort
    counts = level_counts(Answer.objects.filter(respondent__sheet__round=round))
    p4 = {key[3]: (c.yes, c.answered) for key, c in counts.items() if key[1] == peers["p4"].pk}
    # partly and no data: answered, not yes; a blank answer is not answered, so level 3 has no share
    assert p4 == {1: (0, 2), 3: (0, 0)}


def test_city_share_and_cohort_quartiles(cohort, admin_user):
    round, alpha, peers = cohort
    levels = chamber_levels(comparison(alpha, round, admin_user))
    assert (levels[1].own.yes, levels[1].own.answered, levels[1].own_share) == (1, 2, 0.5)
    assert levels[1].contributors == 4  # p1 1.0, p2 0.5, p3 0.0, p4 0.0
    assert levels[1].shown
    assert (levels[1].q1, levels[1].median, levels[1].q3) == (0.0, 0.25, 0.625)
    assert levels[2].own_share == 1.0
    assert levels[3].own is None and levels[3].own_share is None


def test_cohort_figures_are_hidden_below_three_cities(cohort, admin_user):
    round, alpha, peers = cohort
    levels = chamber_levels(comparison(alpha, round, admin_user))
    assert levels[2].contributors == 2 and not levels[2].shown
    assert levels[2].median is None and levels[2].q1 is None and levels[2].q3 is None


def test_cohort_of_the_same_country_or_size_band(cohort, admin_user):
    round, alpha, peers = cohort
    by_country = comparison(alpha, round, admin_user, "country")
    assert by_country["cohort"] == "country"
    level = chamber_levels(by_country)[1]
    assert level.contributors == 2 and not level.shown  # p1 and p2 are in Italy
    by_band = comparison(alpha, round, admin_user, "size_band")
    level = chamber_levels(by_band)[1]
    assert level.contributors == 3 and level.shown and level.median == 0.5


def test_size_band_cohort_needs_a_band(cohort, admin_user):
    round, alpha, peers = cohort
    data = comparison(peers["p4"], round, admin_user, "size_band")
    assert data["cohort"] == "round"
    assert [key for key, _ in data["cohorts"]] == ["round", "country"]


def test_other_cities_details_only_when_published_or_assigned(cohort, admin_user):
    round, alpha, peers = cohort
    officer = make_user("alpha-officer", city=alpha, role=Assignment.Role.OFFICER)
    assert [row["city"].slug for row in comparison(alpha, round, officer)["details"]] == ["p1"]
    assert [row["city"].slug for row in comparison(alpha, round, admin_user)["details"]] == ["p1", "p2", "p3", "p4"]
    Assignment.objects.create(user=officer, city=peers["p3"], role=Assignment.Role.COORDINATOR)
    assert [row["city"].slug for row in comparison(alpha, round, officer)["details"]] == ["p1", "p3"]


def test_comparison_page_for_the_citys_people(client, cohort):
    round, alpha, peers = cohort
    coordinator = make_user("alpha-coordinator", city=alpha, role=Assignment.Role.COORDINATOR)
    client.force_login(coordinator)
    response = client.get(reverse("matching:comparison", args=["alpha", "2030"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<svg" in content and "<desc" in content
    assert (
        "Chamber of Commerce, level 1 (Laying the foundations): Alpha 50 % · median 25 % (quartiles 0 %–62 %), 4 cities."
        in content
    )
    assert "cohort hidden: 2 of 3 cities needed" in content
    # whole words: a random CSRF token can contain "P2"
    assert re.search(r"\bP1\b", content) and not re.search(r"\bP2\b", content)


def test_comparison_pdf_has_the_same_chart_and_figures_as_the_page(client, cohort, admin_user):
    round, alpha, peers = cohort
    client.force_login(admin_user)
    page = client.get(reverse("matching:comparison", args=["alpha", "2030"]), {"cohort": "size_band"}).content.decode()
    response = client.get(reverse("matching:comparison_pdf", args=["alpha", "2030"]), {"cohort": "size_band"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == 'attachment; filename="mega-alpha-2030-comparison-size_band.pdf"'
    chart = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    pdf_html = render_to_string(
        "matching/comparison_pdf.html", {"data": comparison(alpha, round, admin_user, "size_band")}
    )
    assert chart in pdf_html
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Alpha compared with other cities, 2030" in text
    assert "hidden: fewer than 3 cities" in text


def test_comparison_page_is_refused_to_other_cities(client, cohort, other_officer, other_coordinator):
    for user in (other_officer, other_coordinator):
        client.force_login(user)
        assert client.get(reverse("matching:comparison", args=["alpha", "2030"])).status_code == 403
        assert client.get(reverse("matching:comparison_pdf", args=["alpha", "2030"])).status_code == 403


def test_comparison_queries_do_not_grow_with_the_number_of_cities(
    client, reference_data, admin_user, django_assert_max_num_queries
):
    client.force_login(admin_user)
    queries_with_5_and_200_cities(
        client, reverse("matching:comparison", args=["bulk-0000", "2030"]), django_assert_max_num_queries
    )


def test_cohort_figures_are_counted_once_per_change_of_the_round(client, cohort, admin_user):
    round, alpha, peers = cohort
    assert chamber_levels(comparison(alpha, round, admin_user))[1].own_share == 0.5
    with CaptureQueriesContext(connection) as again:
        assert chamber_levels(comparison(alpha, round, admin_user))[1].own_share == 0.5
    # Only the city's own answers and those of its detail rows are counted again, never the cohort's.
    counted = [q["sql"] for q in again.captured_queries if "SUM(CASE WHEN" in q["sql"]]
    assert counted and all('"city_id" IN (' in sql for sql in counted), "the cohort counted again"

    # An officer's save through the editor is a change of the round: the figures follow at once.
    client.force_login(make_user("alma", city=alpha, role=Assignment.Role.OFFICER))
    sheet = alpha.sheets.get(round=round)
    fields = set_cell(load_editor(client, sheet), cell(sheet, 1, 2), "yes")
    assert client.post(reverse("sheets:edit", args=[sheet.pk]), fields).status_code == 302
    assert chamber_levels(comparison(alpha, round, admin_user))[1].own_share == 1.0


def test_while_officers_work_the_cohort_is_counted_once_a_minute_at_most(cohort, admin_user, settings):
    """Every save changes the round; counting its whole cohort on each request would let a busy round
    stall the comparison and the report, so figures are kept for COHORT_FIGURES_MAX_AGE seconds."""
    round, alpha, peers = cohort
    before = chamber_levels(comparison(alpha, round, admin_user))[2]
    p3 = peers["p3"].sheets.get(round=round)
    for position in (1, 2):  # p3's level 2 goes from unanswered to all yes
        answer(p3, 2, position, 0, "yes")
    p3.touch(admin_user)

    settings.COHORT_FIGURES_MAX_AGE = 60
    assert chamber_levels(comparison(alpha, round, admin_user))[2].contributors == before.contributors
    settings.COHORT_FIGURES_MAX_AGE = 0
    after = chamber_levels(comparison(alpha, round, admin_user))[2]
    assert after.contributors == before.contributors + 1

"""The city report and sheet pages in the browser: the same content as the PDF, with the download
buttons, escaped text and the hooks for guidance and matching."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import data as report_data
from assessments.models import CityReport, Conclusion, Sheet
from assessments.sheet_table import build_sheet_table
from tests.cohort import build_cohort
from tests.sheet_posts import cell, load_editor, set_cell


def text_of(response):
    """The page's visible text, tags removed and whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style|title|desc)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&amp;", "&").split())


@pytest.fixture
def report_page(client, coordinator):
    client.force_login(coordinator)
    return client.get(reverse("reports:city", args=["milan", "2018"]))


def test_the_report_page_has_the_download_buttons(report_page):
    html = report_page.content.decode()
    for name, label in [
        ("reports:city_pdf", "Download the report (PDF)"),
        ("reports:answers_csv", "Answers (CSV)"),
        ("reports:answers_xlsx", "Answers (Excel)"),
        ("reports:exchange_json", "Exchange file (JSON)"),
    ]:
        assert f'href="{reverse(name, args=["milan", "2018"])}"' in html
        assert label in html


def test_the_report_page_has_cover_texts_conclusions_and_the_four_sheets(report_page):
    text = text_of(report_page)
    assert "Milan" in text and "Italy" in text and "Benchmarking round 2018" in text
    assert "Milan – Observations & conclusions from the benchmarking" in text
    assert "Milan may share its experiences with regard to:" in text and "Milan may look at:" in text
    assert "support services provided by the Chamber and its involvement in agenda-setting" in text
    for title in ("Municipality", "Chamber of Commerce", "Business organisations", "Immigrant business organisations"):
        assert f"MEGA Milan’s assessment sheet – {title}" in text
    assert text.count("Milan’s checklist at the basic level of performance") == 4


def test_observation_paragraphs_are_split_on_blank_lines(report_page):
    report = CityReport.objects.get(city__slug="milan")
    html = report_page.content.decode()
    paragraphs = re.findall(r"<p>(.*?)</p>", html[html.index('id="city-level"') : html.index('id="conclusions"')], re.S)
    notes = 1 + 3  # the closing "Notes:" and its three notes, printed as a list of notes
    assert len(paragraphs) == report.city_observations.count("\n\n") + 1 - notes


def test_each_sheet_links_to_its_own_page_and_pdf(report_page):
    html = report_page.content.decode()
    for sheet in Sheet.objects.filter(city__slug="milan"):
        assert reverse("reports:sheet", args=[sheet.pk]) in html
        assert reverse("reports:sheet_pdf", args=[sheet.pk]) in html


def test_marks_have_a_text_for_screen_readers_and_footnotes_link_to_their_notes(report_page):
    html = report_page.content.decode()
    assert '<span aria-hidden="true">✓</span><span class="visually-hidden">yes</span>' in html
    assert '<span aria-hidden="true">n/d</span><span class="visually-hidden">no data</span>' in html
    assert 'href="#sheet-chamber-fn-1"' in html and 'id="sheet-chamber-fn-1"' in html


def test_the_sheet_page_shows_marks_and_footnotes_as_numbered_by_the_sheet_table(client, coordinator, milan):
    sheet = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="immigrant_business_organisation")
    client.force_login(coordinator)
    response = client.get(reverse("reports:sheet", args=[sheet.pk]))
    text = text_of(response)
    assert '<h1 class="sheet-title"' in response.content.decode()
    table = build_sheet_table(sheet)
    for footnote in table.footnotes:
        assert f"{footnote.number} {footnote.text}" in text
    html = response.content.decode()
    calls = [int(n) for n in re.findall(r'<sup class="fn-call"><a [^>]*>(\d+)</a></sup>', html)]
    expected = [c.footnote for c in table.columns if c.footnote] * 3  # the header repeats in each level
    assert sorted(calls) == sorted(
        expected + [cell.footnote for row in table.rows for cell in row.cells if cell.footnote]
    )
    assert reverse("reports:city", args=["milan", "2018"]) in html
    assert reverse("reports:sheet_pdf", args=[sheet.pk]) in html


def test_user_text_is_escaped_on_the_pages(client, coordinator, milan):
    CityReport.objects.filter(city=milan).update(national_context='<img src="http://attacker.example/x.png"> & co')
    Conclusion.objects.filter(report__city=milan, position=1, kind="share").update(text="<script>alert(1)</script>")
    client.force_login(coordinator)
    html = client.get(reverse("reports:city", args=["milan", "2018"])).content.decode()
    assert '<img src="http://attacker.example' not in html and "<script>alert(1)" not in html
    assert "&lt;img src=&quot;http://attacker.example/x.png&quot;&gt; &amp; co" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_matches_are_shown_under_their_conclusion_when_there_are_any(client, coordinator, milan, monkeypatch):
    first = Conclusion.objects.get(report__city=milan, kind="look_at", position=1)
    monkeypatch.setattr(
        report_data,
        "conclusion_matches",
        lambda conclusions: {
            first.pk: [{"city": "Turin", "text": "<b>data</b> on migrant entrepreneurs", "url": "/cities/turin/2018/"}],
        },
    )
    client.force_login(coordinator)
    html = client.get(reverse("reports:city", args=["milan", "2018"])).content.decode()
    assert html.count("Matching cities:") == 1
    assert '<a href="/cities/turin/2018/">Turin</a> (&lt;b&gt;data&lt;/b&gt; on migrant entrepreneurs)' in html


def test_no_matches_means_no_matches_line(report_page):
    assert "Matching cities" not in report_page.content.decode()


def test_the_appendix_hook_is_included_at_the_end(report_page):
    assert "reports/_report_appendix.html" in [t.name for t in report_page.templates]


def test_a_round_with_sheets_but_no_report_text_still_has_a_report_page(client, coordinator, milan):
    CityReport.objects.filter(city=milan).delete()
    client.force_login(coordinator)
    response = client.get(reverse("reports:city", args=["milan", "2018"]))
    assert response.status_code == 200
    assert "No report text has been written for this round yet." in text_of(response)


def test_the_report_page_needs_a_bounded_number_of_queries(client, coordinator, milan, django_assert_max_num_queries):
    client.force_login(coordinator)
    with django_assert_max_num_queries(45):
        assert client.get(reverse("reports:city", args=["milan", "2018"])).status_code == 200


def test_a_coordinator_reads_the_officers_save_at_once(client, coordinator, officer, sheet, settings):
    """The report is kept between changes, and cohort figures may be a minute old; the city's own
    sheets never are."""
    settings.COHORT_FIGURES_MAX_AGE = 60
    url = reverse("reports:city", args=["milan", "2018"])
    client.force_login(coordinator)
    assert "Checked again by the officer" not in text_of(client.get(url))
    client.force_login(officer)
    fields = set_cell(load_editor(client, sheet), cell(sheet, 1, 1), note="Checked again by the officer")
    assert client.post(reverse("sheets:edit", args=[sheet.pk]), fields).status_code == 302
    client.force_login(coordinator)
    assert "Checked again by the officer" in text_of(client.get(url))


def test_the_report_page_queries_do_not_grow_with_the_number_of_cities(client, reference_data, admin_user):
    """Built afresh (nothing kept) with 8 cities and with 200, the report with its comparison
    section needs as many queries; read again with nothing changed, a few, and no other city's
    answers are counted."""
    client.force_login(admin_user)
    url = reverse("reports:city", args=["bulk-0000", "2030"])
    counts = []
    for cities, prefix in ((8, "bulk"), (192, "more")):
        build_cohort(cities, prefix=prefix, seed=len(counts) + 1)
        cache.clear()
        with CaptureQueriesContext(connection) as built:
            response = client.get(url)
        assert 'id="comparison"' in response.content.decode()
        counts.append(len(built))
    assert counts[0] == counts[1]
    with CaptureQueriesContext(connection) as again:
        assert client.get(url).status_code == 200
    assert len(again) <= 10
    assert not [q for q in again.captured_queries if "SUM(CASE WHEN" in q["sql"]], "the cohort counted again"

"""The city report as a publication: statement numbers that references can follow, the
disagreement flag in its own column, the appendix, the cover, the summary and the key."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from reports import pdf
from reports import summary as report_summary
from assessments.models import CityReport, Conclusion, Sheet
from reports.data import footnoted, report_data
from reports.templatetags.report_print import css_string
from tests.factories import make_city
from tests.pdfs import milan_report, pdf_text, render


def statement_cells(html):
    return re.findall(r'<th scope="row" class="statement"[^>]*>(.*?)</th>', html, re.S)


def test_every_statement_carries_its_number_in_the_report_page(client, milan, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("reports:city", args=["milan", "2018"])).content.decode()
    numbers = re.findall(r'<td class="statement-number">(\d\.\d+)</td>', html)
    assert len(numbers) == 29 + 18 + 15 + 14
    assert numbers[:3] == ["1.1", "1.2", "1.3"]
    assert "2.1" in numbers and "3.1" in numbers


def test_the_pdf_prints_the_statement_numbers(milan):
    report = milan_report()
    text = pdf_text(render(pdf.report_html(report.city, report.round, report)))
    assert re.search(r"1\.1\s+The municipality has at its disposal basic data", text)
    assert re.search(r"2\.3\s+The chamber", text)


def test_disagreement_is_flagged_beside_the_statement_not_inside_it(client, milan, officer):
    sheet = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="immigrant_business_organisation")
    client.force_login(officer)
    html = client.get(reverse("reports:sheet", args=[sheet.pk])).content.decode()
    assert html.count('class="disagreement disagree"') == 4
    assert not any("disagree" in cell for cell in statement_cells(html))


def test_typed_notes_become_calls_and_a_list_of_notes():
    text = "Intro[1] and more[2], but [9] has no note.\n\nNotes:\n\n[1] http://example.org/a\n\n[2] Second."
    paragraphs, notes = footnoted(text, "x")
    assert paragraphs == [
        [
            {"text": "Intro"},
            {"number": 1, "id": "x-call-1", "note_id": "x-note-1"},
            {"text": " and more"},
            {"number": 2, "id": "x-call-2", "note_id": "x-note-2"},
            {"text": ", but [9] has no note."},
        ]
    ]
    assert notes == [
        {"number": 1, "text": "http://example.org/a", "id": "x-note-1", "call_id": "x-call-1"},
        {"number": 2, "text": "Second.", "id": "x-note-2", "call_id": "x-call-2"},
    ]


def test_a_text_without_notes_is_left_as_typed():
    assert footnoted("One [1] two.\n\nThree.", "x") == ([[{"text": "One [1] two."}], [{"text": "Three."}]], [])


def test_city_level_notes_link_both_ways_on_the_page(client, milan, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("reports:city", args=["milan", "2018"])).content.decode()
    assert '<a href="#city-level-note-1" id="city-level-call-1"' in html
    assert '<li id="city-level-note-1">' in html and 'href="#city-level-call-1"' in html
    assert '<a href="http://www.cittametropolitana.mi.it/' in html  # a live link
    assert "[1]" not in html[html.index('id="city-level"') : html.index('id="conclusions"')]


def test_css_string_escapes_everything_that_could_end_it():
    assert css_string('a"b;}</style> –') == '"a\\000022 b\\00003b \\00007d \\00003c \\00002f style\\00003e  \\002013 "'


def whole_pages(content):
    return [pdf_text(content, whole_page=True).split("\f")[i] for i in range(pdf_text(content).count("\f"))]


def test_the_cover_has_the_datas_date_the_publisher_and_a_draft_mark_on_every_page(milan, settings):
    settings.REPORT_PUBLISHER = "Città di Prova <b>"
    report = milan_report()
    data = report_data(report.city, report.round, report)
    assert data["as_of"] == datetime.date(2018, 12, 31)  # fixture rows carry no change date: the round's
    content = pdf.render_pdf(pdf.report_html(report.city, report.round, report))
    pages = whole_pages(content)
    assert date_format(data["as_of"], "DATE_FORMAT") in pages[0] and "Città di Prova <b>" in pages[0]
    assert all("DRAFT" in page for page in pages)
    assert all("Città di Prova <b>" in page for page in pages)  # the footer names the publisher
    assert f"page 1 of {len(pages)}" in pages[0]


def test_no_draft_mark_once_every_sheet_is_validated(milan):
    Sheet.objects.filter(city=milan).update(status=Sheet.Status.VALIDATED)
    report = milan_report()
    pages = whole_pages(pdf.render_pdf(pdf.report_html(report.city, report.round, report)))
    assert not any("DRAFT" in page for page in pages)


def test_the_data_date_is_the_latest_change(milan, officer):
    sheet = Sheet.objects.filter(city=milan).first()
    sheet.touch(officer)
    report = milan_report()
    assert report_data(report.city, report.round, report)["as_of"] == Sheet.objects.get(pk=sheet.pk).updated_at


def test_the_summary_scores_each_stakeholder_type_and_level_from_the_sheets(milan):
    report = milan_report()
    summary = report_data(report.city, report.round, report)["summary"]
    card = {
        row["stakeholder_type"]: [(c["yes"], c["answered"], c["percent"]) for c in row["cells"]]
        for row in summary["scorecard"]
    }
    assert card["Municipality"] == [(3, 6, 50), (4, 14, 29), (5, 9, 56)]
    assert card["Chamber of Commerce"][0] == (6, 6, 100)
    strongest = [(c["stakeholder_type"], c["level"]) for c in summary["strongest"]]
    weakest = [(c["stakeholder_type"], c["level"]) for c in summary["weakest"]]
    assert strongest[0] == ("Chamber of Commerce", 1)
    assert weakest[0] == ("Immigrant business organisations", 2)
    assert not set(strongest) & set(weakest)
    assert len(summary["key_actions"]) == 3
    for item in summary["key_actions"]:  # each action answers a "no" of a weakest area
        assert item["action"] == item["guidance"]["actions"][0]
        for sheet in item["sheets"]:
            assert {(sheet["stakeholder_type"], s["level"]) for s in sheet["statements"]} <= set(weakest)


@pytest.mark.parametrize(
    "share, band", [(0, 0), (0.24, 0), (0.25, 1), (0.5, 2), (0.74, 2), (0.75, 3), (1, 3), (None, None)]
)
def test_the_heat_map_has_four_bands(share, band):
    assert report_summary.band(share) == band


def test_the_summary_names_partner_cities_once_their_reports_are_published(milan, client, coordinator):
    look_at = Conclusion.objects.filter(report__city=milan, kind=Conclusion.Kind.LOOK_AT).first()
    turin = make_city("turin", "Turin")
    other = CityReport.objects.create(city=turin, round=look_at.report.round, published=False)
    share = Conclusion.objects.create(report=other, kind=Conclusion.Kind.SHARE, text="our data desk", position=1)
    share.topics.set(look_at.topics.all())
    client.force_login(coordinator)

    def summary():
        html = client.get(reverse("reports:city", args=["milan", "2018"])).content.decode()
        return html[html.index('id="summary"') : html.index('id="how-to-read"')]

    assert "Turin" not in summary()
    other.published = True
    other.save()
    assert "Partners: Turin" in summary()


def test_the_pdf_opens_with_the_summary_and_how_to_read_it(milan):
    report = milan_report()
    content = render(pdf.report_html(report.city, report.round, report))
    pages = whole_pages(content)
    assert "Executive summary" in pages[1] and "100 %" in pages[1] and "Weakest areas" in pages[1]
    how = pages[2]
    assert "How to read this report" in how
    for words in ("✓", "yes: the statement holds", "n/d", "≠", "Mille Soleils, Sunugal", "Municipality of Milan"):
        assert words in how
    assert date_format(datetime.date(2018, 12, 31), "DATE_FORMAT") in how
    contents = pages[0][pages[0].index("Contents") :]
    assert "Executive summary" in contents and "How to read this report" in contents


def test_the_italian_report_is_italian_and_marks_what_stays_english(milan, client, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("reports:city", args=["milan", "2018"]) + "?lang=it").content.decode()
    assert '<html lang="it"' in html or 'lang="it"' in html[:500]
    texts = html[html.index('id="city-level"') : html.index('id="conclusions"')]
    assert '<div class="report-text" lang="en">' in texts  # the officer wrote it in English
    assert re.search(r'<ol lang="en">\s*<li id="sheet-municipality-fn-1">', html)  # the notes too
    translated = re.findall(r'<th scope="row" class="statement stack-first"( lang="en")?>', html)
    assert translated and not any(translated)  # every statement has its Italian translation
    english = client.get(reverse("reports:city", args=["milan", "2018"])).content.decode()
    assert 'lang="en"' not in english[english.index("<main") :]  # nothing to mark in the original language


def test_the_italian_pdf_prints_the_chart_and_footer_in_italian(milan):
    report = milan_report()
    with translation.override("it"):
        content = render(pdf.report_html(report.city, report.round, report))
        legend = translation.pgettext("answer", "no data")
        page, of = translation.pgettext("page X of Y", "page"), translation.pgettext("page X of Y", "of")
    pages = whole_pages(content)
    text = "\n".join(pages)
    assert legend == "dati non disponibili" and legend in text
    assert not re.search(r"\d (yes|no data|not answered)\b", text)  # the charts' counts were English
    assert f"{page} 3 {of} {len(pages)}" in pages[2]


def publish_cohort(round, count):
    for number in range(count):
        other = make_city(f"peer-{number}", f"Peer {number}")
        CityReport.objects.create(city=other, round=round, published=True)


def test_the_comparison_becomes_a_section_once_three_other_cities_have_published(client, milan, coordinator):
    client.force_login(coordinator)
    url = reverse("reports:city", args=["milan", "2018"])
    round = milan_report().round
    publish_cohort(round, 2)
    assert 'id="comparison"' not in client.get(url).content.decode()
    CityReport.objects.create(city=make_city("peer-x", "Peer X"), round=round, published=True)
    html = client.get(url).content.decode()
    assert 'id="comparison"' in html and 'href="#comparison"' in html
    section = html[html.index('id="comparison"') :]
    assert 'class="comparison-chart"' in section and "Peer" not in section  # no other city is named


def test_the_comparison_charts_text_prints_at_9_pt_at_least(milan):
    publish_cohort(milan_report().round, 3)
    report = milan_report()
    data = report_data(report.city, report.round, report)
    svg = str(data["comparison"]["chart"])
    width = float(re.search(r'viewBox="0 0 ([\d.]+)', svg)[1])
    sizes = [float(size) for size in re.findall(r'font-size="([\d.]+)"', svg)]
    text_width_pt = (210 - 20 - 18) / 25.4 * 72  # print.css: A4 less the margins; the chart spans it
    assert min(sizes) * text_width_pt / width >= 9

"""The page layout of the Milan PDF report, in English and in Italian, read back from the PDF:
level openings stay with their first rows, a sheet's notes never stand alone on a page, no page is
more than half empty but the last of a chapter, and the city-level notes are linked."""

import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from reports import pdf
from reports.data import report_data
from tests.pdf_pages import chapter, chapter_ends, pages
from tests.pdfs import milan_report, render

_rendered = {}


@pytest.fixture(params=["en", "it"])
def milan(request, milan):
    """Milan's report in one language: its data and its PDF's pages (rendered once per run)."""
    report = milan_report()
    with translation.override(request.param):
        data = report_data(report.city, report.round, report)
        if request.param not in _rendered:
            content = render(pdf.report_html(report.city, report.round, report))
            _rendered[request.param] = content, pages(content)
    return data, *_rendered[request.param]


def test_a_level_heading_and_introduction_stay_with_the_first_rows(milan):
    data, _, doc = milan
    checked = 0
    for sheet in data["sheets"]:
        sheet_pages = chapter(doc, sheet["title"])
        for level in sheet["levels"]:
            first = level["rows"][0]
            heading = [p for p in sheet_pages if p.index(level["heading"].upper()) is not None]
            assert len(heading) == 1, level["heading"]
            page = heading[0]
            number = page.index(first["number"])
            assert number is not None and number > page.index(level["heading"].upper()), (
                f"{sheet['title']}: {level['heading']} on page {page.number} without its first row"
            )
            assert page.index(first["text"][:25]) is not None
            checked += 1
    assert checked == 12


def test_a_sheets_notes_never_stand_alone_on_a_page(milan):
    data, _, doc = milan
    for sheet in data["sheets"]:
        first_note = sheet["footnotes"][0]["text"][:25]
        page = next(p for p in chapter(doc, sheet["title"]) if p.index(first_note) is not None)
        before = page.lines[: page.index(first_note)]
        rows = [line for line in before if line.text.startswith("3.")]  # a row of the last level
        assert rows or page.fill > 0.5, f"the notes of {sheet['title']} alone on page {page.number}"


def test_no_page_is_more_than_half_empty_but_a_chapters_last(milan):
    _, _, doc = milan
    ends = chapter_ends(doc)
    half_empty = [(p.number, round(p.fill, 2)) for p in doc if p.number not in ends and p.fill < 0.5]
    assert not half_empty
    assert len(ends) >= len(milan[0]["sheets"]) + 2  # the sheets, the texts, the appendix at least


def test_the_city_level_notes_are_superscripts_linked_to_live_notes(milan):
    data, content, doc = milan
    assert [note["number"] for note in data["city_notes"]] == [1, 2, 3]
    text = "\n".join(page.text for page in doc)
    assert "[1]" not in text and "Notes:" not in text
    links = [annot.get_object() for page in PdfReader(io.BytesIO(content)).pages for annot in page.get("/Annots", [])]
    uris = [link["/A"].get("/URI") for link in links if "/A" in link]
    assert any(uri and uri.startswith("http://www.cittametropolitana.mi.it/") for uri in uris)
    internal = [link for link in links if "/Dest" in link or ("/A" in link and link["/A"].get("/S") == "/GoTo")]
    assert len(internal) >= 3  # each call leads to its note

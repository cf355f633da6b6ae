"""The Milan PDF holds every word of the benchmarking, with the footnote numbers of the domain
model, on A4 pages with page numbers, embedded fonts and metadata."""

import io
import re

import pytest
from pypdf import PdfReader

from reports import pdf
from assessments.models import Answer, Conclusion, Sheet
from reports.data import paragraphs
from assessments.sheet_table import build_sheet_table
from tests.pdfs import milan_report, pdf_text, render, squash


@pytest.fixture
def milan_pdf(milan):
    report = milan_report()
    return render(pdf.report_html(report.city, report.round, report))


@pytest.fixture
def milan_text(milan_pdf):
    return squash(pdf_text(milan_pdf))


def milan_sheets():
    return Sheet.objects.filter(city__slug="milan", round__name="2018").select_related(
        "city", "round", "checklist__stakeholder_type"
    )


def test_the_report_is_a_pdf_of_a4_pages_in_the_expected_range(milan_pdf):
    assert milan_pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(milan_pdf))
    assert 12 <= len(reader.pages) <= 30
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points


def test_the_report_has_title_and_author_metadata(milan_pdf):
    metadata = PdfReader(io.BytesIO(milan_pdf)).metadata
    assert metadata.title == "MEGA benchmarking report – Milan, 2018"
    assert metadata.author == "MEGA Benchmark"
    assert "Milan (Italy)" in metadata.subject


def test_the_fonts_are_the_shipped_ones_and_embedded(milan_pdf):
    fonts = {}
    for page in PdfReader(io.BytesIO(milan_pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts[str(font["/BaseFont"]).split("+")[-1]] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    assert fonts and all(fonts.values())
    assert {"MEGA-Sans", "MEGA-Sans-Bold", "MEGA-Serif"} <= set(fonts)
    assert all(name.startswith("MEGA-") for name in fonts), fonts


def test_page_numbers_and_running_header(milan_pdf):
    text = pdf_text(milan_pdf, whole_page=True)
    pages = len(PdfReader(io.BytesIO(milan_pdf)).pages)
    assert "page 1 of" not in pdf_text(milan_pdf)
    for number in range(1, pages + 1):
        assert f"page {number} of {pages}" in text
    assert text.count("MEGA benchmarking · Milan · round 2018") == pages - 1  # not on the cover


def test_the_cover_has_city_country_round_and_each_sheets_status(milan_text):
    for words in (
        "Milan",
        "Country",
        "Italy",
        "Benchmarking round",
        "2018",
        "Draft",
        "Municipality",
        "Chamber of Commerce",
        "Business organisations",
        "Immigrant business organisations",
        "Mille Soleils, Sunugal",
        "29 of 29",
        "28 of 28",
    ):
        assert squash(words) in milan_text, words


def test_every_paragraph_of_the_report_texts_is_in_the_pdf(milan_text):
    """Every paragraph, with its typed "[1]" printed as the superscript call 1, and each note of the
    closing "Notes:" block with its number."""
    report = milan_report()
    for paragraph in paragraphs(report.national_context) + paragraphs(report.city_observations):
        if paragraph == "Notes:":
            continue
        printed = re.sub(r"^\[(\d+)\]\s*", r"\1", re.sub(r"(?<=\S)\[(\d+)\]", r"\1", paragraph))
        assert squash(printed) in milan_text, paragraph[:60]


def test_every_conclusion_is_in_the_pdf_under_its_heading(milan_text):
    """In the chapter of the report's texts (the executive summary before it lists them too)."""
    report = milan_report()
    share = milan_text.rindex(squash("Milan may share its experiences with regard to:"))
    look_at = milan_text.rindex(squash("Milan may look at:"))
    assert share < look_at
    conclusions = list(report.conclusions.all())
    assert len(conclusions) == 7
    for conclusion in conclusions:
        position = milan_text.index(squash(conclusion.text), share)
        if conclusion.kind == Conclusion.Kind.SHARE:
            assert share < position < look_at
        else:
            assert position > look_at


def test_every_statement_with_its_marks_and_footnote_numbers_is_in_the_pdf(milan_text):
    """Each row reads as in the seed: the marks of its columns with their footnote numbers, the
    disagreement flag when respondents disagree, then the statement's number and text
    (`–8 –9 2.1 The immigrant business organisation …`); the numbers are those of build_sheet_table."""
    rows = 0
    for sheet in milan_sheets():
        table = build_sheet_table(sheet)
        for row in table.rows:
            marks = "".join(f"{cell.mark}{cell.footnote or ''}" for cell in row.cells)
            flag = "≠" if row.disagreement else ""
            expected = squash(marks + flag + row.statement.number + row.statement.text)
            assert expected in milan_text, (sheet, row.statement.text[:50])
            rows += 1
    assert rows == 76


def test_every_footnote_is_printed_with_its_number(milan_text):
    count = 0
    for sheet in milan_sheets():
        table = build_sheet_table(sheet)
        notes_heading = squash(f"Notes to the {sheet.checklist.stakeholder_type.name.lower()} sheet")
        start = milan_text.index(notes_heading)
        for footnote in table.footnotes:
            assert squash(f"{footnote.number}{footnote.text}") in milan_text[start:], (sheet, footnote.number)
            count += 1
        for column in table.columns:
            if column.footnote:
                assert squash(f"{column.respondent.name}{column.footnote}") in milan_text
    assert count == 25


def test_every_sheet_has_its_title_outcome_level_headings_and_summary(milan_text):
    for sheet in milan_sheets():
        table = build_sheet_table(sheet)
        assert squash(sheet.title) in milan_text
        assert squash(sheet.checklist.outcome) in milan_text
        for block in table.levels:
            assert squash(f"{block.level.number}. {block.level.name}").upper() in milan_text.upper()
            assert squash(block.level.description) in milan_text
            assert squash(f"Milan’s checklist at the {block.level.performance} level of performance") in milan_text
    assert (
        squash("Summary of level 2: Mille Soleils 3 yes, 3 no, 0 no data; Sunugal 2 yes, 3 no, 1 no data") in milan_text
    )


def test_a_sheet_pdf_has_the_sheet_alone(milan):
    sheet = milan_sheets().get(checklist__stakeholder_type__slug="chamber")
    content = render(pdf.sheet_html(sheet))
    text = squash(pdf_text(content))
    assert squash("MEGA Milan’s assessment sheet – Chamber of Commerce") in text
    assert squash("Camera di Commercio di Milano Monza Brianza Lodi") in text
    assert squash("Municipality of Milan") not in text
    reader = PdfReader(io.BytesIO(content))
    assert reader.metadata.title == "MEGA Milan’s assessment sheet – Chamber of Commerce (2018)"
    assert 2 <= len(reader.pages) <= 6


def test_accented_letters_and_the_check_mark_print_with_the_shipped_fonts(milan):
    sheet = milan_sheets().get(checklist__stakeholder_type__slug="municipality")
    words = "Città è già · Ça fête l’été, œuvre · Größe Straße Übermaß · España, año, ¿qué? ¡sí! · ✓"
    respondent = sheet.respondents.get()
    respondent.note = words
    respondent.save()
    Answer.objects.filter(respondent=respondent, statement__level__number=1, statement__position=1).update(note=words)
    content = render(pdf.sheet_html(sheet))
    text = pdf_text(content)
    assert text.count(words) >= 2
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in PdfReader(io.BytesIO(content)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert all(name.startswith("MEGA-") for name in fonts), fonts

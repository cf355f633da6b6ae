"""The PDFs are accessible: tagged PDF/UA-1, with the document language and the title shown."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from reports import pdf
from assessments.models import Sheet


def catalog(data):
    return PdfReader(io.BytesIO(data)).trailer["/Root"]


def assert_tagged(data, lang):
    root = catalog(data)
    assert bool(root["/MarkInfo"]["/Marked"]), "/MarkInfo /Marked is not true"
    assert root["/Lang"] == lang
    assert root["/StructTreeRoot"].get_object()["/K"], "the structure tree is empty"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    metadata = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfuaid:part(=\"|>)1[\"<]", metadata), "the XMP metadata does not claim PDF/UA-1"


@pytest.fixture
def sheet(milan):
    return Sheet.objects.select_related("city", "round", "checklist__stakeholder_type").get(
        city=milan, round__name="2018", checklist__stakeholder_type__slug="chamber"
    )


def test_the_city_report_download_is_tagged_pdf_ua_in_english(client, milan, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("reports:city_pdf", args=["milan", "2018"]))
    assert response.status_code == 200
    assert_tagged(b"".join(response.streaming_content) if response.streaming else response.content, "en")


def test_a_sheet_pdf_is_tagged_pdf_ua_in_the_readers_language(sheet):
    with translation.override("it"):
        html = pdf.sheet_html(sheet)
    assert '<html lang="it">' in html
    assert_tagged(pdf.render_pdf(html), "it")


def test_the_sheet_pdf_headings_do_not_skip_a_level(sheet):
    """The sheet alone: its title is h1, the levels h2, each checklist heading h3."""
    html = pdf.sheet_html(sheet)
    assert '<h1 class="sheet-title"' in html
    assert '<h2 class="level-heading"' in html and '<h3 class="checklist-heading"' in html
    assert "<h4" not in html

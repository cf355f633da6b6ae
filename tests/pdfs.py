"""Reading a rendered PDF as a reader would: its text (poppler's pdftotext), compared loosely."""

import re
import subprocess

from reports import pdf
from assessments.models import CityReport

# The page area inside the margins (print.css: 24 mm top, 20 mm bottom), in points of an A4 page.
BODY_AREA = ["-x", "0", "-y", "62", "-W", "596", "-H", "722"]


def pdf_text(content, *, whole_page=False):
    """The PDF's text (poppler's pdftotext); without the running headers and footers unless asked."""
    area = [] if whole_page else BODY_AREA
    return subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", *area, "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode("utf-8")


def squash(text):
    """Compare text regardless of line breaks, spacing, page breaks and hyphens (pdftotext joins a
    word hyphenated at a line end, dropping its hyphen)."""
    return re.sub(r"[\s\-\u00ad]+", "", text)


def milan_report():
    return CityReport.objects.select_related("city", "round").get(city__slug="milan", round__name="2018")


_rendered = {}


def render(html):
    """WeasyPrint's PDF of `html`, rendered once per test run (not through the download cache,
    which other tests fill with fakes)."""
    if html not in _rendered:
        _rendered[html] = pdf.render_pdf(html)
    return _rendered[html]

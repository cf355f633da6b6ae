"""The city report's appendix "Guidance for the gaps", in HTML and PDF."""

import re
import subprocess

import pytest
from django.urls import reverse

from reports import pdf
from assessments.models import CityReport
from tests.pdfs import render

pytestmark = pytest.mark.django_db


def test_report_has_the_guidance_for_the_gaps(client, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("reports:city", args=["milan", "2018"])).content.decode()
    assert "Appendix: Guidance for the gaps" in html
    start = html.index('id="guidance-for-the-gaps"')
    appendix = html[start:]
    assert (
        appendix.count(
            "Ensure that network animators can effectively communicate with migrants, including in relevant languages."
        )
        == 1
    )
    assert appendix.count("Partner with organisations that work with migrant entrepreneurs") == 1


def test_each_guidance_statement_is_printed_once_with_the_statements_leading_to_it(client, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("reports:city", args=["milan", "2018"])).content.decode()
    appendix = html[html.index('id="guidance-for-the-gaps"') :]
    numbers = re.findall(r'data-guidance="([\d.]+)"', appendix)
    assert numbers == sorted(set(numbers)) and len(numbers) >= 4
    first = appendix[
        appendix.index('data-guidance="6.1"') : appendix.index("</section>", appendix.index('data-guidance="6.1"'))
    ]
    assert "Municipality" in first and "Chamber of Commerce" in first
    for anchor in re.findall(r'href="#(sheet-[\w-]+)"', first):
        assert f'<tr id="{anchor}">' in html  # every statement number links to its row


def test_the_appendix_is_in_the_contents(client, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("reports:city", args=["milan", "2018"])).content.decode()
    contents = html[html.index('class="contents"') : html.index("</nav>", html.index('class="contents"'))]
    assert 'href="#guidance-for-the-gaps"' in contents


def test_report_pdf_has_the_guidance_for_the_gaps(milan):
    report = CityReport.objects.select_related("city", "round").get(city=milan, round__name="2018")
    content = render(pdf.report_html(report.city, report.round, report))
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode("utf-8")
    flat = re.sub(r"\s+", " ", text)
    assert "Appendix: Guidance for the gaps" in flat
    assert "Ensure that network animators can effectively communicate with migrants" in flat

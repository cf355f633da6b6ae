"""The city report's appendix "Guidance for the gaps", in HTML and PDF."""
import re
import subprocess

import pytest
from django.urls import reverse

from assessments import pdf
from assessments.models import CityReport

pytestmark = pytest.mark.django_db


def test_report_has_the_guidance_for_the_gaps(client, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("city_report", args=["milan", "2018"])).content.decode()
    assert "Appendix: Guidance for the gaps" in html
    start = html.index('data-sheet="municipality"')
    municipality = html[start:html.index("</section>", start)]
    assert "Ensure that network animators can effectively communicate with migrants, including in relevant languages." \
        in municipality
    assert municipality.count("Partner with organisations that work with migrant entrepreneurs") == 1


def test_report_pdf_has_the_guidance_for_the_gaps(milan):
    report = CityReport.objects.select_related("city", "round").get(city=milan, round__name="2018")
    content = pdf.render_pdf(pdf.report_html(report.city, report.round, report))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True,
                          check=True).stdout.decode("utf-8")
    flat = re.sub(r"\s+", " ", text)
    assert "Appendix: Guidance for the gaps" in flat
    assert "Ensure that network animators can effectively communicate with migrants" in flat

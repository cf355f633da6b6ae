"""The group results of a self-assessment as a PDF."""

import re
import subprocess

import pytest
from django.urls import reverse

from assessments.models import Round
from guidance.models import GuidanceModule, GuidanceStatement, Rating, SelfAssessment

pytestmark = pytest.mark.django_db


def pdf_url():
    return reverse("guidance:results_pdf", args=["6", "milan", "2018"])


def text_of(content):
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True)
    return re.sub(r"\s+", " ", out.stdout.decode("utf-8"))


@pytest.fixture
def ratings(milan):
    module = GuidanceModule.objects.get(number="6")
    round = Round.objects.get(name="2018")
    for name, scores in [("ann", {"6.1": 2, "6.2": None}), ("bob", {"6.1": 5, "6.2": None})]:
        assessment = SelfAssessment.objects.create(city=milan, round=round, module=module, participant_name=name)
        for number, score in scores.items():
            Rating.objects.create(
                assessment=assessment, statement=GuidanceStatement.objects.get(number=number), score=score
            )


def test_results_pdf_holds_the_figures_chart_and_actions(client, coordinator, ratings):
    client.force_login(coordinator)
    response = client.get(pdf_url())
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "mega-milan-2018-self-assessment-module-6.pdf" in response["Content-Disposition"]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"%PDF-")
    text = text_of(content)
    assert "Self-assessment results: Expanding Networks for Migrant Entrepreneurs" in text
    assert "2 participants rated module 6" in text
    assert "3.5" in text  # mean of 6.1
    assert "Mean rating of each statement" not in text  # the chart's title is not printed text …
    assert "Lowest scores first" in text
    # … while 6.1, the lowest mean, comes first, followed by its actions.
    lowest = text.index("Lowest scores first")
    assert text.index("Identify existing migrant entrepreneurship networks.", lowest) < text.index("6.2.", lowest)


def test_results_pdf_follows_the_permissions(client, other_officer, milan):
    client.force_login(other_officer)
    assert client.get(pdf_url()).status_code == 403
    client.logout()
    assert client.get(pdf_url()).status_code == 302

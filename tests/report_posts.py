"""Helpers for the report editor tests: the Milan 2018 report, and its editor's form posted the
way a browser without JavaScript would."""

from django.urls import reverse

from assessments.models import CityReport
from tests.sheet_posts import form_fields

EDIT = reverse("reports:edit", args=["milan", "2018"])
AUTOSAVE = reverse("reports:autosave", args=["milan", "2018"])
HISTORY = reverse("reports:history", args=["milan", "2018"])


def report():
    return CityReport.objects.get(city__slug="milan", round__name="2018")


def load(client):
    """GET the editor and return the fields its form would post unchanged."""
    response = client.get(EDIT)
    assert response.status_code == 200
    return form_fields(response.content.decode(), form_id="report-form")

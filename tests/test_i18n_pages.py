"""The sheet editor and the city report in each interface language; a PDF in Italian."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

from reports import pdf
from assessments.models import CityReport, Sheet
from tests.pdfs import pdf_text, render, squash

LANGUAGES = [code for code, _ in settings.LANGUAGES]
FIRST_STATEMENT_IT = "Il Comune dispone di dati di base sugli imprenditori immigrati."
FIRST_STATEMENT_EN = "The municipality has at its disposal basic data concerning immigrant entrepreneurs."


def in_language(code, message, context=None):
    with translation.override(code):
        return translation.pgettext(context, message) if context else translation.gettext(message)


def municipality_sheet():
    return Sheet.objects.get(city__slug="milan", round__name="2018", checklist__stakeholder_type__slug="municipality")


def page(client, url, code):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Language"] == code
    html = response.content.decode()
    assert f'<html lang="{code}">' in html
    return html


def translated_labels(code):
    """Labels every one of these pages shows, as the catalogue of `code` has them (that the catalogue
    translates them at all is test_i18n_catalogues' business)."""
    return [in_language(code, "Sign out"), in_language(code, "Home"), in_language(code, "Change language")]


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_sheet_editor_is_in_the_readers_language(client, officer, code):
    client.force_login(officer)
    html = page(client, reverse("sheets:edit", args=[municipality_sheet().pk]), code)
    for label in translated_labels(code) + [in_language(code, "Final outcome"), in_language(code, "Save")]:
        assert label in html
    heading = in_language(code, "%(city)s’s checklist at the %(performance)s level of performance") % {
        "city": "Milan",
        "performance": in_language(code, "basic", "level of performance"),
    }
    assert heading in html
    if code == "it":
        assert "Finale outcome" not in html and "Risultato finale" in html
        assert "Checklist di Milan al livello di prestazione di base" in html
        assert "1. Gettare le basi" in html and FIRST_STATEMENT_IT in html
        assert FIRST_STATEMENT_EN not in html
    if code == "en":
        assert "1. Laying the foundations" in html and FIRST_STATEMENT_EN in html


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_city_report_is_in_the_readers_language(client, coordinator, code):
    client.force_login(coordinator)
    html = page(client, reverse("reports:city", args=["milan", "2018"]), code)
    for label in translated_labels(code) + [in_language(code, "National context"), in_language(code, "Contents")]:
        assert label in html
    assert in_language(code, "Chamber of Commerce") in html
    if code == "it":
        assert "Contesto nazionale" in html and "Camera di commercio" in html
        assert "1. Gettare le basi" in html and FIRST_STATEMENT_IT in html
        assert "Scheda di valutazione MEGA di Milan – Comune" in html
    # answers and annotations stay as typed, whatever the language
    report = CityReport.objects.get(city__slug="milan", round__name="2018")
    assert report.conclusions.first().text.split("\n")[0][:40] in html


@pytest.mark.parametrize("code,expected", [("en", "March 5, 2026"), ("it", "Marzo 2026"), ("de", "März 2026")])
def test_dates_follow_the_readers_language(client, coordinator, code, expected):
    client.force_login(coordinator)
    CityReport.objects.filter(city__slug="milan", round__name="2018").update(
        updated_at=datetime.datetime(2026, 3, 5, 12, 0, tzinfo=datetime.UTC)
    )
    html = page(client, reverse("reports:city", args=["milan", "2018"]), code)
    with translation.override(code):
        assert formats.date_format(datetime.date(2026, 3, 5), "DATE_FORMAT") in html
    assert expected in html


def test_a_pdf_in_italian_has_the_italian_statements(milan):
    report = CityReport.objects.select_related("city", "round").get(city__slug="milan", round__name="2018")
    with translation.override("it"):
        html = pdf.report_html(report.city, report.round, report)
    assert '<html lang="it">' in html
    text = squash(pdf_text(render(html)))
    for statement in (
        FIRST_STATEMENT_IT,
        "Gettare le basi",
        "Contesto nazionale",
        "Checklist di Milan al livello di prestazione di base",
    ):
        assert squash(statement) in text
    assert squash(FIRST_STATEMENT_EN) not in text

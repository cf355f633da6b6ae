"""Who may read the reports and download the PDFs and data: every page and download climbs the same
ladder (anonymous → another city's people → the city's people → admin), and a published report is
readable by every signed-in user."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from reports import pdf
from assessments.models import CityReport, Sheet

CITY_URLS = ["reports:city", "reports:city_pdf", "reports:answers_csv", "reports:answers_xlsx", "reports:exchange_json"]
SHEET_URLS = ["reports:sheet", "reports:sheet_pdf"]
ALL_URLS = CITY_URLS + SHEET_URLS
ROLES = ["anonymous", "officer", "other_officer", "coordinator", "other_coordinator", "admin_user"]
EXPECTED = {
    "anonymous": 302,
    "officer": 200,
    "other_officer": 403,
    "coordinator": 200,
    "other_coordinator": 403,
    "admin_user": 200,
}


@pytest.fixture(autouse=True)
def quick_pdfs(monkeypatch):
    """Instant fake PDFs; the cache is emptied so no other test is served one."""
    monkeypatch.setattr(pdf, "render_pdf", lambda html, fetcher=None: b"%PDF-test")
    cache.clear()
    yield
    cache.clear()


def url_for(name, milan):
    if name in CITY_URLS:
        return reverse(name, args=[milan.slug, "2018"])
    sheet = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="chamber")
    return reverse(name, args=[sheet.pk])


def sign_in(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


@pytest.mark.parametrize("name", ALL_URLS)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, request, milan, name, role):
    sign_in(client, request, role)
    url = url_for(name, milan)
    response = client.get(url)
    assert response.status_code == EXPECTED[role], (name, role)
    if role == "anonymous":
        assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    if response.status_code == 403:
        assert b"Milan" not in response.content and b"%PDF" not in response.content


@pytest.mark.parametrize("name", ALL_URLS)
@pytest.mark.parametrize("role", ["other_officer", "other_coordinator"])
def test_a_published_report_is_readable_by_every_signed_in_user(client, request, milan, name, role):
    CityReport.objects.filter(city=milan).update(published=True)
    sign_in(client, request, role)
    assert client.get(url_for(name, milan)).status_code == 200


@pytest.mark.parametrize("name", ALL_URLS)
def test_a_published_report_is_still_closed_to_anonymous_visitors(client, milan, name):
    CityReport.objects.filter(city=milan).update(published=True)
    assert client.get(url_for(name, milan)).status_code == 302


@pytest.mark.parametrize("name", CITY_URLS)
def test_an_unknown_city_gives_no_hint_that_it_does_not_exist(client, coordinator, admin_user, milan, name):
    client.force_login(coordinator)
    assert client.get(reverse(name, args=["atlantis", "2018"])).status_code == 403
    assert client.get(reverse(name, args=["milan", "1999"])).status_code == 403
    client.force_login(admin_user)
    assert client.get(reverse(name, args=["atlantis", "2018"])).status_code == 404


@pytest.mark.parametrize("name", SHEET_URLS)
def test_an_unknown_sheet_is_403_for_people_and_404_for_admins(client, coordinator, admin_user, milan, name):
    client.force_login(coordinator)
    assert client.get(reverse(name, args=[999999])).status_code == 403
    client.force_login(admin_user)
    assert client.get(reverse(name, args=[999999])).status_code == 404


@pytest.mark.parametrize("name", ALL_URLS)
def test_pages_and_downloads_only_answer_get(client, coordinator, milan, name):
    client.force_login(coordinator)
    assert client.post(url_for(name, milan)).status_code == 405


@pytest.mark.parametrize(
    "name,filename",
    [
        ("reports:city_pdf", "mega-milan-2018-report.pdf"),
        ("reports:sheet_pdf", "mega-milan-2018-chamber.pdf"),
    ],
)
def test_pdf_downloads_have_a_clear_file_name(client, coordinator, milan, name, filename):
    client.force_login(coordinator)
    response = client.get(url_for(name, milan))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert "private" in response["Cache-Control"]


def test_sheet_file_names_spell_the_stakeholder_type_with_hyphens(milan):
    sheet = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="immigrant_business_organisation")
    assert pdf.sheet_filename(sheet) == "mega-milan-2018-immigrant-business-organisation.pdf"

"""The demo cohort: fictional sample cities that `seed_demo` loads with DEBUG (or --sample-cities),
labelled "sample data" on their pages, exports and PDFs, and removed by one command."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from reports import pdf
from matching.comparison import comparison
from matching.matches import city_partners
from assessments.models import Answer, CityReport, Conclusion, Round, Sheet
from rounds.sample import CITIES, load_sample_cities
from stakeholders.models import City
from tests.pdfs import pdf_text

LABEL = "Sample data: a fictional city of the demo cohort, not a real place."


def seed(settings, *args, debug=True):
    settings.DEBUG = debug
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def sampled(milan):
    """The sample cities beside the seed, as `seed_demo` adds them (the tests of the command itself
    run it)."""
    load_sample_cities()
    return City.objects.filter(is_sample=True)


def test_debug_seed_loads_at_least_three_fictional_cities_with_content(milan, settings):
    output = seed(settings)
    sampled = City.objects.filter(is_sample=True)
    assert "Sampleburg" in output and sampled.count() >= 3
    assert all(c.country == "Samplia (fictional)" for c in sampled)
    for city in sampled:
        assert Sheet.objects.filter(city=city, round__name="2018").count() == 4
        answers = Answer.objects.filter(respondent__sheet__city=city)
        assert answers.filter(value="yes").exists() and answers.filter(value="no").exists()
        assert answers.exclude(note="").exists()
        report = CityReport.objects.get(city=city, round__name="2018")
        assert report.published and report.national_context
        assert Conclusion.objects.filter(report=report, kind="share", topics__isnull=False).exists()
        assert Conclusion.objects.filter(report=report, kind="look_at", topics__isnull=False).exists()
    assert not City.objects.get(slug="milan").is_sample


def test_the_sample_cohort_is_the_same_every_time(milan):
    load_sample_cities()
    first = sorted(
        Answer.objects.filter(respondent__sheet__city__is_sample=True).values_list(
            "respondent__sheet__city__slug", "statement_id", "value", "note"
        )
    )
    call_command("remove_sample_cities", stdout=io.StringIO())
    load_sample_cities()
    assert (
        sorted(
            Answer.objects.filter(respondent__sheet__city__is_sample=True).values_list(
                "respondent__sheet__city__slug", "statement_id", "value", "note"
            )
        )
        == first
    )


def test_no_sample_cities_without_debug(milan, settings):
    output = seed(settings, debug=False)
    assert not City.objects.filter(is_sample=True).exists()
    assert "sample cities" not in output


def test_the_flag_loads_them_without_debug(milan, settings):
    output = seed(settings, "--sample-cities", debug=False)
    assert City.objects.filter(is_sample=True).count() == len(CITIES)
    assert "Sampleburg" in output


def test_one_command_removes_them_and_keeps_milan(sampled):
    milan_answers = Answer.objects.filter(respondent__sheet__city__slug="milan").count()
    out = io.StringIO()
    call_command("remove_sample_cities", stdout=out)
    assert "Sampleburg" in out.getvalue()
    assert not City.objects.filter(is_sample=True).exists()
    assert not Sheet.objects.filter(city__slug="sampleburg").exists()
    assert Answer.objects.filter(respondent__sheet__city__slug="milan").count() == milan_answers


def test_milans_officer_finds_partners_suggestions_and_a_cohort(client, officer, sampled):
    round = Round.objects.get(name="2018")
    milan = City.objects.get(slug="milan")
    partners = {p.city_slug for m in city_partners(milan, round, officer) for p in m.partners}
    assert partners and partners <= {c.slug for c in sampled}
    client.force_login(officer)
    page = client.get(reverse("matching:partners", args=["milan", "2018"])).content.decode()
    assert "sample data</span>" in page
    suggestions = client.get(reverse("matching:suggestions", args=["milan", "2018"])).content.decode()
    assert "Sampleburg" in suggestions and "sample data</span>" in suggestions
    grid = client.get(reverse("matching:round", args=["2018"])).content.decode()
    assert grid.count("sample data</span>") == sampled.count()
    figures = [f for t in comparison(milan, round, officer)["types"] for f in t.levels]
    assert any(f.shown for f in figures)


def test_a_sample_citys_pages_say_sample_data(client, admin_user, sampled):
    client.force_login(admin_user)
    sheet = Sheet.objects.filter(city__slug="sampleburg").first()
    for url in (
        reverse("reports:city", args=["sampleburg", "2018"]),
        reverse("reports:sheet", args=[sheet.pk]),
        reverse("matching:comparison", args=["sampleburg", "2018"]),
        reverse("matching:partners", args=["sampleburg", "2018"]),
        reverse("sheets:edit", args=[sheet.pk]),
    ):
        assert LABEL in client.get(url).content.decode(), url
    milan_page = client.get(reverse("reports:city", args=["milan", "2018"])).content.decode()
    assert LABEL not in milan_page


def test_a_sample_citys_downloads_say_sample_data(client, officer, sampled):
    client.force_login(officer)
    for name in ("reports:answers_csv", "reports:answers_xlsx", "reports:exchange_json"):
        response = client.get(reverse(name, args=["sampleburg", "2018"]))
        assert "sample-data" in response["Content-Disposition"], name
    assert (
        "sample-data" not in client.get(reverse("reports:answers_csv", args=["milan", "2018"]))["Content-Disposition"]
    )


def test_a_sample_citys_pdfs_say_sample_data_on_every_page(sampled):
    city = City.objects.get(slug="sampleburg")
    round = Round.objects.get(name="2018")
    report = pdf_text(pdf.report_pdf(city, round, CityReport.objects.get(city=city, round=round)), whole_page=True)
    pages = report.split("\f")[1:-1]  # the cover has no running header
    # The running header may wrap beside the right-hand one: look for its start on each page.
    assert pages and all("Sample data: a" in page for page in pages)
    sheet = pdf_text(pdf.sheet_pdf(Sheet.objects.filter(city=city).first()), whole_page=True)
    assert "Sample data: a" in sheet
    milan = City.objects.get(slug="milan")
    assert "Sample data: a" not in pdf_text(
        pdf.report_pdf(milan, round, CityReport.objects.get(city=milan, round=round)), whole_page=True
    )

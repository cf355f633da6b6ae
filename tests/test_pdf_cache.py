"""PDFs are cached in Django's cache, keyed by what they show: the same content gives the same bytes
without rendering again, any change gives a new PDF, and a failed render leaves nothing behind."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from reports import pdf
from assessments.models import Answer, CityReport, Conclusion, Sheet
from downloads import store
from stakeholders.models import City


@pytest.fixture
def exact(settings):
    """Every PDF served only when current, drafts too (tests/test_pdf_earlier.py: a draft's recent
    PDF is served at once after a change)."""
    settings.PDF_DRAFT_MAX_AGE = 0


@pytest.fixture
def renders(monkeypatch):
    """Counts the real renders (WeasyPrint) behind the cache."""
    calls = []
    real = pdf.render_pdf

    def counting(html, fetcher=None):
        calls.append(html)
        return real(html, fetcher)

    monkeypatch.setattr(pdf, "render_pdf", counting)
    return calls


def municipality():
    return Sheet.objects.select_related("city", "round", "checklist__stakeholder_type").get(
        city__slug="milan", checklist__stakeholder_type__slug="municipality"
    )


def milan_report():
    return CityReport.objects.select_related("city", "round").get(city__slug="milan", round__name="2018")


def report_key():
    report = milan_report()
    return pdf.report_cache_key(report.city, report.round, report)


def save_each(queryset, **values):
    """Change rows as every write path of the app does: through the model, which records the
    change (its date, and the signals that renew the cache's stamps)."""
    for row in queryset:
        for field, value in values.items():
            setattr(row, field, value)
        row.save()


def test_the_same_content_gives_the_same_bytes_without_rendering_again(milan, coordinator, client, renders):
    client.force_login(coordinator)
    url = reverse("reports:sheet_pdf", args=[municipality().pk])
    first = client.get(url).content
    second = client.get(url).content
    assert first.startswith(b"%PDF-") and first == second
    assert len(renders) == 1


def test_a_changed_answer_makes_a_new_pdf(milan, coordinator, client, renders, exact):
    client.force_login(coordinator)
    sheet = municipality()
    url = reverse("reports:sheet_pdf", args=[sheet.pk])
    before = client.get(url).content
    Answer.objects.filter(respondent__sheet=sheet, statement__level__number=1, statement__position=2).update(
        value="yes"
    )
    after = client.get(url).content
    assert len(renders) == 2 and before != after
    assert client.get(url).content == after and len(renders) == 2


def change_answer_value():
    save_each(
        Answer.objects.filter(respondent__sheet=municipality(), statement__level__number=2, statement__position=3),
        value="nd",
    )


def change_answer_note():
    save_each(
        Answer.objects.filter(respondent__sheet=municipality(), statement__level__number=1, statement__position=1),
        note="A new annotation",
    )


def remove_answer():
    Answer.objects.filter(respondent__sheet=municipality(), statement__level__number=3, statement__position=1).delete()


def change_respondent_note():
    save_each(municipality().respondents.all(), note="Comune di Milano")


def rename_respondent():
    organisation = municipality().respondents.get().organisation
    organisation.name = "Comune di Milano"
    organisation.save()


def change_national_context():
    save_each(CityReport.objects.filter(city__slug="milan"), national_context="Rewritten.")


def change_conclusion():
    save_each(Conclusion.objects.filter(report__city__slug="milan", kind="look_at", position=1), text="Something else")


def change_conclusion_topics():
    conclusion = Conclusion.objects.filter(report__city__slug="milan").first()
    conclusion.topics.clear()


def publish_a_partner():
    turin = City.objects.create(slug="turin", name="Turin", country="Italy")
    CityReport.objects.create(city=turin, round=milan_report().round, published=True)


def change_a_statement():
    statement = Answer.objects.filter(respondent__sheet=municipality()).first().statement
    statement.text = "A reworded statement."
    statement.save()


def touch_the_sheet():
    sheet = municipality()
    sheet.touch(None)


def change_sheet_status():
    Sheet.objects.filter(pk=municipality().pk).update(status=Sheet.Status.VALIDATED)


@pytest.mark.parametrize(
    "change",
    [
        change_answer_value,
        change_answer_note,
        remove_answer,
        change_respondent_note,
        rename_respondent,
        change_national_context,
        change_conclusion,
        change_sheet_status,
        change_conclusion_topics,
        publish_a_partner,
        change_a_statement,
        touch_the_sheet,
    ],
)
def test_any_change_to_what_the_report_shows_changes_its_cache_key(milan, change):
    before = report_key()
    change()
    assert report_key() != before


def test_the_key_does_not_depend_on_who_asks_or_when(milan, officer, coordinator, client, fake_renders):
    for user in (officer, coordinator):
        client.force_login(user)
        client.get(reverse("reports:city_pdf", args=["milan", "2018"]))
    assert len(fake_renders) == 1
    assert report_key() == report_key()


def test_the_key_changes_when_the_stylesheet_changes(milan, monkeypatch):
    before = report_key()
    monkeypatch.setattr(pdf, "assets_digest", lambda: "another stylesheet")
    assert report_key() != before


def test_a_stale_pdf_is_never_served_after_a_change(milan, coordinator, client, fake_renders, exact):
    client.force_login(coordinator)
    url = reverse("reports:city_pdf", args=["milan", "2018"])
    assert client.get(url).content == b"%PDF-fake 1"
    change_answer_note()
    assert client.get(url).content == b"%PDF-fake 2"
    assert client.get(url).content == b"%PDF-fake 2"


def latest_report_pdf(language="en"):
    return store.latest(store.document("report", milan_report().pk), language)


def test_the_pdf_lives_in_djangos_cache(milan, coordinator, client, fake_renders):
    client.force_login(coordinator)
    client.get(reverse("reports:city_pdf", args=["milan", "2018"]))
    stored = latest_report_pdf()
    assert stored.content == b"%PDF-fake 1" and stored.key == report_key()


def test_a_failed_render_shows_a_message_and_leaves_the_cache_clean(milan, coordinator, client, monkeypatch):
    def broken(html, fetcher=None):
        raise pdf.PdfError("the PDF could not be rendered: boom")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    client.force_login(coordinator)
    url = reverse("reports:city_pdf", args=["milan", "2018"])
    response = client.get(url)
    assert response.status_code == 500
    assert "Content-Disposition" not in response
    assert "The PDF could not be made" in response.content.decode()
    assert "mega-milan-2018-report.pdf" in response.content.decode()
    assert latest_report_pdf() is None
    monkeypatch.undo()
    monkeypatch.setattr(pdf, "render_pdf", lambda html, fetcher=None: b"%PDF-fine")
    assert client.get(url).content == b"%PDF-fine"


def test_an_error_inside_weasyprint_becomes_a_pdf_error(monkeypatch):
    def explode(self, **options):
        raise RuntimeError("pango fell over")

    monkeypatch.setattr(pdf.weasyprint.HTML, "write_pdf", explode)
    with pytest.raises(pdf.PdfError, match="pango fell over"):
        pdf.render_pdf("<p>x</p>")


def test_the_key_changes_with_the_language(milan):
    from django.utils import translation

    english = report_key()
    with translation.override("it"):
        assert report_key() != english


def test_a_cached_download_does_not_build_the_reports_html(milan, coordinator, client, fake_renders, monkeypatch):
    client.force_login(coordinator)
    url = reverse("reports:city_pdf", args=["milan", "2018"])
    first = client.get(url).content

    def must_not_run(*args):
        raise AssertionError("the cached download built the report's HTML")

    monkeypatch.setattr(pdf, "report_html", must_not_run)
    assert client.get(url).content == first
    assert len(fake_renders) == 1


def pdfs_in_the_cache():
    """How many PDFs the cache holds, whatever their keys: the test suite's local memory cache,
    or the Redis database of this test worker (CI's run with CACHE_URL)."""
    backend = cache._cache
    if isinstance(backend, dict):
        values = backend.values()
    else:
        client = backend.get_client(None)
        values = [client.get(key) for key in client.keys("*")]
    return sum(b"%PDF-" in value for value in values if isinstance(value, bytes))


def test_the_cache_keeps_the_latest_pdf_per_report_and_language(milan, coordinator, client, fake_renders, exact):
    client.force_login(coordinator)
    url = reverse("reports:city_pdf", args=["milan", "2018"])
    for number in range(4):
        save_each(CityReport.objects.filter(city=milan), national_context=f"Version {number}.")
        english = client.get(url).content
        italian = client.get(url + "?lang=it").content
    assert len(fake_renders) == 8
    assert pdfs_in_the_cache() == 2  # four edit states in two languages: the latest of each
    assert (english, italian) == (b"%PDF-fake 7", b"%PDF-fake 8")
    assert client.get(url + "?lang=it").content == b"%PDF-fake 8" and len(fake_renders) == 8


def test_a_cached_download_needs_as_many_queries_for_a_bigger_city(milan, coordinator, client, fake_renders, exact):
    """The key is found in a fixed number of queries: a sheet with twice the columns and answers
    costs none more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stakeholders.models import Organisation

    client.force_login(coordinator)
    url = reverse("reports:city_pdf", args=["milan", "2018"])

    def cached_queries():
        client.get(url)  # fills the cache
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    small = cached_queries()
    sheet = municipality()
    organisation = Organisation.objects.create(
        city=sheet.city, stakeholder_type=sheet.checklist.stakeholder_type, name="Another respondent"
    )
    respondent = sheet.respondents.create(organisation=organisation, position=2)
    statements = [answer.statement for answer in Answer.objects.filter(respondent__sheet=sheet)]
    Answer.objects.bulk_create(Answer(respondent=respondent, statement=s, value="yes") for s in statements)
    sheet.touch(None)
    assert len(fake_renders) == 1
    assert cached_queries() == small
    assert len(fake_renders) == 2  # the bigger sheet is a new PDF, found as cheaply

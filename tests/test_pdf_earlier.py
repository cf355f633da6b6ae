"""A PDF is cached against what it shows, not against every edit state: a draft's PDF made within
`PDF_DRAFT_MAX_AGE` is downloaded at once after a change, saying when its data are from, while a
fresh one is rendered; an older one is offered at once, saying how old it is, beside the waiting
page; a published report is only ever served current; and the report's comparison with its
cohort makes a new PDF only when the figures it shows move."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import strip_tags
from django_tasks_db.models import DBTaskResult

from assessments.models import Answer, CityReport, Round, Sheet
from reports import pdf
from reports.data import sheet_as_of
from tests.factories import answer, make_city, make_sheet
from tests.pdfs import pdf_text, squash
from tests.task_queue import run_worker, task_queue_fixture

queued = task_queue_fixture
REPORT = reverse("reports:city_pdf", args=["milan", "2018"])


def page_text(response):
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def made_minutes_ago(client, url, minutes, monkeypatch):
    """Asks for `url` as if `minutes` ago, and lets the worker render it then; returns that time."""
    made = timezone.now() - timedelta(minutes=minutes)
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: made)
        assert client.get(url).status_code == 202
        run_worker()
    return made


def rewrite_the_report(text):
    for report in CityReport.objects.filter(city__slug="milan"):
        report.national_context = text
        report.save()


def offer(made, minutes=6):
    when = formats.date_format(timezone.localtime(made), "DATETIME_FORMAT")
    return f"This draft was made on {when}, {minutes} minutes ago; a fresh one is being prepared."


def fresh_renders_queued():
    return DBTaskResult.objects.filter(task_path="downloads.tasks.prerender").count()


def test_a_draft_report_offers_its_earlier_pdf_while_a_fresh_one_is_rendered(
    client, milan, coordinator, queued, fake_renders, monkeypatch
):
    CityReport.objects.filter(city=milan).update(published=False)
    client.force_login(coordinator)
    made = made_minutes_ago(client, REPORT, 6, monkeypatch)
    assert client.get(REPORT).content == b"%PDF-fake 1"

    rewrite_the_report("Rewritten after the first PDF.")
    waiting = client.get(REPORT)
    assert waiting.status_code == 202
    assert offer(made) in page_text(waiting)
    assert 'href="/cities/milan/2018/report.pdf?earlier=1"' in waiting.content.decode()
    earlier = client.get(REPORT + "?earlier=1")
    assert earlier.status_code == 200 and earlier.content == b"%PDF-fake 1"
    assert earlier["Content-Disposition"] == 'attachment; filename="mega-milan-2018-report.pdf"'
    assert len(fake_renders) == 1  # the request rendered nothing; the worker has not run yet

    run_worker()
    assert client.get(REPORT).content == b"%PDF-fake 2"
    assert client.get(REPORT + "?earlier=1").content == b"%PDF-fake 2"  # the latest, now current


def test_the_earlier_pdf_is_of_the_readers_language_and_dated_in_it(
    client, milan, coordinator, queued, fake_renders, monkeypatch
):
    CityReport.objects.filter(city=milan).update(published=False)
    client.force_login(coordinator)
    made = made_minutes_ago(client, REPORT + "?lang=it", 6, monkeypatch)
    rewrite_the_report("Rewritten.")
    english = client.get(REPORT)
    assert english.status_code == 202 and "a fresh one is being prepared" not in page_text(english)
    assert client.get(REPORT + "?earlier=1").status_code == 202  # no English PDF was made before

    italian = page_text(client.get(REPORT + "?lang=it"))
    with translation.override("it"):
        when = formats.date_format(timezone.localtime(made), "DATETIME_FORMAT")
    assert when in italian and when != formats.date_format(timezone.localtime(made), "DATETIME_FORMAT")
    assert client.get(REPORT + "?lang=it&earlier=1").content == b"%PDF-fake 1"


def test_a_draft_changed_since_its_recent_pdf_is_downloaded_at_once_while_a_fresh_one_renders(
    client, milan, coordinator, queued, fake_renders, monkeypatch
):
    CityReport.objects.filter(city=milan).update(published=False)
    client.force_login(coordinator)
    made_minutes_ago(client, REPORT, 3, monkeypatch)
    first = fresh_renders_queued()
    rewrite_the_report("Rewritten after the first PDF.")

    for _ in range(2):
        download = client.get(REPORT)
        assert download.status_code == 200 and download.content == b"%PDF-fake 1"
    assert download["Content-Disposition"] == 'attachment; filename="mega-milan-2018-report.pdf"'
    assert fresh_renders_queued() == first + 1  # one fresh render for both downloads

    run_worker()
    assert client.get(REPORT).content == b"%PDF-fake 2"
    assert "Rewritten after the first PDF." in fake_renders[-1]
    rewrite_the_report("Rewritten again.")
    assert client.get(REPORT).content == b"%PDF-fake 2"
    assert fresh_renders_queued() == first + 1  # at most one fresh render per window


def test_a_draft_downloaded_every_two_minutes_while_edited_is_never_waited_for(
    client, milan, coordinator, fake_renders, monkeypatch
):
    """With the tests' immediate task backend each fresh render runs at once, at the clock's time."""
    CityReport.objects.filter(city=milan).update(published=False)
    client.force_login(coordinator)
    start = timezone.now()
    assert client.get(REPORT).status_code == 200
    for minutes in range(2, 13, 2):
        rewrite_the_report(f"Rewritten after {minutes} minutes.")
        with monkeypatch.context() as patch:
            patch.setattr(timezone, "now", lambda at=start + timedelta(minutes=minutes): at)
            download = client.get(REPORT)
        assert download.status_code == 200, f"waited for the PDF at minute {minutes}"
    # The window is five minutes: a fresh render each time the PDF served is 2.5 minutes old
    # (minutes 4, 8 and 12), not one per download.
    assert len(fake_renders) == 1 + 3
    assert "Rewritten after 12 minutes." in fake_renders[-1]


def test_past_the_window_a_changed_draft_waits_for_its_fresh_pdf(
    client, milan, coordinator, queued, fake_renders, monkeypatch, settings
):
    settings.PDF_DRAFT_MAX_AGE = 60
    CityReport.objects.filter(city=milan).update(published=False)
    client.force_login(coordinator)
    made = made_minutes_ago(client, REPORT, 2, monkeypatch)
    rewrite_the_report("Rewritten after the first PDF.")
    waiting = client.get(REPORT)
    assert waiting.status_code == 202 and offer(made, 2) in page_text(waiting)
    run_worker()
    assert client.get(REPORT).content == b"%PDF-fake 2"


def test_a_draft_pdf_says_when_its_data_are_from(client, milan, coordinator, monkeypatch):
    """The footer of every page of a draft: a PDF downloaded minutes after it was made says so."""
    sheet = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="municipality")
    sheet.touch(None)
    sheet.refresh_from_db()
    when = formats.date_format(timezone.localtime(sheet_as_of(sheet)), "DATETIME_FORMAT")
    pages = pdf_text(pdf.render_pdf(pdf.sheet_html(sheet)), whole_page=True).split("\f")[:-1]
    assert pages and all(squash(f"DRAFT · data as of {when}") in squash(page) for page in pages)


def test_a_published_report_with_a_sheet_still_in_draft_is_a_dated_draft_pdf(
    client, milan, coordinator, queued, fake_renders, monkeypatch
):
    CityReport.objects.filter(city=milan).update(published=True)
    client.force_login(coordinator)
    made_minutes_ago(client, REPORT, 1, monkeypatch)
    assert "data as of" in fake_renders[-1]
    rewrite_the_report("Corrected after publication.")
    assert client.get(REPORT).content == b"%PDF-fake 1"


def test_a_complete_report_is_never_offered_out_of_date(client, milan, coordinator, queued, fake_renders, monkeypatch):
    CityReport.objects.filter(city=milan).update(published=True)
    Sheet.objects.filter(city=milan).update(status=Sheet.Status.VALIDATED)
    client.force_login(coordinator)
    made_minutes_ago(client, REPORT, 1, monkeypatch)
    rewrite_the_report("Corrected after publication.")
    waiting = client.get(REPORT)
    assert waiting.status_code == 202 and "a fresh one is being prepared" not in page_text(waiting)
    assert client.get(REPORT + "?earlier=1").status_code == 202
    run_worker()
    assert client.get(REPORT).content == b"%PDF-fake 2"


def test_a_draft_sheet_offers_its_earlier_pdf_and_a_validated_one_does_not(
    client, milan, coordinator, queued, fake_renders, monkeypatch
):
    sheet = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="municipality")
    Sheet.objects.filter(pk=sheet.pk).update(status=Sheet.Status.DRAFT)
    url = reverse("reports:sheet_pdf", args=[sheet.pk])
    client.force_login(coordinator)
    made = made_minutes_ago(client, url, 6, monkeypatch)

    changed = Answer.objects.filter(respondent__sheet=sheet).first()
    changed.note = "Changed after the PDF."
    changed.save()
    assert offer(made) in page_text(client.get(url))
    assert client.get(url + "?earlier=1").content == b"%PDF-fake 1"

    run_worker()
    Sheet.objects.filter(pk=sheet.pk).update(status=Sheet.Status.VALIDATED)
    changed.note = "Changed after the validation."
    changed.save()
    waiting = client.get(url)  # its PDF is seconds old, yet not what the validated sheet shows
    assert waiting.status_code == 202 and "a fresh one is being prepared" not in page_text(waiting)


@pytest.fixture
def peers(milan):
    """Three other cities of Milan's round whose reports are published, so that Milan's report
    compares it with them: their municipality's share of yes on level 1 is one half, all and none."""
    checklist = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="municipality").checklist
    round = Round.objects.get(name="2018")
    sheets = {}
    for slug, values in (("p1", ["yes", "no"]), ("p2", ["yes", "yes"]), ("p3", ["no", "no"])):
        city = make_city(slug)
        sheets[slug] = make_sheet(city, checklist, round="2018")
        for position, value in enumerate(values, start=1):
            answer(sheets[slug], 1, position, 0, value)
        CityReport.objects.create(city=city, round=round, published=True)
    return sheets


def answer_again(sheet, position, value):
    """An officer's change to an answer of `sheet`, as the editor saves it."""
    changed = Answer.objects.select_related("respondent").get(
        respondent__sheet=sheet, statement__level__number=1, statement__position=position
    )
    changed.value = value
    changed.save()
    sheet.touch(None)


def test_the_report_pdf_is_new_only_when_the_cohort_figures_it_shows_move(
    client, milan, coordinator, peers, fake_renders, settings
):
    settings.COHORT_FIGURES_MAX_AGE = 0  # the cohort is counted again after every change of the round
    settings.PDF_DRAFT_MAX_AGE = 0  # Milan's sheets are drafts: no earlier PDF served in their stead
    CityReport.objects.filter(city=milan).update(published=True)
    client.force_login(coordinator)
    assert client.get(REPORT).content == b"%PDF-fake 1"
    assert "Comparison with the other cities of the round" in fake_renders[0]

    answer_again(peers["p1"], 2, "nd")  # p1's share of yes stays one half
    assert client.get(REPORT).content == b"%PDF-fake 1"
    answer_again(peers["p3"], 1, "yes")  # p3's goes from none to one half: the quartiles move
    assert client.get(REPORT).content == b"%PDF-fake 2"

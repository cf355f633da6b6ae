"""A PDF is cached against what it shows, not against every edit state: while a fresh PDF of a
draft is rendered, the one made before is offered at once, saying how old it is; a published
report is only ever served current."""

import html
from datetime import timedelta

from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import strip_tags

from assessments.models import Answer, CityReport, Sheet
from tests.task_queue import run_worker, task_queue_fixture

queued = task_queue_fixture
REPORT = reverse("reports:city_pdf", args=["milan", "2018"])


def page_text(response):
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def made_minutes_ago(client, url, minutes, monkeypatch):
    """Asks for `url` as if `minutes` ago, and lets the worker render it; returns that time."""
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


def offer(made, language="en"):
    with translation.override(language):
        when = formats.date_format(timezone.localtime(made), "DATETIME_FORMAT")
    return f"This draft was made on {when}, 6 minutes ago; a fresh one is being prepared."


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


def test_a_published_report_is_never_offered_out_of_date(client, milan, coordinator, queued, fake_renders, monkeypatch):
    CityReport.objects.filter(city=milan).update(published=True)
    client.force_login(coordinator)
    made_minutes_ago(client, REPORT, 6, monkeypatch)
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

    answer = Answer.objects.filter(respondent__sheet=sheet).first()
    answer.note = "Changed after the PDF."
    answer.save()
    assert offer(made) in page_text(client.get(url))
    assert client.get(url + "?earlier=1").content == b"%PDF-fake 1"

    Sheet.objects.filter(pk=sheet.pk).update(status=Sheet.Status.VALIDATED)
    waiting = client.get(url)
    assert waiting.status_code == 202 and "a fresh one is being prepared" not in page_text(waiting)

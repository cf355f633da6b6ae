"""PDFs are rendered by a task worker, never inside the web request: a PDF that is not in the cache
is queued, the person waits on a page that reloads itself, and identical requests share one job.
The first test renders a real PDF through the queue; the others, about the queue, fake the render
(`fake_renders`): a real one takes seconds and is tested in tests/test_pdf.py."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from reports import pdf
from assessments.models import CityReport
from downloads import tasks
from tests.task_queue import run_worker, task_queue_fixture

queued = task_queue_fixture


def test_a_cold_pdf_is_queued_and_then_downloaded(client, milan, coordinator, queued, monkeypatch):
    renders = []
    render = pdf.render_pdf
    monkeypatch.setattr(pdf, "render_pdf", lambda html, fetcher=None: renders.append(1) or render(html, fetcher))
    client.force_login(coordinator)
    url = reverse("reports:city_pdf", args=["milan", "2018"])

    waiting = client.get(url)
    assert waiting.status_code == 202 and not renders
    html = waiting.content.decode()
    assert "Preparing the PDF" in html and "mega-milan-2018-report.pdf" in html
    assert '<meta http-equiv="refresh" content="2">' in html
    assert "no-cache" in waiting["Cache-Control"]
    assert client.get(url).status_code == 202  # asked again before a worker took it: same job
    assert DBTaskResult.objects.count() == 1

    run_worker()
    assert len(renders) == 1
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")
    assert client.get(url).content == download.content and len(renders) == 1


def test_waiting_for_a_report_pdf_builds_the_report_in_the_worker_alone(
    client, milan, coordinator, queued, fake_renders, monkeypatch
):
    """The first request and the waiting page, asked again every 2 s, find the PDF's key without
    building the report; the worker builds it once, from the database."""
    built = []
    report_html = pdf.report_html
    monkeypatch.setattr(pdf, "report_html", lambda *args: built.append(args) or report_html(*args))
    client.force_login(coordinator)
    url = reverse("reports:city_pdf", args=["milan", "2018"])
    for _ in range(3):
        assert client.get(url).status_code == 202
    assert built == [] and DBTaskResult.objects.count() == 1

    run_worker()
    assert len(built) == 1
    download = client.get(url)
    assert download.status_code == 200 and download.content.startswith(b"%PDF") and len(built) == 1


def test_a_lost_job_is_queued_again(client, milan, coordinator, queued, fake_renders):
    client.force_login(coordinator)
    url = reverse("reports:city_pdf", args=["milan", "2018"])
    assert client.get(url).status_code == 202
    # The worker died with the job: its marker runs out (JOB_SECONDS) and nothing was cached.
    DBTaskResult.objects.all().delete()
    report = CityReport.objects.get(city=milan)
    tasks.cache().delete(tasks.job_key(pdf.report_cache_key(milan, report.round, report)))
    assert client.get(url).status_code == 202
    assert DBTaskResult.objects.count() == 1
    run_worker()
    assert client.get(url).content.startswith(b"%PDF")


def test_a_failed_render_is_told_once_and_cached_never(client, milan, coordinator, queued, monkeypatch):
    def broken(html, fetcher=None):
        raise pdf.PdfError("the PDF could not be rendered: boom")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    client.force_login(coordinator)
    url = reverse("reports:city_pdf", args=["milan", "2018"])
    assert client.get(url).status_code == 202
    run_worker()
    failed = client.get(url)
    assert failed.status_code == 500 and "The PDF could not be made" in failed.content.decode()
    assert client.get(url).status_code == 202  # the next try starts afresh


def test_validating_a_sheet_renders_its_pdfs_ahead_of_the_download(
    client, milan, coordinator, admin_user, queued, fake_renders, django_capture_on_commit_callbacks
):
    from assessments import workflow
    from assessments.models import Sheet

    sheet = Sheet.objects.filter(city=milan).first()
    sheet.status = Sheet.Status.SUBMITTED
    sheet.save()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(sheet, admin_user, workflow.Action.VALIDATE)
    prerenders = DBTaskResult.objects.filter(task_path="downloads.tasks.prerender")
    assert sorted(prerenders.values_list("args_kwargs__args__0", flat=True)) == ["report", "sheet"]
    run_worker()

    client.force_login(coordinator)
    for url in (reverse("reports:city_pdf", args=["milan", "2018"]), reverse("reports:sheet_pdf", args=[sheet.pk])):
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF"), url


def test_publishing_a_report_renders_its_pdf_ahead_of_the_download(
    client, milan, coordinator, queued, fake_renders, django_capture_on_commit_callbacks
):
    report = CityReport.objects.get(city=milan)
    CityReport.objects.filter(pk=report.pk).update(published=False)
    report.refresh_from_db()
    report.published = True
    with django_capture_on_commit_callbacks(execute=True):
        report.save()
    prerenders = DBTaskResult.objects.filter(task_path="downloads.tasks.prerender")
    assert list(prerenders.values_list("args_kwargs__args", flat=True)) == [["report", report.pk, "en"]]
    run_worker()

    client.force_login(coordinator)
    response = client.get(reverse("reports:city_pdf", args=["milan", "2018"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_saving_a_report_that_was_published_already_renders_nothing_ahead(
    milan, queued, django_capture_on_commit_callbacks
):
    CityReport.objects.filter(city=milan).update(published=True)
    report = CityReport.objects.get(city=milan)
    with django_capture_on_commit_callbacks(execute=True):
        report.save()
    assert not DBTaskResult.objects.filter(task_path="downloads.tasks.prerender").exists()


def test_render_report_all_queues_one_job_per_city(milan, client, coordinator, queued, fake_renders):
    call_command("render_report", "--all", "--queue", "--lang", "it", stderr=io.StringIO())
    assert DBTaskResult.objects.count() == CityReport.objects.count() >= 1
    run_worker()
    client.force_login(coordinator)
    response = client.get(reverse("reports:city_pdf", args=["milan", "2018"]) + "?lang=it")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_pdf_somebody_waits_for_goes_before_those_rendered_ahead(milan, client, coordinator, queued, fake_renders):
    call_command("render_report", "--all", "--queue", "--lang", "it", stderr=io.StringIO())
    ahead = list(DBTaskResult.objects.values_list("id", flat=True))
    client.force_login(coordinator)
    url = reverse("reports:city_pdf", args=["milan", "2018"]) + "?lang=en"
    assert client.get(url).status_code == 202  # queued after the others

    call_command("db_worker", "--batch", "--max-tasks", "1", "--no-startup-delay", "--no-reload", verbosity=0)
    assert client.get(url).status_code == 200
    assert not DBTaskResult.objects.filter(id__in=ahead).exclude(status="READY").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["milan", "--queue"], "--queue goes with --all"),
        (["--all"], "give the output with -o"),
    ],
)
def test_render_report_refuses_a_queue_without_all_or_a_render_without_output(milan, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("render_report", *args)

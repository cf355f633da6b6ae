"""Small things a user notices: the top bar on guidance pages, the favicon, the report page's
breadcrumb and its link to the editor, the legend of a read-only sheet's marks, and a refused
request logged as one line."""

import io
import logging
import sys

import pytest
from django.test import override_settings
from django.urls import reverse

from assessments.models import Sheet
from mega.log import ClientErrorsWithoutTraceback


def test_guidance_pages_name_guidance_once_in_the_top_bar(client, officer):
    client.force_login(officer)
    for url in [
        reverse("guidance:index"),
        reverse("guidance:module", kwargs={"module": "6"}),
        reverse("guidance:search") + "?q=finance",
    ]:
        html = client.get(url).content.decode()
        top_bar = html[html.index("<header>") : html.index("</header>")]
        assert top_bar.count(">Guidance</a>") == 1, url


def test_favicon_is_served_at_the_root(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body[:4] == b"\x00\x00\x01\x00"  # the ICO header
    assert '<link rel="icon" href="/favicon.ico">' in client.get(reverse("login")).content.decode()


def test_report_page_has_a_breadcrumb_and_a_link_to_its_editor_for_an_officer(client, officer, milan):
    client.force_login(officer)
    html = client.get(reverse("reports:city", args=["milan", "2018"])).content.decode()
    assert 'aria-label="Breadcrumb"' in html and "Milan 2018 – benchmarking report" in html
    assert f'href="{reverse("reports:edit", args=["milan", "2018"])}"' in html


def test_report_page_offers_no_editor_link_to_a_coordinator(client, coordinator, milan):
    client.force_login(coordinator)
    html = client.get(reverse("reports:city", args=["milan", "2018"])).content.decode()
    assert 'aria-label="Breadcrumb"' in html
    assert reverse("reports:edit", args=["milan", "2018"]) not in html


def test_read_only_sheet_explains_its_marks(client, coordinator, officer, sheet):
    client.force_login(coordinator)
    html = client.get(reverse("sheets:edit", args=[sheet.pk])).content.decode()
    for mark, meaning in [("✓", "Yes"), ("–", "No"), ("n/d", "No data"), ("·", "Not answered")]:
        assert f'<dt class="fw-semibold">{mark}</dt><dd class="mb-0">{meaning}</dd>' in html
    client.force_login(officer)  # the editable sheet has labelled radio buttons, no marks
    assert "marks-legend" not in client.get(reverse("sheets:edit", args=[sheet.pk])).content.decode()


@pytest.fixture
def log_output():
    """What the configured handlers of settings.LOGGING write (the root's and any of Django's
    loggers' own), in one buffer."""
    buffer = io.StringIO()
    handlers = {
        h
        for name in (None, "django", "django.request")
        for h in logging.getLogger(name).handlers
        if isinstance(h, logging.StreamHandler) and type(h).__module__ == "logging"
    }
    assert handlers, "settings.LOGGING configures no console handler"
    before = {handler: handler.setStream(buffer) for handler in handlers}
    yield buffer
    for handler, stream in before.items():
        handler.setStream(stream)


@override_settings(DEBUG=True)  # with DEBUG, Django's own console handler printed it a second time
def test_a_refused_request_is_logged_once_without_traceback(client, coordinator, sheet, log_output):
    client.force_login(coordinator)
    assert client.post(reverse("sheets:submit", args=[sheet.pk]), {"version": sheet.version}).status_code == 403
    logged = log_output.getvalue()
    assert logged.count(f"Forbidden (Permission denied): /sheets/{sheet.pk}/submit/") == 1, logged
    assert "Traceback" not in logged
    assert Sheet.objects.get(pk=sheet.pk).status == Sheet.Status.DRAFT


def test_a_server_error_keeps_its_traceback():
    try:
        raise ValueError("a bug")
    except ValueError:
        error = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom", None, sys.exc_info())
    error.status_code = 500
    assert ClientErrorsWithoutTraceback().filter(error) and error.exc_info is not None


@pytest.mark.parametrize("status", [400, 403, 405])
def test_client_errors_lose_their_traceback(status):
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "refused", None, (PermissionError, PermissionError(), None)
    )
    record.status_code = status
    assert ClientErrorsWithoutTraceback().filter(record) and record.exc_info is None

"""A PDF download: served from the cache at once, otherwise queued for a task worker while the
person waits on a page that reloads itself until the file is ready.

Every PDF download of the site goes through `pdf_download`; the views before it check who may
see what, and build the document's HTML. Identical requests share one job: the first one puts a
job marker in the shared cache (`cache.add`, atomic), the others find it. When a worker dies in
the middle of a job, the marker runs out after `JOB_SECONDS` and the next request queues the job
again.
"""
import logging

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.crypto import get_random_string
from django.utils.http import content_disposition_header
from django_tasks import TaskResultStatus, default_task_backend
from django_tasks.exceptions import TaskResultDoesNotExist

from downloads import tasks
from reports import pdf

logger = logging.getLogger(__name__)

# A render takes seconds; a job that has not finished after this long is taken for lost.
JOB_SECONDS = 300
PROBE_KEY = "mega-pdf-probe"
# How often the waiting page asks again.
REFRESH_SECONDS = 2


def download(content, filename, content_type):
    """A file download: attachment with a clear name, never stored by shared caches."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    patch_cache_control(response, private=True, no_cache=True)
    return response


def pdf_download(request, make_html, filename, back_url, *, key=None, report=None):
    """The PDF of the HTML that `make_html()` returns, as a download when it is rendered, or the
    waiting page while a worker renders it. `key` is the PDF's cache key when the caller can tell
    it without the HTML (a city report: `pdf.report_cache_key`, with `report` = [city id, round
    id]), so that a cached download builds nothing; otherwise the HTML is the key."""
    html = None if key else make_html()
    key = key or pdf.cache_key(html)
    store = tasks.cache()
    content = store.get(key)
    if content is None and not _failed(store, key):
        html = html or make_html()
        job = _queue(store, key, html, filename, report) if _cache_works(store) else None
        if job is None:
            content = _render_here(html, filename)
        else:
            content = store.get(key)  # done already with an immediate backend (the tests)
            if content is None and not _failed(store, key):
                return _waiting(request, filename, back_url, job)
    if content is None:
        context = {"filename": filename, "back_url": back_url}
        return render(request, "reports/report_pdf_error.html", context, status=500)
    return download(content, filename, "application/pdf")


def _cache_works(store):
    """Whether the cache keeps what it is given: a failing one (`mega/cache.py`) skips writes
    silently, and a worker's PDF would never reach the person waiting for it."""
    probe = get_random_string(12)
    store.set(PROBE_KEY, probe, 60)
    return store.get(PROBE_KEY) == probe


def _render_here(html, filename):
    """The PDF rendered inside the request: only while the cache is failing (it can hold neither a
    job marker nor the worker's PDF), so that downloads still work, slowly, during the outage."""
    try:
        return pdf.render_pdf(html)
    except pdf.PdfError:
        logger.exception("rendering %s failed", filename)
        return None


def _failed(store, key):
    """Whether the last render of `key` failed; told once, so that the next request tries again."""
    failed = store.get(tasks.failure_key(key)) is not None
    if failed:
        store.delete(tasks.failure_key(key))
    return failed


def _queue(store, key, html, filename, report):
    """The id of the job rendering `key`, queuing one unless another request already did."""
    marker = tasks.job_key(key)
    if store.add(marker, "queuing", JOB_SECONDS):
        result = tasks.render_pdf.enqueue(key, html, filename, report)
        if not result.is_finished:
            store.set(marker, result.id, JOB_SECONDS)
        return result.id
    return store.get(marker)


def _status(job):
    if not job or job == "queuing":
        return TaskResultStatus.READY
    try:
        return default_task_backend.get_result(job).status
    except (TaskResultDoesNotExist, NotImplementedError, ValueError):
        return TaskResultStatus.READY


def _waiting(request, filename, back_url, job):
    status = _status(job)
    response = render(request, "downloads/waiting.html", {
        "filename": filename, "back_url": back_url, "refresh": REFRESH_SECONDS,
        "running": status == TaskResultStatus.RUNNING,
    }, status=202)
    add_never_cache_headers(response)
    return response

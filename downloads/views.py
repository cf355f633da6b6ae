"""A PDF download: served from the cache at once, otherwise queued for a task worker while the
person waits on a page that reloads itself until the file is ready.

Every PDF download of the site goes through `pdf_download`; the views before it check who may
see what, and build the document's HTML. A PDF is cached against what it shows, the latest one
of each document kept (`downloads.store`), and a validated sheet or a report whose sheets are all
validated is only ever served current. A draft (a sheet not validated, a report with such a sheet,
published or not: its PDF prints a dated draft mark) changes every few seconds while its officers
type, so:

- its latest PDF, when younger than `PDF_DRAFT_MAX_AGE`, is downloaded at once although the draft
  changed since; the PDF says when its data are from ("Draft, data as of …" in its footer). Once
  that PDF is half the window old, serving it also queues one fresh render in the worker (one per
  PDF made: `_refresh`), so that a draft downloaded at least every half window is never waited
  for, however often its officers save, and costs at most one render per half window, not one per
  download;
- older, the person waits for a fresh one, and the waiting page offers the earlier PDF at once,
  with its age (`?earlier=1`).

Identical requests share one job: the first one puts a job marker in the shared cache
(`cache.add`, atomic), the others find it. When a worker dies in the middle of a job, the marker
runs out after `JOB_SECONDS` and the next request queues the job again.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.crypto import get_random_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django_tasks import TaskResultStatus, default_task_backend
from django_tasks.exceptions import TaskResultDoesNotExist

from reports import pdf
from downloads import store, tasks

logger = logging.getLogger(__name__)

# A render takes seconds; a job that has not finished after this long is taken for lost.
JOB_SECONDS = 300
PROBE_KEY = "mega-pdf-probe"
REFRESH_PREFIX = "mega-pdf:refresh:"
# How often the waiting page asks again.
REFRESH_SECONDS = 2
# The query parameter asking for a draft's earlier PDF while the fresh one is rendered.
EARLIER = "earlier"


def download(content, filename, content_type):
    """A file download: attachment with a clear name, never stored by shared caches."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    patch_cache_control(response, private=True, no_cache=True)
    return response


def pdf_download(request, make_html, filename, back_url, *, key=None, document=None, draft=False):
    """The PDF of the HTML that `make_html()` returns, as a download when it is rendered, or the
    waiting page while a worker renders it.

    `key` is the PDF's cache key when the caller can tell it without the HTML (a city report:
    `pdf.report_cache_key`), so that a cached download builds nothing; otherwise the HTML is the
    key. `document` names what is downloaded (`store.document`), so that its latest PDF is kept
    under that name; while the document is a `draft` (a sheet not validated, a report with
    such a sheet), that PDF is downloaded at once while younger than `PDF_DRAFT_MAX_AGE`, and
    offered, however old, beside the fresh one being rendered after that.
    """
    html = None if key else make_html()
    key = key or pdf.cache_key(html)
    document = document or key
    language = get_language()
    stored = store.latest(document, language)
    if stored is not None and stored.key == key:
        return download(stored.content, filename, "application/pdf")
    if stored is not None and draft and request.GET.get(EARLIER):
        return download(stored.content, filename, "application/pdf")
    if stored is not None and draft and timezone.now() - stored.made < draft_max_age():
        _refresh(document, language, stored)
        return download(stored.content, filename, "application/pdf")
    cache = store.cache()
    if not _failed(cache, key):
        made = timezone.now()
        if not _cache_works(cache):
            content = _render_here(html or make_html(), filename)
            if content is not None:
                return download(content, filename, "application/pdf")
        else:
            job = _queue(cache, key, html, make_html, filename, document, language, made)
            done = store.current(document, key, language)  # done already with an immediate backend (the tests)
            if done is not None:
                return download(done, filename, "application/pdf")
            if not _failed(cache, key):
                return _waiting(request, filename, back_url, job, stored if draft else None)
    context = {"filename": filename, "back_url": back_url}
    return render(request, "reports/report_pdf_error.html", context, status=500)


def draft_max_age():
    return timedelta(seconds=settings.PDF_DRAFT_MAX_AGE)


def _refresh(document, language, stored):
    """Queue a fresh render of draft `document` in `language`, built by the worker from the
    database, once its `stored` PDF is half the window old; one per PDF made."""
    named = store.kind_and_pk(document)
    if named is None or timezone.now() - stored.made < draft_max_age() / 2:
        return
    marker = f"{REFRESH_PREFIX}{document}:{language}:{stored.made.isoformat()}"
    if store.cache().add(marker, 1, settings.PDF_DRAFT_MAX_AGE):
        tasks.prerender.enqueue(*named, language)


def _cache_works(cache):
    """Whether the cache keeps what it is given: a failing one (`mega/cache.py`) skips writes
    silently, and a worker's PDF would never reach the person waiting for it."""
    probe = get_random_string(12)
    cache.set(PROBE_KEY, probe, 60)
    return cache.get(PROBE_KEY) == probe


def _render_here(html, filename):
    """The PDF rendered inside the request: only while the cache is failing (it can hold neither a
    job marker nor the worker's PDF), so that downloads still work, slowly, during the outage."""
    try:
        return pdf.render_pdf(html)
    except pdf.PdfError:
        logger.exception("rendering %s failed", filename)
        return None


def _failed(cache, key):
    """Whether the last render of `key` failed; told once, so that the next request tries again."""
    failed = cache.get(tasks.failure_key(key)) is not None
    if failed:
        cache.delete(tasks.failure_key(key))
    return failed


def _queue(cache, key, html, make_html, filename, document, language, made):
    """The id of the job rendering `key`, queuing one unless another request already did.

    `html` is the document's HTML, or None when the key was found without it (a city report):
    then the worker reads the document from the database as it does ahead of a download, and the
    requests, the first one and the waiting page's every two seconds, cost the key alone. A
    document without a name is rendered from `make_html()`, built here once."""
    marker = tasks.job_key(key)
    if not cache.add(marker, "queuing", JOB_SECONDS):
        return cache.get(marker)
    named = store.kind_and_pk(document)
    if html is None and named is not None:
        result = tasks.prerender.using(priority=tasks.WAITED_FOR).enqueue(*named, language)
    else:
        html = make_html() if html is None else html
        result = tasks.render_pdf.using(priority=tasks.WAITED_FOR).enqueue(
            key, html, filename, document, language, made.isoformat()
        )
    if not result.is_finished:
        cache.set(marker, result.id, JOB_SECONDS)
    return result.id


def _status(job):
    if not job or job == "queuing":
        return TaskResultStatus.READY
    try:
        return default_task_backend.get_result(job).status
    except (TaskResultDoesNotExist, NotImplementedError, ValueError):
        return TaskResultStatus.READY


def _waiting(request, filename, back_url, job, earlier):
    """The page that reloads itself until the PDF is ready; with the `earlier` PDF of a draft
    offered at once, saying when it was made."""
    status = _status(job)
    query = request.GET.copy()
    query[EARLIER] = "1"
    response = render(
        request,
        "downloads/waiting.html",
        {
            "filename": filename,
            "back_url": back_url,
            "refresh": REFRESH_SECONDS,
            "running": status == TaskResultStatus.RUNNING,
            "earlier": earlier,
            "earlier_url": f"{request.path}?{query.urlencode()}",
        },
        status=202,
    )
    add_never_cache_headers(response)
    return response

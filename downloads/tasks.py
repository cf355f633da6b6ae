"""The PDF renders, run by a task worker (`python manage.py db_worker`) instead of a web request.

A render keeps the PDF in the shared cache as its document's latest (`downloads.store`), so every
app server finds it there; a failed render stores a short-lived failure note instead, and never a
partial file: the cache stores whole values or nothing.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.utils import timezone, translation
from django_tasks import task

from reports import pdf
from downloads import store
from downloads.store import cache

logger = logging.getLogger(__name__)

# How long a failure is reported to the people waiting for that PDF before a new try may start.
FAILURE_SECONDS = 60

# A PDF that somebody is waiting for goes before those rendered ahead of time (after a validation
# or a publication, by `render_report --all --queue`, a draft's refresh), which keep the default
# priority, 0: the worker takes the highest priority first, then the oldest job.
WAITED_FOR = 10


def failure_key(key):
    return f"{key}:failed"


def job_key(key):
    return f"{key}:job"


@task()
def render_pdf(key, html, name, document, language, made):
    """Render `html`, the PDF of `key`, and keep it as the latest of `document` in `language`;
    `made` (ISO 8601) is when the HTML was built, `name` the download's file name, for the log."""
    if store.current(document, key, language) is not None:  # a twin job finished first
        return "cached"
    try:
        content = pdf.render_pdf(html)
    except pdf.PdfError:
        logger.exception("rendering %s failed", name)
        cache().set(failure_key(key), name, FAILURE_SECONDS)
        cache().delete(job_key(key))
        return "failed"
    store.put(document, key, content, datetime.fromisoformat(made), language)
    cache().delete(job_key(key))
    return "rendered"


def document(kind, pk):
    """(cache key, HTML, file name) of a city report ('report', a CityReport id) or of one sheet
    ('sheet', a Sheet id), keyed as its download keys it."""
    from assessments.models import CityReport, Sheet

    if kind == "report":
        report = CityReport.objects.select_related("city", "round").get(pk=pk)
        html = pdf.report_html(report.city, report.round, report)
        key = pdf.report_cache_key(report.city, report.round, report) or pdf.cache_key(html)
        return key, html, pdf.report_filename(report.city, report.round)
    if kind == "sheet":
        sheet = Sheet.objects.select_related("city", "round", "checklist__stakeholder_type").get(pk=pk)
        html = pdf.sheet_html(sheet)
        return pdf.cache_key(html), html, pdf.sheet_filename(sheet)
    raise ValueError(f"no document of kind {kind!r}")


@task()
def prerender(kind, pk, language):
    """Render a report or sheet in `language` ahead of its first download (after a validation, or
    for `render_report --all --queue`): the download then comes from the cache."""
    made = timezone.now().isoformat()
    with translation.override(language):
        key, html, filename = document(kind, pk)
    name = store.document(kind, pk)
    if store.current(name, key, language) is not None:
        return "cached"
    return render_pdf.call(key, html, filename, name, language, made)


def prerender_validated(sheet):
    """Queue the PDFs a validated sheet changes, in the site's language: the sheet's and its city
    report's, once the validation is committed."""
    from assessments.models import CityReport

    language = settings.LANGUAGE_CODE
    prerender.enqueue("sheet", sheet.pk, language)
    report = (
        CityReport.objects.filter(city_id=sheet.city_id, round_id=sheet.round_id).values_list("pk", flat=True).first()
    )
    if report is not None:
        prerender.enqueue("report", report, language)

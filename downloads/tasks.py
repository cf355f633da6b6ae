"""The PDF renders, run by a task worker (`python manage.py db_worker`) instead of a web request.

A render writes the PDF into Django's cache under the key the request computed (`pdf.cache_key`
of the HTML it renders), so every app server finds it there; a failed render stores a short-lived
failure note instead, and never a partial file: the cache stores whole values or nothing.
"""
import logging

from django.conf import settings
from django.core.cache import caches
from django.utils import translation
from django_tasks import task

from reports import pdf

logger = logging.getLogger(__name__)

# How long a failure is reported to the people waiting for that PDF before a new try may start.
FAILURE_SECONDS = 60


def failure_key(key):
    return f"{key}:failed"


def job_key(key):
    return f"{key}:job"


def cache():
    return caches[getattr(settings, "PDF_CACHE_ALIAS", "default")]


@task()
def render_pdf(key, html, name, report=None):
    """Render `html` into the cache under `key`; `name` is the download's file name, for the log;
    `report`, [city id, round id] of a city report, bounds the PDFs kept of it (`pdf.keep`)."""
    store = cache()
    if store.get(key) is not None:  # a twin job finished first
        return "cached"
    try:
        content = pdf.render_pdf(html)
    except pdf.PdfError:
        logger.exception("rendering %s failed", name)
        store.set(failure_key(key), name, FAILURE_SECONDS)
        store.delete(job_key(key))
        return "failed"
    store.set(key, content)
    if report:
        pdf.keep(store, *report, key)
    store.delete(job_key(key))
    return "rendered"


def document(kind, pk):
    """(cache key, HTML, file name, [city id, round id] or None) of a city report ('report', a
    CityReport id) or of one sheet ('sheet', a Sheet id), keyed as its download keys it."""
    from assessments.models import CityReport, Sheet

    if kind == "report":
        report = CityReport.objects.select_related("city", "round").get(pk=pk)
        html = pdf.report_html(report.city, report.round, report)
        key = pdf.report_cache_key(report.city, report.round, report) or pdf.cache_key(html)
        return key, html, pdf.report_filename(report.city, report.round), [report.city_id, report.round_id]
    if kind == "sheet":
        sheet = Sheet.objects.select_related("city", "round", "checklist__stakeholder_type").get(pk=pk)
        html = pdf.sheet_html(sheet)
        return pdf.cache_key(html), html, pdf.sheet_filename(sheet), None
    raise ValueError(f"no document of kind {kind!r}")


@task()
def prerender(kind, pk, language):
    """Render a report or sheet in `language` ahead of its first download (after a validation, or
    for `render_report --all --queue`): the download then comes from the cache."""
    with translation.override(language):
        key, html, name, report = document(kind, pk)
    if cache().get(key) is not None:
        return "cached"
    return render_pdf.call(key, html, name, report)


def prerender_validated(sheet):
    """Queue the PDFs a validated sheet changes, in the site's language: the sheet's and its city
    report's, once the validation is committed."""
    from assessments.models import CityReport

    language = settings.LANGUAGE_CODE
    prerender.enqueue("sheet", sheet.pk, language)
    report = CityReport.objects.filter(city_id=sheet.city_id, round_id=sheet.round_id).values_list("pk", flat=True).first()
    if report is not None:
        prerender.enqueue("report", report, language)

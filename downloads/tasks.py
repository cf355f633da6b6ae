"""The PDF renders, run by a task worker (`python manage.py db_worker`) instead of a web request.

A render writes the PDF into Django's cache under the key the request computed (`pdf.cache_key`
of the HTML it renders), so every app server finds it there; a failed render stores a short-lived
failure note instead, and never a partial file: the cache stores whole values or nothing.
"""
import logging

from django.core.cache import caches
from django.conf import settings
from django_tasks import task

from assessments import pdf

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
def render_pdf(key, html, name):
    """Render `html` into the cache under `key`; `name` is the download's file name, for the log."""
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
    store.delete(job_key(key))
    return "rendered"

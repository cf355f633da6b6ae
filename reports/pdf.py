"""PDF reports with WeasyPrint: the one module that renders, fetches resources and caches.

- The HTML of a PDF is rendered from the same data and partial templates as the web pages
  (`reports.data`), by `report_html` / `sheet_html`.
- WeasyPrint fetches through `StaticFetcher`, which serves the app's own static files (the print
  stylesheet and its fonts) and refuses every other URL, so no text in a report can make the
  server fetch a URL or read a file. Refused URLs are recorded on the fetcher.
- `cached_pdf` keys the cache on a hash of the HTML itself (everything the PDF shows, escaped)
  and of the stylesheets and fonts, so any change to an answer, note, respondent or report text
  makes a new PDF and a stale one is never served as current (a draft's recent one is served
  saying when its data are from: `downloads.views`). The PDFs are kept in Django's
  cache (`PDF_CACHE_ALIAS`, "default" unless set), shared by every process, the latest one per
  document and language (`downloads.store`); a failed render stores nothing.
- The city report, the big download, is keyed instead on the versions of what it shows
  (`report_cache_key`), found without building its HTML.
"""

import datetime
import hashlib
import logging
import mimetypes
import posixpath
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.text import slugify
from weasyprint.urls import URLFetcherResponse

from assessments.models import CityReport, Conclusion, Sheet
from downloads import store
from mega.spreadsheets import inert_text
from reports import stamps
from reports.data import cohort_comparison, report_data, report_versions, sheet_as_of, sheet_data

logger = logging.getLogger(__name__)

# The document's base URL. It is never fetched: StaticFetcher maps the static URLs under it to
# files on disk and refuses everything else.
BASE_URL = "https://mega-benchmark.invalid/"
STATIC_EXTENSIONS = {".css", ".ttf", ".otf", ".woff", ".woff2", ".svg", ".png", ".jpg", ".jpeg"}
# The files the PDF's look depends on: part of the cache key, so a new stylesheet makes new PDFs.
ASSETS = (
    "css/print.css",
    "fonts/DejaVuSans.ttf",
    "fonts/DejaVuSans-Bold.ttf",
    "fonts/DejaVuSerif.ttf",
    "fonts/DejaVuSerif-Bold.ttf",
    "fonts/DejaVuSerif-Italic.ttf",
)
CACHE_PREFIX = "mega-pdf:"
REPORTS_STAMP = stamps.REPORTS_STAMP
# Tagged PDF/UA-1 (accessible: structure tags, the document language, title shown, XMP metadata);
# the embedded DejaVu fonts meet its requirements.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


class PdfError(Exception):
    """WeasyPrint could not render a document."""


# --- fetching: the app's static files and nothing else -------------------------------------


def _static_prefixes():
    return [urljoin(BASE_URL, settings.STATIC_URL)]


def static_path(url):
    """The file on disk that `url` names if it is one of the app's static files, else None."""
    for prefix in _static_prefixes():
        if url.startswith(prefix):
            relative = unquote(urlsplit(url[len(prefix) :]).path)
            break
    else:
        return None
    normal = posixpath.normpath(relative)
    if normal != relative or normal.startswith(("/", "..")) or "\\" in normal or "\x00" in normal:
        return None
    if posixpath.splitext(normal)[1].lower() not in STATIC_EXTENSIONS:
        return None
    found = finders.find(normal)
    if found:
        return Path(found)
    if staticfiles_storage.exists(normal):  # collected files (e.g. hashed names) in production
        return Path(staticfiles_storage.path(normal))
    return None


@lru_cache(maxsize=32)
def _read(path, mtime_ns):
    return path.read_bytes()


def read_static(path):
    return _read(path, path.stat().st_mtime_ns)


class StaticFetcher(weasyprint.URLFetcher):
    """Serves the app's static files to WeasyPrint; refuses (and records) every other URL."""

    def __init__(self):
        super().__init__(allowed_protocols=(), fail_on_errors=False)
        self.requested = []
        self.refused = []

    def fetch(self, url, headers=None):
        self.requested.append(url)
        path = static_path(url)
        if path is None:
            self.refused.append(url)
            logger.warning("PDF rendering refused to fetch %r", url[:200])
            raise ValueError("only the application's own static files are available to PDF rendering")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, read_static(path), {"Content-Type": content_type})


# --- rendering -----------------------------------------------------------------------------


def render_pdf(html, fetcher=None):
    """Render `html` (a whole document) to PDF bytes with WeasyPrint, without the cache."""
    fetcher = fetcher or StaticFetcher()
    # Control characters typed into a text are not text: printed as U+FFFD, as in the spreadsheets.
    html = inert_text(html)
    try:
        return weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf(**PDF_OPTIONS)
    except Exception as error:  # WeasyPrint raises many kinds; the caller shows one message
        raise PdfError(f"the PDF could not be rendered: {error}") from error


@lru_cache(maxsize=1)
def _assets_digest(stamp):
    digest = hashlib.sha256(weasyprint.__version__.encode() + repr(sorted(PDF_OPTIONS.items())).encode())
    for name in (*ASSETS, settings.REPORT_PUBLISHER_LOGO):
        path = finders.find(name)
        digest.update(name.encode() + b"\0" + (read_static(Path(path)) if path else b"missing"))
    return digest.hexdigest()


def assets_digest():
    stamp = tuple(
        (name, (Path(p).stat().st_mtime_ns if (p := finders.find(name)) else 0))
        for name in (*ASSETS, settings.REPORT_PUBLISHER_LOGO)
    )
    return _assets_digest(stamp)


def cache_key(html):
    content = hashlib.sha256(html.encode("utf-8"))
    content.update(assets_digest().encode())
    return CACHE_PREFIX + content.hexdigest()


def stored_pdf(document, key, make_html):
    """The PDF of `key`: `document`'s latest PDF when it is that one, else rendered from
    `make_html()` and kept as the document's latest."""
    content = store.current(document, key)
    if content is None:
        content = render_pdf(make_html())
        store.put(document, key, content)
    return content


def cached_pdf(html):
    """The PDF of `html`, from the cache when the same HTML was rendered before."""
    key = cache_key(html)
    return stored_pdf(key, key, lambda: html)


# --- the documents -------------------------------------------------------------------------


def as_of_label(value):
    """When the data of a draft PDF are from, for its footer: the date and time of the latest
    change it shows (not of the render, so that the same content makes the same document); a
    draft may be downloaded minutes after it was made (`downloads.views`)."""
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def report_html(city, round, report):
    data = report_data(city, round, report)
    context = {
        "data": data,
        "draft": not data["complete"],
        "as_of": as_of_label(data["as_of"]),
        "publisher": data["publisher"]["name"],
    }
    return render_to_string("reports/report_pdf.html", context)


def sheet_html(sheet):
    data = sheet_data(sheet)
    draft = data["status"] != Sheet.Status.VALIDATED
    context = {
        "sheet": data,
        "draft": draft,
        "as_of": as_of_label(sheet_as_of(sheet)) if draft else "",
        "publisher": settings.REPORT_PUBLISHER,
    }
    return render_to_string("reports/sheet_report_pdf.html", context)


def report_cache_key(city, round, report):
    """The cache key of the city report's PDF, from the versions of what it shows rather than from
    its HTML, so that a cached download costs a few small queries and no rendering: those of the
    report's data (`data.report_versions`); the cohort's figures as shown when the report compares
    the city with the round's cohort (`cohort_figures`); the stylesheet and fonts. None when the
    stamps cannot be read (the caller keys on the HTML then).
    """
    versions = report_versions(city, round, report)
    if versions is None:
        return None
    parts = (versions, cohort_figures(city, round), assets_digest())
    return f"{CACHE_PREFIX}report:{hashlib.sha256(repr(parts).encode()).hexdigest()}"


def cohort_figures(city, round):
    """What the report's comparison section shows of the round's cohort, for its PDF's key, or
    None while the report has no such section: a digest of its chart, the figures as the reader
    sees them. They come from `comparison.cohort_shares`, counted again at most once per
    `COHORT_FIGURES_MAX_AGE`, and a quartile or median moves only now and then when one city's
    answer changes, so an answer saved in another city makes a new PDF only once the figures
    shown move, not on every autosave anywhere in the round."""
    section = cohort_comparison(city, round)
    return hashlib.sha256(str(section["chart"]).encode()).hexdigest() if section else None


def report_pdf(city, round, report):
    """The city report's PDF, from the cache when nothing it shows has changed since it was made."""
    key = report_cache_key(city, round, report)
    if key is None or report is None:
        return cached_pdf(report_html(city, round, report))
    return stored_pdf(store.document("report", report.pk), key, lambda: report_html(city, round, report))


def _reports_changed(**kwargs):
    stamps.renew([REPORTS_STAMP])


def connect():
    """Called once from the app's `ready()`: any saved or deleted report or conclusion, by any
    path, renews the stamp that the report PDFs' keys hold."""
    for model in (CityReport, Conclusion):
        post_save.connect(_reports_changed, sender=model, dispatch_uid=f"pdf_reports_save_{model.__name__}")
        post_delete.connect(_reports_changed, sender=model, dispatch_uid=f"pdf_reports_delete_{model.__name__}")
    m2m_changed.connect(_reports_changed, sender=Conclusion.topics.through, dispatch_uid="pdf_reports_topics")


def sheet_pdf(sheet):
    html = sheet_html(sheet)
    return stored_pdf(store.document("sheet", sheet.pk), cache_key(html), lambda: html)


def report_filename(city, round):
    return f"mega-{city.slug}-{slugify(round.name)}-report.pdf"


def sheet_filename(sheet):
    stakeholder = slugify(sheet.checklist.stakeholder_type.slug.replace("_", "-"))
    return f"mega-{sheet.city.slug}-{slugify(sheet.round.name)}-{stakeholder}.pdf"

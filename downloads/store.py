"""The PDFs kept in the shared cache: the latest one of each document in each language.

A document is what a download names, e.g. one city report or one sheet (`document("report",
pk)`), or, for a PDF without such a name (a comparison, self-assessment results), its content
key itself. Its latest PDF is kept under the document and the language, with the key of what it
shows and when that was read, so that:

- a download whose key matches is served at once;
- a draft whose key does not match is still downloaded at once while it is recent, and offered
  at once, saying how old it is, while a fresh one is rendered after that (`downloads.views`);
- a new PDF replaces the one before: a city report in three languages holds three PDFs however
  often it is edited, where keying each edit state kept one more.

Each is kept for the cache's timeout (a week) after it was made. The cache stores whole values or nothing, so a reader gets the key, the time and the PDF of one
render, never parts of two.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from django.utils.translation import get_language

PREFIX = "mega-pdf:latest:"


@dataclass(frozen=True)
class Stored:
    key: str  # the cache key of what the PDF shows (`pdf.report_cache_key`, `pdf.cache_key`)
    made: datetime  # when what it shows was read
    content: bytes


def cache():
    return caches[getattr(settings, "PDF_CACHE_ALIAS", "default")]


def document(kind, pk):
    """The name of one city report ('report', a CityReport id) or one sheet ('sheet', a Sheet id)."""
    return f"{kind}:{pk}"


def kind_and_pk(name):
    """(kind, pk) of a document named by `document`, or None for a content key."""
    kind, _, pk = name.partition(":")
    return (kind, int(pk)) if kind in ("report", "sheet") and pk.isdigit() else None


def _slot(name, language):
    return f"{PREFIX}{name}:{language or get_language()}"


def latest(name, language=None):
    """The latest PDF of document `name` in `language` (the active one by default), or None."""
    value = cache().get(_slot(name, language))
    return Stored(*value) if value is not None else None


def current(name, key, language=None):
    """The PDF of document `name` if it is the one of `key`, else None."""
    stored = latest(name, language)
    return stored.content if stored is not None and stored.key == key else None


def put(name, key, content, made=None, language=None):
    """Keep `content`, the PDF of `key`, as document `name`'s latest, replacing the one before."""
    cache().set(_slot(name, language), (key, made or timezone.now(), content))

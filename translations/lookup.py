"""Reading a text in the reader's language, falling back to the original."""

from django.conf import settings
from django.utils.translation import get_language


def translated(obj, field, language=None):
    """`obj.<field>` in `language` (default: the active one), or the original when untranslated.

    Reads `obj.translations.all()`, so callers that show many objects prefetch "translations".
    """
    original = getattr(obj, field)
    language = (language or get_language() or "").split("-")[0]
    translations = getattr(obj, "translations", None)
    if not language or language == settings.LANGUAGE_CODE or translations is None:
        return original
    for translation in translations.all():
        if translation.language == language:
            return getattr(translation, field, None) or original
    return original


def needs_translations(language=None):
    """Whether texts must be looked up for `language` (default: the active one): not for the original's.

    Callers prefetch "translations" only then, so pages in the original language cost no query more.
    """
    language = (language or get_language() or "").split("-")[0]
    return bool(language) and language != settings.LANGUAGE_CODE


def with_translations(*lookups):
    """The prefetch_related lookups for `translations` under each of `lookups` ("" for the object
    itself), or none when the active language is the original."""
    if not needs_translations():
        return []
    return [f"{lookup}__translations" if lookup else "translations" for lookup in lookups]

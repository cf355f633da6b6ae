"""Reading a text in the reader's language, falling back to the original."""
from django.utils.translation import get_language


def translated(obj, field, language=None):
    """`obj.<field>` in `language` (default: the active one), or the original when untranslated.

    Reads `obj.translations.all()`, so callers that show many objects prefetch "translations".
    """
    original = getattr(obj, field)
    language = (language or get_language() or "").split("-")[0]
    translations = getattr(obj, "translations", None)
    if not language or translations is None:
        return original
    for translation in translations.all():
        if translation.language == language:
            return getattr(translation, field, None) or original
    return original

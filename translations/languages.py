"""Rendering a document in a named interface language (`?lang=it`, `render_report --lang it`)."""

from contextlib import nullcontext
from functools import wraps

from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils import translation


def language_codes():
    return [code for code, _ in settings.LANGUAGES]


def check_language(code):
    """`code` if it is one of settings.LANGUAGES, else ValueError with a message naming the choices."""
    if code not in language_codes():
        raise ValueError(f"unknown language {code!r}: choose one of {', '.join(language_codes())}")
    return code


def override(code):
    """translation.override(code) for a checked code; no change when `code` is None or empty."""
    return translation.override(check_language(code)) if code else nullcontext()


def in_requested_language(view):
    """Runs the view in the language of `?lang=xx` when given; an unknown code is a 400."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        code = request.GET.get("lang")
        if code is None:
            return view(request, *args, **kwargs)
        try:
            context = override(code)
        except ValueError as error:
            raise BadRequest(str(error)) from None
        with context:
            request.LANGUAGE_CODE = code
            return view(request, *args, **kwargs)

    return wrapper

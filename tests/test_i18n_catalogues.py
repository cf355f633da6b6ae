"""The interface's message catalogues are complete: every message of it, fr, de and es is translated,
none is fuzzy, and each translation keeps the placeholders of its message."""

import re

import polib
import pytest
from django.conf import settings

LANGUAGES = ["it", "fr", "de", "es"]
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")


def catalogue(code):
    path = settings.BASE_DIR / "locale" / code / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{path} is missing: run makemessages -l {code}"
    return [entry for entry in polib.pofile(str(path)) if not entry.obsolete]


def label(entry):
    return (f"[{entry.msgctxt}] " if entry.msgctxt else "") + repr(entry.msgid[:70])


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(code):
    path = settings.BASE_DIR / "locale" / code / "LC_MESSAGES" / "django.po"
    assert not polib.pofile(str(path)).metadata_is_fuzzy, f"{code}: the catalogue's header is fuzzy"
    messages = catalogue(code)
    untranslated = [label(e) for e in messages if not e.translated()]
    fuzzy = [label(e) for e in messages if e.fuzzy]
    assert not untranslated, f"{code}: {len(untranslated)} of {len(messages)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{code}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("code", LANGUAGES)
def test_translations_keep_the_placeholders(code):
    wrong = []
    for entry in catalogue(code):
        if not entry.msgid:
            continue
        expected = {
            "".join(sorted(PLACEHOLDER.findall(entry.msgid))),
            "".join(sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))),
        }
        for text in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
            if text and "".join(sorted(PLACEHOLDER.findall(text))) not in expected:
                wrong.append(label(entry))
    assert not wrong, f"{code}: placeholders changed in {wrong[:5]}"


def test_every_catalogue_has_the_same_messages():
    keys = {code: {(e.msgctxt, e.msgid) for e in catalogue(code)} for code in LANGUAGES}
    for code in LANGUAGES[1:]:
        assert keys[code] == keys["it"], f"{code} and it differ: run makemessages for every language"

"""The committed compiled catalogues (locale/*/LC_MESSAGES/django.mo) say what their .po files say:
a .po edited without running `make messages` would show the old translations to every reader."""

import gettext
from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUES = sorted(Path(settings.BASE_DIR).glob("locale/*/LC_MESSAGES/django.po"))


def po_messages(path):
    """What msgfmt compiles of a .po: its translated, non-fuzzy, non-obsolete entries."""
    messages = {}
    for entry in polib.pofile(str(path)):
        if entry.obsolete or entry.fuzzy or not entry.translated():
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                messages[(key, int(index))] = text
        else:
            messages[key] = entry.msgstr
    return messages


def mo_messages(path):
    with open(path, "rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    return {key: text for key, text in catalog.items() if key != ""}  # "" is the header


def test_there_is_a_catalogue_per_language_besides_english():
    assert {path.parent.parent.name for path in CATALOGUES} == {code for code, _ in settings.LANGUAGES} - {"en"}


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: path.parent.parent.name)
def test_the_compiled_catalogue_matches_its_po_file(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run `make messages` and commit it"
    expected, compiled = po_messages(po_path), mo_messages(mo_path)
    stale = sorted(str(key)[:60] for key in expected.keys() ^ compiled.keys())
    stale += sorted(str(key)[:60] for key in expected.keys() & compiled.keys() if expected[key] != compiled[key])
    assert not stale, f"{mo_path} is out of date: run `make messages` and commit it ({stale[:5]})"

"""`compile_catalogs`: .po → .mo without GNU gettext, read by Python's gettext like msgfmt's output."""
import gettext
import shutil
import subprocess

import pytest
from django.core.management import call_command

from translations import catalogs

PO = '''# A test catalogue.
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: it\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#: templates/base.html:1
msgid "Home"
msgstr "Pagina iniziale"

msgctxt "answer"
msgid "no data"
msgstr "nessun dato"

msgid "%(count)s answer"
msgid_plural "%(count)s answers"
msgstr[0] "%(count)s risposta"
msgstr[1] "%(count)s "
"risposte"

#, fuzzy
msgid "Sign out"
msgstr "Esci forse"

msgid "Untranslated"
msgstr ""

msgid "Quote \\"and\\" new\\nline"
msgstr "Virgolette \\"e\\" a\\ncapo"

#~ msgid "Gone"
#~ msgstr "Sparito"
'''


@pytest.fixture
def po_file(tmp_path):
    path = tmp_path / "django.po"
    path.write_text(PO, encoding="utf-8")
    return path


def load(mo_path):
    with open(mo_path, "rb") as stream:
        return gettext.GNUTranslations(stream)


def test_the_python_compiler_writes_what_gettext_reads(po_file):
    catalogue = load(catalogs.compile_po(po_file))
    assert catalogue.gettext("Home") == "Pagina iniziale"
    assert catalogue.pgettext("answer", "no data") == "nessun dato"
    assert catalogue.ngettext("%(count)s answer", "%(count)s answers", 1) == "%(count)s risposta"
    assert catalogue.ngettext("%(count)s answer", "%(count)s answers", 3) == "%(count)s risposte"
    assert catalogue.gettext('Quote "and" new\nline') == 'Virgolette "e" a\ncapo'
    assert catalogue.gettext("Sign out") == "Sign out"  # fuzzy: left out, as msgfmt does
    assert catalogue.gettext("Untranslated") == "Untranslated"
    assert catalogue.gettext("Gone") == "Gone"  # obsolete


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext is not installed")
def test_the_python_compiler_agrees_with_msgfmt(po_file, tmp_path):
    ours = load(catalogs.compile_po(po_file))._catalog
    subprocess.run(["msgfmt", "-o", str(tmp_path / "gnu.mo"), str(po_file)], check=True)
    assert ours == load(tmp_path / "gnu.mo")._catalog


def test_a_broken_catalogue_is_refused_with_its_place(tmp_path):
    path = tmp_path / "django.po"
    path.write_text('msgid "Home"\nmsgstr Pagina\n', encoding="utf-8")
    with pytest.raises(catalogs.PoSyntaxError, match=r"django.po:2: expected a quoted string"):
        catalogs.compile_po(path)


@pytest.mark.parametrize("catalogue", catalogs.catalogues([catalogs.LOCALE_DIR]), ids=lambda p: p.parent.parent.name)
def test_the_projects_catalogues_compile_the_same_both_ways(catalogue, tmp_path):
    copy = tmp_path / catalogue.name
    shutil.copy(catalogue, copy)
    ours = load(catalogs.compile_po(copy))._catalog
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "-o", str(tmp_path / "gnu.mo"), str(copy)], check=True)
        assert ours == load(tmp_path / "gnu.mo")._catalog


def test_compile_catalogs_without_msgfmt_compiles_every_catalogue(monkeypatch, settings, tmp_path):
    for code in ("it", "de"):
        folder = tmp_path / code / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "django.po").write_text(PO, encoding="utf-8")
    settings.LOCALE_PATHS = [tmp_path]
    monkeypatch.setattr(shutil, "which", lambda name: None)
    call_command("compile_catalogs", verbosity=0)
    assert load(tmp_path / "de" / "LC_MESSAGES" / "django.mo").gettext("Home") == "Pagina iniziale"
    assert (tmp_path / "it" / "LC_MESSAGES" / "django.mo").exists()

"""The sheet editor's script takes its texts from Django's JavaScript catalogue (djangojs), in the
reader's language; the page carries no texts for it."""

import shutil
import subprocess

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import login

ITALIAN = {
    "Saved": "Salvato",
    "%(answered)s of %(total)s": "%(answered)s di %(total)s",
}


def test_the_catalogue_is_a_script_for_everyone(client, db):
    response = client.get(reverse("javascript-catalog"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b"django.gettext" in response.content


def test_the_editor_page_carries_no_texts_for_its_script(officer_client, sheet):
    html = officer_client.get(reverse("sheets:edit", args=[sheet.pk])).content.decode()
    assert "data-text-" not in html
    assert f'<script src="{reverse("javascript-catalog")}" defer></script>' in html


@pytest.fixture
def italian_script_catalogue(tmp_path):
    """A djangojs catalogue in Italian with two of the editor's texts, compiled by GNU msgfmt."""
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext (msgfmt) is not installed; CI installs it")
    folder = tmp_path / "it" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    entries = "".join(f'\nmsgid "{source}"\nmsgstr "{target}"\n' for source, target in ITALIAN.items())
    (folder / "djangojs.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: it\\n"\n' + entries,
        encoding="utf-8",
    )
    subprocess.run(["msgfmt", "-o", str(folder / "djangojs.mo"), str(folder / "djangojs.po")], check=True)
    with override_settings(LOCALE_PATHS=[tmp_path, *settings.LOCALE_PATHS]):
        yield


@pytest.mark.browser
def test_the_editor_speaks_the_readers_language(browser_page, live_server, officer, sheet, italian_script_catalogue):
    page = browser_page
    login(page, live_server, "olga", "pw-olga")
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "it", "url": live_server.url}])
    page.goto(f"{live_server.url}/sheets/{sheet.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    page.locator("fieldset.sheet-cell").first.locator("input[value=nd]").check()
    expect(page.locator("#autosave-status")).to_have_text("Salvato")
    expect(page.locator("#progress-total")).to_have_text(
        page.locator("[data-progress-answered]").first.inner_text()
        + " di "
        + page.locator("[data-progress-total]").first.inner_text()
    )

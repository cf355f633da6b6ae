"""Switching language in one step (with JavaScript; the button stays for browsers without it),
and one localised date format for every date and time the pages show."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from assessments.cells import CellEdit, save_cells
from assessments.models import Answer
from tests.browser import chromium, login, new_page


@pytest.mark.browser
def test_choosing_a_language_switches_at_once(browser_page, live_server, officer, sheet):
    page = browser_page
    login(page, live_server, "olga", "pw-olga")
    editor = f"{live_server.url}/sheets/{sheet.pk}/"
    page.goto(editor)
    expect(page.get_by_role("button", name="Change language")).to_be_hidden()
    with page.expect_navigation():
        page.get_by_label("Language").select_option("it")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    assert page.url == editor
    with translation.override("it"):
        expect(page.get_by_role("button", name=translation.gettext("Save"))).to_be_visible()


@pytest.mark.browser
def test_without_javascript_the_button_switches_the_language(request, live_server, officer):
    page = new_page(chromium(request), live_server, java_script_enabled=False)
    try:
        login(page, live_server, "olga", "pw-olga")
        page.get_by_label("Language").select_option("de")
        expect(page.locator("html")).to_have_attribute("lang", "en")  # nothing happens by itself
        page.get_by_role("button", name="Change language").click()
        expect(page.locator("html")).to_have_attribute("lang", "de")
    finally:
        page.context.close()


def test_templates_use_one_date_format():
    """Dates with a time as DATETIME_FORMAT, dates alone as DATE_FORMAT, both in the reader's
    language; machine-readable 'c' for metadata. No short or hand-made formats."""
    allowed = {'"DATETIME_FORMAT"', '"DATE_FORMAT"', "'c'"}
    found = []
    for root in [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates")]:
        for template in root.rglob("*.html"):
            for fmt in re.findall(r"\|date:([\"'][^\"']*[\"'])", template.read_text(encoding="utf-8")):
                if fmt not in allowed:
                    found.append(f"{template.relative_to(settings.BASE_DIR)}: date:{fmt}")
    assert not found, found


@pytest.mark.parametrize("code", ["en", "it"])
def test_history_and_editor_show_a_change_in_the_same_format(client, officer, sheet, code):
    answer = Answer.objects.filter(respondent__sheet=sheet).select_related("respondent").first()
    save_cells(sheet, officer, [CellEdit(answer.statement_id, answer.respondent_id, "nd", "", answer.version)])
    sheet.refresh_from_db()
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    with translation.override(code):
        expected = formats.date_format(timezone.localtime(sheet.updated_at), "DATETIME_FORMAT")
    editor = client.get(reverse("sheets:edit", args=[sheet.pk])).content.decode()
    history = client.get(reverse("sheets:history", args=[sheet.pk])).content.decode()
    home = client.get(reverse("home")).content.decode()
    assert expected in editor and expected in history and expected in home


@pytest.mark.browser
def test_arrow_keys_do_not_switch_before_enter(browser_page, live_server, officer):
    page = browser_page
    login(page, live_server, "olga", "pw-olga")
    select = page.get_by_label("Language")
    select.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    chosen = select.input_value()
    assert chosen != "en"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", chosen)

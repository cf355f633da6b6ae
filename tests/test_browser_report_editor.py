"""The city report editor in a real Chromium: autosave and its conflict guard, the error summary,
and the topic picker used with the keyboard alone."""

import pytest
from playwright.sync_api import expect

from assessments.models import CityReport
from tests.browser import chromium, login, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDIT = "/cities/milan/2018/edit/"


def report():
    return CityReport.objects.get(city__slug="milan", round__name="2018")


def open_editor(page, live_server):
    page.goto(f"{live_server.url}{EDIT}")
    expect(page.locator("#autosave-status")).to_have_text("Changes are saved as you make them.")


def test_typing_is_autosaved_and_is_there_after_a_reload(browser_page, live_server, officer):
    page = browser_page
    login(page, live_server, "olga", "pw-olga")
    open_editor(page, live_server)
    page.get_by_label("City-level observations").fill("Typed, never saved by hand.")
    expect(page.locator("#autosave-status")).to_have_text("Saved")
    assert report().city_observations == "Typed, never saved by hand."
    # Typing on: the page holds what it saved as "seen", so its own next save is no conflict.
    page.get_by_label("City-level observations").fill("Typed further.")
    expect(page.locator("#autosave-status")).to_have_text("Saved")
    page.reload()
    expect(page.get_by_label("City-level observations")).to_have_value("Typed further.")
    assert report().updated_by == officer


def test_a_conflicting_autosave_stops_and_offers_both_versions(request, browser_page, live_server, officer, colleague):
    olga = browser_page
    login(olga, live_server, "olga", "pw-olga")
    open_editor(olga, live_server)
    paola = new_page(chromium(request), live_server)
    try:
        login(paola, live_server, "paola", "pw-paola")
        open_editor(paola, live_server)
        paola.get_by_label("National context").fill("Paola's context.")
        expect(paola.locator("#autosave-status")).to_have_text("Saved")
    finally:
        paola.context.close()
    olga.get_by_label("National context").fill("Olga's context.")
    status = olga.locator("#autosave-status")
    expect(status).to_contain_text("Not saved: paola also changed National context")
    assert report().national_context == "Paola's context."
    olga.get_by_role("button", name="Compare and choose").click()
    conflicts = olga.locator("#conflicts")
    expect(conflicts).to_contain_text("Paola's context.")
    expect(conflicts).to_contain_text("Olga's context.")
    conflicts.get_by_label("Take mine").check()
    conflicts.get_by_role("button", name="Save with these choices").click()
    expect(olga.locator(".alert-success")).to_contain_text("Saved: National context")
    assert report().national_context == "Olga's context."


def test_an_error_is_summarised_on_top_and_its_link_leads_to_the_field(browser_page, live_server, officer):
    page = browser_page
    login(page, live_server, "olga", "pw-olga")
    open_editor(page, live_server)
    page.get_by_label("National context").fill("Kept although nothing is saved.")
    page.locator("#id_look_at-1-text").fill("")
    page.get_by_role("button", name="Save the report").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("May look at, conclusion 2: Enter the text of the conclusion.")
    expect(page.get_by_label("National context")).to_have_value("Kept although nothing is saved.")
    box = summary.bounding_box()
    assert box["y"] < 400  # at the top of the page, not 3,000 px below
    summary.get_by_role("link", name="May look at, conclusion 2: Enter the text of the conclusion.").click()
    expect(page.locator("#id_look_at-1-text")).to_be_focused()


def test_topics_are_chosen_with_the_keyboard_alone_and_autosaved(browser_page, live_server, officer):
    page = browser_page
    login(page, live_server, "olga", "pw-olga")
    open_editor(page, live_server)
    text = page.locator("#id_share-1-text")  # conclusion 2: "facilitating access to finance …"
    text.focus()
    page.keyboard.press("Tab")
    summary = page.locator("#id_share-1-topics-summary")
    expect(summary).to_be_focused()
    picker = page.locator("#conclusion-{} details".format(report().conclusions.get(kind="share", position=2).pk))
    expect(picker).not_to_have_attribute("open", "")
    page.keyboard.press("Enter")
    expect(picker).to_have_attribute("open", "")
    page.keyboard.press("Tab")  # Access to finance (ticked)
    page.keyboard.press("Tab")  # Cooperation between actors
    expect(page.get_by_label("Cooperation between actors").nth(1)).to_be_focused()
    page.keyboard.press("Space")
    expect(summary).to_contain_text("Cooperation between actors")
    expect(page.locator("#autosave-status")).to_have_text("Saved")
    conclusion = report().conclusions.get(kind="share", position=2)
    assert sorted(t.slug for t in conclusion.topics.all()) == ["access-to-finance", "cooperation-between-actors"]
    # Closing it again with the keyboard leaves the choice in the one-line summary.
    summary.focus()
    page.keyboard.press("Enter")
    expect(picker).not_to_have_attribute("open", "")
    expect(summary).to_contain_text("Access to finance")


def test_text_typed_offline_is_kept_and_saved_on_the_next_visit(browser_page, live_server, officer):
    page = browser_page
    login(page, live_server, "olga", "pw-olga")
    open_editor(page, live_server)
    page.context.set_offline(True)
    page.get_by_label("National context").fill("Typed on a train.")
    expect(page.locator("#autosave-status")).to_contain_text("no connection to the server")
    assert report().national_context != "Typed on a train."
    context = page.context
    later = context.new_page()  # the tab is closed; the same browser opens the editor again
    page.close()
    context.set_offline(False)
    later.goto(f"{live_server.url}{EDIT}")
    expect(later.get_by_label("National context")).to_have_value("Typed on a train.")
    expect(later.locator("#autosave-status")).to_have_text("Saved")
    assert report().national_context == "Typed on a train."
    later.reload()
    expect(later.locator("#autosave-status")).to_have_text("Changes are saved as you make them.")

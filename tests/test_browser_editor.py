"""The sheet editor in a real Chromium: keyboard and mouse, autosave, failures and retry,
conflicts, reloads that keep everything, read-only for coordinators, and the review workflow."""

import re

import pytest
from playwright.sync_api import expect

from assessments.cells import CellEdit, save_cells
from assessments.models import Answer, Sheet
from tests.browser import chromium, login, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sheet(milan):
    return Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="municipality")


def cell_with(sheet, value, skip=0):
    """The key "statement-respondent" of a cell of `sheet` answered `value` (the seed has them)."""
    answers = Answer.objects.filter(respondent__sheet=sheet, value=value, note="").order_by(
        "statement__level__number", "statement__position"
    )
    answer = answers[skip]
    return f"{answer.statement_id}-{answer.respondent_id}", answer


def open_sheet(page, live_server, sheet):
    page.goto(f"{live_server.url}/sheets/{sheet.pk}/")
    expect(page.locator("#autosave-status")).to_have_text("Changes are saved as you make them.")


def stored(key):
    statement_id, respondent_id = key.split("-")
    return Answer.objects.get(statement_id=statement_id, respondent_id=respondent_id)


def test_officer_fills_in_with_keyboard_and_mouse_and_finds_everything_after_reload(
    browser_page, live_server, officer, sheet
):
    page = browser_page
    login(page, live_server, "olga", "pw-olga")
    page.get_by_role("link", name="Municipality").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Municipality")
    status = page.locator("#autosave-status")

    # Mouse: click the visible label "No".
    by_mouse, _ = cell_with(sheet, "yes")
    page.locator(f'fieldset[data-cell="{by_mouse}"]').get_by_label("No", exact=True).click()
    expect(status).to_have_text("Saved")

    # Keyboard: tab onto a radio group and move with the arrow keys.
    by_keys, _ = cell_with(sheet, "yes", skip=1)
    cell = page.locator(f'fieldset[data-cell="{by_keys}"]')
    cell.get_by_label("Yes", exact=True).focus()
    page.keyboard.press("ArrowDown")  # Yes → No
    page.keyboard.press("ArrowDown")  # No → No data
    expect(cell.get_by_label("No data", exact=True)).to_be_checked()
    expect(status).to_have_text("Saved")

    # An annotation, opened on demand, becomes a numbered footnote.
    annotated, _ = cell_with(sheet, "yes", skip=2)
    cell = page.locator(f'fieldset[data-cell="{annotated}"]')
    cell.locator("summary").click()
    cell.get_by_label(re.compile("^Annotation to statement")).fill("Confirmed by the\nmunicipality's office.")
    expect(status).to_have_text("Saved")
    expect(cell.locator("[data-footnote-for]")).to_have_text(re.compile(r"\(footnote \d+\)"))

    assert stored(by_mouse).value == "no"
    assert stored(by_keys).value == "nd"
    assert stored(annotated).note == "Confirmed by the\nmunicipality's office."
    assert stored(annotated).updated_by == officer

    page.reload()
    expect(page.locator(f'fieldset[data-cell="{by_mouse}"]').get_by_label("No", exact=True)).to_be_checked()
    expect(page.locator(f'fieldset[data-cell="{by_keys}"]').get_by_label("No data", exact=True)).to_be_checked()
    expect(page.locator(f'fieldset[data-cell="{annotated}"] textarea')).to_have_value(
        "Confirmed by the\nmunicipality's office."
    )
    expect(status).to_have_text("Changes are saved as you make them.")


def test_a_failed_save_says_so_retries_and_keeps_typed_text_across_a_reload(browser_page, live_server, officer, sheet):
    page = browser_page
    login(page, live_server, "olga", "pw-olga")
    open_sheet(page, live_server, sheet)
    status = page.locator("#autosave-status")
    page.route("**/answer/", lambda route: route.abort())

    key, _ = cell_with(sheet, "yes")
    cell = page.locator(f'fieldset[data-cell="{key}"]')
    cell.get_by_label("No data", exact=True).click()
    expect(status).to_contain_text("Not saved")
    expect(page.get_by_role("button", name="Retry")).to_be_visible()
    cell.locator("summary").click()
    cell.locator("textarea").fill("Typed while the connection was down.")
    expect(status).to_contain_text("Not saved")
    assert stored(key).value == "yes"

    # Leaving warns; after the reload the typed changes come back from localStorage and are saved.
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.unroute("**/answer/")
    page.reload()
    assert dialogs == ["beforeunload"]
    expect(status).to_have_text("Saved")
    answer = stored(key)
    assert (answer.value, answer.note) == ("nd", "Typed while the connection was down.")
    expect(cell.get_by_label("No data", exact=True)).to_be_checked()


def test_save_pressed_while_a_cell_is_being_autosaved_waits_for_it(browser_page, live_server, officer, sheet):
    """The autosave has reached the server but its answer (the new version) has not come back when
    Save is pressed: the form must not post the old version and meet the officer's own change as
    somebody else's (a conflict page); it posts once the answer is in."""
    page = browser_page
    login(page, live_server, "olga", "pw-olga")
    open_sheet(page, live_server, sheet)
    held = []
    page.route("**/answer/", lambda route: held.append((route, route.fetch())))
    first, _ = cell_with(sheet, "yes")
    second, _ = cell_with(sheet, "yes", skip=1)
    page.locator(f'fieldset[data-cell="{first}"]').get_by_label("No", exact=True).click()
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held and stored(first).value == "no"  # saved on the server, the answer held back
    page.locator(f'fieldset[data-cell="{second}"]').get_by_label("No data", exact=True).click()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_timeout(300)
    # still on the editor, waiting: not on a conflict page, and nothing else sent meanwhile
    assert page.locator("#sheet-form").count() == 1 and len(held) == 1
    route, response = held[0]
    with page.expect_navigation():
        route.fulfill(response=response)
    page.unroute("**/answer/")
    expect(page.locator(".alert-success")).to_contain_text("Saved 1 change.")
    assert stored(first).value == "no" and stored(second).value == "nd"


def test_retry_button_sends_what_failed(browser_page, live_server, officer, sheet):
    page = browser_page
    login(page, live_server, "olga", "pw-olga")
    open_sheet(page, live_server, sheet)
    page.route("**/answer/", lambda route: route.fulfill(status=503, body="down for maintenance"))
    key, _ = cell_with(sheet, "yes")
    page.locator(f'fieldset[data-cell="{key}"]').get_by_label("No", exact=True).click()
    expect(page.locator("#autosave-status")).to_contain_text("Not saved — the server answered 503")
    page.unroute("**/answer/")
    page.get_by_role("button", name="Retry").click()
    expect(page.locator("#autosave-status")).to_have_text("Saved")
    assert stored(key).value == "no"


def a_cell_the_colleague_changes_meanwhile(page, live_server, sheet, colleague):
    """Olga opens the sheet, then her colleague changes one of its "yes" cells to "no" with a note:
    the cell's key and its fieldset on Olga's page, which still shows "yes"."""
    login(page, live_server, "olga", "pw-olga")
    open_sheet(page, live_server, sheet)
    key, answer = cell_with(sheet, "yes")
    save_cells(
        sheet, colleague, [CellEdit(answer.statement_id, answer.respondent_id, "no", "Paola's note.", answer.version)]
    )
    return key, page.locator(f'fieldset[data-cell="{key}"]')


def test_a_conflict_shows_both_answers_and_lets_the_officer_choose(
    browser_page, live_server, officer, colleague, sheet
):
    page = browser_page
    key, cell = a_cell_the_colleague_changes_meanwhile(page, live_server, sheet, colleague)
    cell.get_by_label("No data", exact=True).click()
    expect(page.locator("#autosave-status")).to_contain_text("Not saved — somebody else changed 1 answer")
    conflict = cell.locator("[data-conflict]")
    expect(conflict).to_contain_text("paola changed the answer")
    expect(conflict).to_contain_text("Paola's note.")
    conflict.get_by_role("button", name="Take mine").click()
    expect(page.locator("#autosave-status")).to_have_text("Saved")
    # Mine where both changed the cell (the answer); theirs where only Paola did (the annotation).
    assert (stored(key).value, stored(key).note) == ("nd", "Paola's note.")
    expect(cell.locator("textarea")).to_have_value("Paola's note.")


def test_keep_theirs_shows_their_answer_in_the_cell(browser_page, live_server, officer, colleague, sheet):
    page = browser_page
    key, cell = a_cell_the_colleague_changes_meanwhile(page, live_server, sheet, colleague)
    cell.get_by_label("No data", exact=True).click()
    cell.get_by_role("button", name="Keep theirs").click()
    expect(cell.get_by_label("No", exact=True)).to_be_checked()
    expect(cell.locator("textarea")).to_have_value("Paola's note.")
    expect(page.locator("#autosave-status")).to_have_text("Saved")
    assert stored(key).value == "no"


def test_two_windows_merge_a_note_and_an_answer_and_name_you_in_a_real_conflict(
    request, browser_page, live_server, officer, sheet
):
    first = browser_page
    second = new_page(chromium(request), live_server)
    for page in (first, second):
        login(page, live_server, "olga", "pw-olga")
        open_sheet(page, live_server, sheet)
    key, _ = cell_with(sheet, "yes")
    in_first = first.locator(f'fieldset[data-cell="{key}"]')
    in_second = second.locator(f'fieldset[data-cell="{key}"]')

    # The second window adds an annotation; the first, still showing the old cell, changes the answer.
    in_second.locator("summary").click()
    in_second.locator("textarea").fill("From the second window.")
    expect(second.locator("#autosave-status")).to_have_text("Saved")
    in_first.get_by_label("No data", exact=True).click()
    expect(first.locator("#autosave-status")).to_have_text("Saved")  # no conflict: different parts
    assert (stored(key).value, stored(key).note) == ("nd", "From the second window.")
    expect(in_first.locator("textarea")).to_have_value("From the second window.")

    # Now both change the annotation: a conflict on the annotation alone, and it was me.
    in_first.locator("summary").click()
    in_first.locator("textarea").fill("From the first window.")
    expect(first.locator("#autosave-status")).to_have_text("Saved")
    in_second.locator("textarea").fill("Second window again.")
    conflict = in_second.locator("[data-conflict]")
    expect(conflict).to_contain_text("You changed the annotation in another window")
    expect(conflict).to_contain_text("In the other window: No data — “From the first window.”")
    expect(second.locator("#autosave-status")).to_have_text(
        "Not saved — you changed the same answer in another window: choose in the highlighted cell."
    )
    assert stored(key).note == "From the first window."
    second.context.close()


def test_without_javascript_the_save_button_saves_everything(request, live_server, officer, sheet):
    page = new_page(chromium(request), live_server, java_script_enabled=False)
    try:
        login(page, live_server, "olga", "pw-olga")
        page.goto(f"{live_server.url}/sheets/{sheet.pk}/")
        key, _ = cell_with(sheet, "yes")
        cell = page.locator(f'fieldset[data-cell="{key}"]')
        cell.get_by_label("No data", exact=True).check()
        cell.locator("summary").click()
        cell.locator("textarea").fill("Saved by the button.")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_text("Saved 1 change.")).to_be_visible()
        assert (stored(key).value, stored(key).note) == ("nd", "Saved by the button.")
    finally:
        page.context.close()


def test_coordinator_finds_the_sheet_read_only(browser_page, live_server, coordinator, sheet):
    page = browser_page
    login(page, live_server, "carlo", "pw-carlo")
    page.get_by_role("link", name="Municipality").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Municipality")
    expect(page.locator("main input, main textarea, main select")).to_have_count(0)
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("✓")


def test_submit_return_and_validate_in_the_browser(request, browser_page, live_server, officer, admin_user, sheet):
    olga = browser_page
    login(olga, live_server, "olga", "pw-olga")
    olga.goto(f"{live_server.url}/sheets/{sheet.pk}/")
    olga.get_by_role("button", name="Submit for validation").click()
    olga.get_by_role("dialog").get_by_role("button", name="Submit and lock the sheet").click()
    expect(olga.locator(".alert-success")).to_contain_text("the sheet is now submitted")
    expect(olga.locator("fieldset.sheet-cell")).to_have_count(0)

    boss = new_page(chromium(request), live_server)
    try:
        login(boss, live_server, "boss", "pw-boss")
        boss.goto(f"{live_server.url}/sheets/{sheet.pk}/")
        boss.get_by_label(re.compile(r"Comment \(required")).fill("Please add the source of 2.3.")
        boss.get_by_role("button", name="Return to the officer").click()
        expect(boss.locator(".alert-success")).to_contain_text("the sheet is now draft")

        olga.reload()
        expect(olga.get_by_role("note")).to_contain_text("Please add the source of 2.3.")
        expect(olga.locator("fieldset.sheet-cell").first).to_be_visible()
        olga.get_by_role("button", name="Submit for validation").click()
        olga.get_by_role("dialog").get_by_role("button", name="Submit and lock the sheet").click()
        expect(olga.locator(".alert-success")).to_contain_text("the sheet is now submitted")

        boss.reload()
        boss.get_by_role("button", name="Validate").click()
        expect(boss.locator(".alert-success")).to_contain_text("the sheet is now validated")
        expect(boss.locator("main")).to_contain_text("read-only for everyone until an admin reopens it")
    finally:
        boss.context.close()

    olga.reload()
    expect(olga.locator("fieldset.sheet-cell")).to_have_count(0)
    sheet.refresh_from_db()
    assert sheet.status == Sheet.Status.VALIDATED
    assert list(sheet.transitions.order_by("at", "id").values_list("action", flat=True)) == [
        "submit",
        "return",
        "submit",
        "validate",
    ]

"""Submitting a sheet: a confirmation saying what locks and who reviews (a page without
JavaScript, a dialog with it), the open cells highlighted, a "Next open answer" control, and
the "still open" count as a link to the first open cell."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from playwright.sync_api import expect

from assessments.models import Answer, Sheet, SheetTransition
from tests.browser import chromium, login, new_page
from tests.factories import make_checklist, make_sheet


def open_up(sheet, *positions):
    """Clear the answers of the statements at `positions` of level 1, for every column;
    returns the cell keys cleared, in reading order."""
    answers = Answer.objects.filter(
        respondent__sheet=sheet, statement__level__number=1, statement__position__in=positions
    ).order_by("statement__position", "respondent__position")
    keys = [f"{a.statement_id}-{a.respondent_id}" for a in answers]
    answers.update(value="")
    sheet.touch(None, fields=[])
    return keys


def test_confirmation_page_says_what_locks_and_who_reviews(officer_client, sheet):
    html = officer_client.get(reverse("sheets:submit", args=[sheet.pk])).content.decode()
    assert "Submit this sheet for validation?" in html
    assert "nobody can change the answers" in html and "the MEGA programme’s staff" in html
    assert ">Submit and lock the sheet</button>" in html
    assert "data-open-warning hidden" in html
    assert not SheetTransition.objects.exists()


def test_confirmation_page_of_an_incomplete_sheet_links_to_the_first_open_cell(officer_client, sheet):
    keys = open_up(sheet, 2, 3)
    html = officer_client.get(reverse("sheets:submit", args=[sheet.pk])).content.decode()
    assert re.search(
        rf'href="/sheets/{sheet.pk}/#cell-{keys[0]}"[^>]*>\s*<span data-open-count>'
        rf"{len(keys)} of \d+ answers are still open\.",
        html,
    )
    assert "Submit and lock the sheet" not in html
    editor = officer_client.get(reverse("sheets:edit", args=[sheet.pk])).content.decode()
    assert f'id="cell-{keys[0]}"' in editor
    assert editor.count("sheet-cell is-open") == len(keys)


def test_refused_submit_links_its_count_to_the_first_open_cell(officer_client, sheet):
    keys = open_up(sheet, 3)
    response = officer_client.post(reverse("sheets:submit", args=[sheet.pk]), {"version": sheet.version}, follow=True)
    html = response.content.decode()
    assert f'<a href="#cell-{keys[0]}">{len(keys)} of ' in html
    assert f'id="cell-{keys[0]}"' in html
    sheet.refresh_from_db()
    assert sheet.status == Sheet.Status.DRAFT


def test_coordinator_gets_no_confirmation_page(client, coordinator, sheet):
    client.force_login(coordinator)
    assert client.get(reverse("sheets:submit", args=[sheet.pk])).status_code == 403


def test_confirmation_page_of_a_submitted_sheet_offers_nothing_to_submit(officer_client, officer, sheet):
    officer_client.post(reverse("sheets:submit", args=[sheet.pk]), {"version": sheet.version})
    html = officer_client.get(reverse("sheets:submit", args=[sheet.pk])).content.decode()
    assert "only a draft can be submitted" in html and "Submit and lock" not in html


@pytest.mark.browser
def test_without_javascript_submit_goes_through_the_confirmation_page(request, live_server, officer, sheet):
    page = new_page(chromium(request), live_server, java_script_enabled=False)
    try:
        login(page, live_server, "olga", "pw-olga")
        page.goto(f"{live_server.url}/sheets/{sheet.pk}/")
        page.get_by_role("button", name="Submit for validation").click()
        expect(page.get_by_role("heading", name="Submit this sheet for validation?")).to_be_visible()
        sheet.refresh_from_db()
        assert sheet.status == Sheet.Status.DRAFT
        page.get_by_role("button", name="Submit and lock the sheet").click()
        expect(page.locator(".alert-success")).to_contain_text("the sheet is now submitted")
    finally:
        page.context.close()
    sheet.refresh_from_db()
    assert sheet.status == Sheet.Status.SUBMITTED


@pytest.mark.browser
def test_officer_walks_the_open_answers_then_confirms_in_a_dialog(browser_page, live_server, officer, sheet):
    keys = open_up(sheet, 2, 3)
    page = browser_page
    login(page, live_server, "olga", "pw-olga")
    page.goto(f"{live_server.url}/sheets/{sheet.pk}/")
    expect(page.locator("fieldset.sheet-cell.is-open")).to_have_count(len(keys))
    count = page.locator("form.workflow-form [data-open-link]")
    expect(count).to_contain_text(f"{len(keys)} of ")

    # "Next open answer" visits the open cells in reading order, one per press.
    next_open = page.get_by_role("link", name="Next open answer")
    for key in keys[:2]:
        next_open.click()
        expect(page.locator(f"#cell-{key} input[type=radio]:focus")).to_have_count(1)

    # Answering them takes away their highlight and updates the count.
    for key in keys:
        page.locator(f"#cell-{key} input[value=nd]").check()
    expect(page.locator("fieldset.sheet-cell.is-open")).to_have_count(0)
    expect(count).to_be_hidden()
    expect(next_open).to_be_hidden()
    expect(page.locator("#autosave-status")).to_have_text("Saved")

    # Submit asks first, in a dialog; "Back to the sheet" changes nothing.
    page.get_by_role("button", name="Submit for validation").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("It locks")
    expect(dialog).to_contain_text("Who reviews it")
    dialog.get_by_role("button", name="Back to the sheet").click()
    expect(dialog).to_be_hidden()
    sheet.refresh_from_db()
    assert sheet.status == Sheet.Status.DRAFT

    page.get_by_role("button", name="Submit for validation").click()
    dialog.get_by_role("button", name="Submit and lock the sheet").click()
    expect(page.locator(".alert-success")).to_contain_text("the sheet is now submitted")
    sheet.refresh_from_db()
    assert sheet.status == Sheet.Status.SUBMITTED


@pytest.mark.browser
def test_the_count_in_the_dialog_goes_to_the_first_open_cell(browser_page, live_server, officer, sheet):
    keys = open_up(sheet, 4)
    page = browser_page
    login(page, live_server, "olga", "pw-olga")
    page.goto(f"{live_server.url}/sheets/{sheet.pk}/")
    page.get_by_role("button", name="Submit for validation").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("button", name="Submit and lock the sheet")).to_be_hidden()
    dialog.get_by_role("link", name=re.compile("answers are still open")).click()
    expect(dialog).to_be_hidden()
    expect(page.locator(f"#cell-{keys[0]} input[type=radio]:focus")).to_have_count(1)


@pytest.mark.browser
def test_clearing_an_answer_of_a_complete_sheet_shows_the_count_and_the_control(
    browser_page, live_server, officer, sheet
):
    page = browser_page
    login(page, live_server, "olga", "pw-olga")
    page.goto(f"{live_server.url}/sheets/{sheet.pk}/")
    count = page.locator("form.workflow-form [data-open-link]")
    expect(count).to_be_hidden()
    first = page.locator("fieldset.sheet-cell").first
    first.locator('input[value=""]').check()
    expect(first).to_have_class(re.compile(r"\bis-open\b"))
    expect(count).to_be_visible()
    expect(count).to_contain_text("1 of ")
    expect(page.get_by_role("link", name="Next open answer")).to_be_visible()
    # The cleared answer is autosaved: let that request finish before the test's data goes.
    expect(page.locator("#autosave-status")).to_have_text("Saved")


def test_confirmation_page_costs_the_same_queries_for_a_small_and_a_large_sheet(officer_client, milan):
    counts = {}
    for statements, levels in {6: (2, 2, 2), 120: (40, 40, 40)}.items():
        sheet = make_sheet(
            milan,
            make_checklist(version=f"s{statements}", statements_per_level=levels),
            respondents=["Org A", "Org B"],
            round=f"s{statements}",
        )
        with CaptureQueriesContext(connection) as queries:
            response = officer_client.get(reverse("sheets:submit", args=[sheet.pk]))
        assert response.status_code == 200 and b"answers are still open" in response.content
        counts[statements] = len(queries)
    assert counts[6] == counts[120], counts

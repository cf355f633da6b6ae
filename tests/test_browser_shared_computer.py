"""A shared computer: unsaved answers the sheet editor keeps in the browser belong to the officer
who typed them. They are kept per user, and signing out clears them, so the next officer who
signs in on the same browser never sends them under their own name."""

import pytest
from playwright.sync_api import expect

from assessments.models import Answer, Sheet
from stakeholders.models import Assignment
from tests.browser import login
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sheet(milan):
    return Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="municipality")


@pytest.fixture
def second_officer(milan):
    return make_user("bruno", city=milan, role=Assignment.Role.OFFICER)


def leave_an_unsaved_answer(page, live_server, sheet):
    """Officer A changes a cell while the server cannot be reached: kept in the browser only."""
    answer = Answer.objects.filter(respondent__sheet=sheet, value="yes").order_by("pk").first()
    page.goto(f"{live_server.url}/sheets/{sheet.pk}/")
    page.route("**/answer/", lambda route: route.abort())
    page.locator(f'fieldset[data-cell="{answer.statement_id}-{answer.respondent_id}"]').get_by_label(
        "No data", exact=True
    ).click()
    expect(page.locator("#autosave-status")).to_contain_text("Not saved")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('mega-benchmark:sheet:'))")
    page.unroute("**/answer/")
    return answer


def open_as_the_next_officer(page, live_server, sheet, answer):
    """Officer B signs in on the same browser and opens the sheet: nothing of A's is sent."""
    sent = []
    page.on("request", lambda request: sent.append(request.url) if request.url.endswith("/answer/") else None)
    login(page, live_server, "bruno", "pw-bruno")
    page.goto(f"{live_server.url}/sheets/{sheet.pk}/")
    expect(page.locator("#autosave-status")).to_have_text("Changes are saved as you make them.")
    page.wait_for_timeout(1000)  # the editor restores and sends at once; give it time to (wrongly) do so
    cell = page.locator(f'fieldset[data-cell="{answer.statement_id}-{answer.respondent_id}"]')
    expect(cell.get_by_label("Yes", exact=True)).to_be_checked()
    assert sent == []
    stored = Answer.objects.get(pk=answer.pk)
    assert (stored.value, stored.version) == ("yes", answer.version)


def test_signing_out_clears_the_unsaved_answers(browser_page, live_server, officer, second_officer, sheet):
    page = browser_page
    login(page, live_server, "olga", "pw-olga")
    answer = leave_an_unsaved_answer(page, live_server, sheet)
    page.on("dialog", lambda dialog: dialog.accept())  # "leave with unsaved changes?"
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    assert page.evaluate("localStorage.length") == 0
    open_as_the_next_officer(page, live_server, sheet, answer)


def test_without_signing_out_the_next_officer_gets_nothing_either(
    browser_page, live_server, officer, second_officer, sheet
):
    """Officer A's session ends without a sign-out (the browser kept running, the cookie went):
    A's answers are still in the browser, under A's name, and stay there."""
    page = browser_page
    login(page, live_server, "olga", "pw-olga")
    answer = leave_an_unsaved_answer(page, live_server, sheet)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/accounts/login/")
    page.context.clear_cookies()
    open_as_the_next_officer(page, live_server, sheet, answer)
    assert page.evaluate("Object.keys(localStorage)") == [f"mega-benchmark:sheet:{sheet.pk}:user:{officer.pk}"]


def test_the_report_editors_unsaved_text_belongs_to_its_writer(
    browser_page, live_server, officer, second_officer, milan
):
    """The report editor keeps unsaved text in the browser too: under its writer's name only."""
    from assessments.models import CityReport

    page = browser_page
    login(page, live_server, "olga", "pw-olga")
    url = f"{live_server.url}/cities/milan/2018/edit/"
    page.goto(url)
    page.route("**/autosave/", lambda route: route.abort())
    page.locator('textarea[name="national_context"]').fill("Olga's unsaved draft")
    expect(page.locator("#autosave-status")).to_contain_text("Not saved", timeout=10000)
    assert page.evaluate("Object.keys(localStorage)") == [
        f"mega-benchmark:report:/cities/milan/2018/edit/autosave/:user:{officer.pk}"
    ]
    page.unroute("**/autosave/")
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/accounts/login/")
    page.context.clear_cookies()

    sent = []
    page.on("request", lambda request: sent.append(request.url) if request.url.endswith("/autosave/") else None)
    login(page, live_server, "bruno", "pw-bruno")
    page.goto(url)
    page.wait_for_timeout(1500)  # the editor restores and sends at once; give it time to (wrongly) do so
    assert sent == []
    assert "Olga's unsaved draft" not in page.locator('textarea[name="national_context"]').input_value()
    assert "Olga's unsaved draft" not in CityReport.objects.get(city=milan).national_context

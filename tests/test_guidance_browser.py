"""In Chromium: two participants of Milan rate the six statements; the results count both."""

import os
import shutil

import pytest
from django.test import Client
from django.urls import reverse

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing, and CI=true: the browser tests must run")
        pytest.skip("Chromium is not installed")
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    # Playwright's sync API runs an event loop in this thread; only for these tests (a leftover
    # variable would fail `check --deploy` in later tests).
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            yield browser
            browser.close()
    finally:
        if before is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


def page_for(browser, live_server, user):
    """A browser page signed in as `user` (the session cookie of a test client login)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context()
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


def rate_all(page, live_server, scores):
    page.goto(live_server.url + reverse("guidance:rate", args=["6", "milan", "2018"]))
    for number, choice in scores.items():
        fieldset = page.locator(f'fieldset[data-statement="{number}"]')
        fieldset.get_by_text(choice, exact=True).click()
        assert fieldset.get_by_role("radio", name=choice, exact=True).is_checked()
    page.get_by_role("button", name="Save my ratings").click()
    page.wait_for_url("**/results/")


def test_two_participants_rate_and_the_results_count_both(browser, live_server, officer, coordinator):
    officer_page = page_for(browser, live_server, officer)
    rate_all(
        officer_page,
        live_server,
        {"6.1": "2", "6.2": "4", "6.3": "No answer", "6.4": "6", "6.5": "8", "6.6": "No answer"},
    )
    assert officer_page.locator("[data-participants]").inner_text() == "1"
    assert "Your ratings are saved." in officer_page.content()

    coordinator_page = page_for(browser, live_server, coordinator)
    rate_all(
        coordinator_page, live_server, {"6.1": "6", "6.2": "10", "6.3": "No answer", "6.4": "0", "6.5": "7", "6.6": "3"}
    )

    page = coordinator_page
    assert page.locator("[data-participants]").inner_text() == "2"

    def cell(number, name):
        return page.locator(f'tr[data-statement="{number}"] [data-{name}]').inner_text()

    assert [cell(n, "count") for n in ["6.1", "6.2", "6.4", "6.5"]] == ["2", "2", "2", "2"]
    assert (cell("6.1", "mean"), cell("6.1", "spread")) == ("4.0", "2–6")
    assert (cell("6.3", "mean"), cell("6.3", "count"), cell("6.3", "no-answer")) == ("–", "0", "2")
    assert (cell("6.6", "mean"), cell("6.6", "count"), cell("6.6", "no-answer")) == ("3.0", "1", "1")
    # Lowest mean first: 6.4 (3.0) and 6.6 (3.0) before 6.1 (4.0); 6.3 (no mean) last.
    order = page.locator("section.lowest-first").evaluate_all("els => els.map(e => e.dataset.statement)")
    assert order == ["6.4", "6.6", "6.1", "6.2", "6.5", "6.3"]
    assert page.locator("svg.results-chart rect").count() == 5  # no bar for 6.3

    if os.environ.get("GUIDANCE_SCREENSHOTS"):
        page.screenshot(path=os.environ["GUIDANCE_SCREENSHOTS"] + "/results.png", full_page=True)
    # The officer’s own page still shows the officer's ratings, not the coordinator's.
    officer_page.goto(live_server.url + reverse("guidance:rate", args=["6", "milan", "2018"]))
    assert (
        officer_page.locator('fieldset[data-statement="6.1"]').get_by_role("radio", name="2", exact=True).is_checked()
    )


def test_what_helps_appears_in_the_editor_when_a_statement_is_answered_no(browser, live_server, officer):
    from assessments.models import Sheet, Statement

    sheet = Sheet.objects.get(city__slug="milan", round__name="2018", checklist__stakeholder_type__slug="municipality")
    statement = Statement.objects.get(level__checklist=sheet.checklist, level__number=2, position=5)  # answered yes
    respondent = sheet.respondents.first()
    page = page_for(browser, live_server, officer)
    page.goto(live_server.url + reverse("sheets:edit", args=[sheet.pk]))
    row = page.locator("tr", has=page.locator(f"#statement-{statement.pk}"))
    pointer = row.locator("[data-what-helps]")
    assert pointer.is_hidden()
    row.locator(f"label[for='v{statement.pk}-{respondent.pk}-no']").click()
    pointer.wait_for(state="visible")
    assert "OECD guidance 6.2" in pointer.inner_text()
    pointer.get_by_role("link", name="OECD guidance 6.2").click()
    page.wait_for_url("**/guidance/6/6.2/")
    assert "Recommended actions" in page.content()

"""Shared helpers for the browser tests: a real Chromium driven by Playwright.

Use them from a test module:

    from tests.browser import login  # the browser_page fixture comes through tests/conftest.py

    @pytest.mark.browser
    def test_something(browser_page, live_server, officer):
        login(browser_page, live_server, "olga", "pw-olga")

A test that needs a second person at the same time opens another page with
`new_page(chromium(request), live_server)`.

The browser is Debian's `chromium` (`CHROMIUM` overrides the path); Playwright's own browser
downloads are never used. Without Chromium the tests are skipped, unless CI=true, where they
fail: in CI the browser tests must run.
"""

import os
import time

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15000


def chromium_missing():
    """Why the browser tests cannot run here, or None."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium is not installed at {CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed"
    return None


_session = {}


def chromium(request):
    """The Chromium of the current test module: launched on first use, closed when the module's
    tests are done (so that another module may start its own Playwright afterwards)."""
    if "browser" not in _session:
        missing = chromium_missing()
        if missing:
            if os.environ.get("CI") == "true":
                pytest.fail(f"{missing}, and CI=true: the browser tests must run in CI.")
            pytest.skip(f"{missing}: browser tests skipped (they run in CI).")
        from playwright.sync_api import sync_playwright

        # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
        # while one runs unless told that this is safe (it is: the loop only drives the
        # browser). Set only while a browser runs, so that it reaches no other test's
        # subprocess (`manage.py check --deploy` rightly refuses it).
        before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        playwright = sync_playwright().start()
        _session["browser"] = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def stop():
            try:
                _session.pop("browser").close()
                playwright.stop()
            finally:
                if before is None:
                    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
                else:
                    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before

        request.node.getparent(pytest.Module).addfinalizer(stop)
    return _session["browser"]


def new_page(browser, live_server, **context_options):
    """A page in a fresh browser context (its own cookies and storage)."""
    context = browser.new_context(base_url=live_server.url, **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


@pytest.fixture
def browser_page(request, live_server):
    """A fresh page (in its own browser context) for one test, closed afterwards; a JavaScript
    error on the page fails the test."""
    page = new_page(chromium(request), live_server)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    pending = set()
    page.on("request", lambda sent: pending.add(sent))
    page.on("requestfinished", lambda done: pending.discard(done))
    page.on("requestfailed", lambda failed: pending.discard(failed))
    yield page
    # Requests the page has already sent (an autosave, say) finish before the test's data is
    # emptied: the live server would otherwise still hold a transaction while PostgreSQL flushes.
    deadline = time.monotonic() + 10
    while pending and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    page.context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def login(page, live_server, username, password):
    """Sign in through the sign-in form, as a person would; ends on the home page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def create_round_2026_with_turin(page):
    """Staff, signed in: create round 2026 on the Rounds page and add the new city Turin (Italy)."""
    from playwright.sync_api import expect

    page.get_by_role("link", name="Rounds").click()
    page.get_by_role("link", name="New round").click()
    page.get_by_label("Name").fill("2026")
    page.get_by_label("Opening date").fill("2026-01-10")
    page.get_by_label("Due date").fill("2026-03-31")
    page.get_by_label("Publication date").fill("2026-06-30")
    page.get_by_role("button", name="Create the round").click()
    expect(page.locator(".alert-success")).to_contain_text("Created round 2026")
    page.get_by_label("or a new city’s name").fill("Turin")
    page.get_by_label("the new city’s country").fill("Italy")
    page.get_by_role("button", name="Add the city").click()
    expect(page.locator(".alert-success")).to_contain_text("Added Turin to round 2026")


def answer_all_and_submit(page):
    """On an open sheet editor: answer every cell "Yes", let the autosaves finish, reload, and
    submit through the confirmation dialog, as an officer would."""
    from playwright.sync_api import expect

    expect(page.locator("#autosave-status")).to_have_text("Changes are saved as you make them.")
    cells = page.locator("fieldset.sheet-cell")
    for index in range(cells.count()):
        cells.nth(index).get_by_label("Yes", exact=True).click()
    expect(page.locator("#autosave-status")).to_have_text("Saved")
    page.reload()
    page.get_by_role("button", name="Submit for validation").click()
    page.get_by_role("dialog").get_by_role("button", name="Submit and lock the sheet").click()
    expect(page.locator(".alert-success")).to_contain_text("the sheet is now submitted")

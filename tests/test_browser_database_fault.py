"""The sheet editor in Chromium when the server loses its database in the middle of an autosave:
the server's real 503 (mega/middleware.py) reaches the script, which says "Not saved", keeps the
answer and the typed annotation, and sends them again by itself until they are saved."""

import pytest
from django.db import OperationalError
from playwright.sync_api import expect

from assessments import cells
from assessments.models import Answer, Sheet
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sheet(milan):
    return Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="municipality")


@pytest.fixture
def database_lost_once(monkeypatch):
    """The first answer the server writes fails as a lost connection does; later ones succeed."""
    real = cells._stage
    failures = []

    def write(answer, edit, user, why):
        if not failures:
            failures.append(edit)
            raise OperationalError("server closed the connection unexpectedly")
        return real(answer, edit, user, why)

    monkeypatch.setattr(cells, "_stage", write)
    return failures


def test_a_save_that_loses_the_database_is_kept_shown_and_retried(
    browser_page, live_server, officer, sheet, database_lost_once
):
    page = browser_page
    login(page, live_server, "olga", "pw-olga")
    page.goto(f"{live_server.url}/sheets/{sheet.pk}/")
    status = page.locator("#autosave-status")
    expect(status).to_have_text("Changes are saved as you make them.")
    answer = Answer.objects.filter(respondent__sheet=sheet, value="yes", note="").order_by("id").first()
    key = f"{answer.statement_id}-{answer.respondent_id}"
    replies = []
    page.on("response", lambda response: replies.append(response.status) if response.url.endswith("/answer/") else None)

    cell = page.locator(f'fieldset[data-cell="{key}"]')
    cell.locator("summary").click()
    cell.locator("textarea").fill("Typed while the database was away.")
    expect(status).to_contain_text("Not saved — the server cannot reach its database")
    expect(page.get_by_role("button", name="Retry")).to_be_visible()
    expect(cell.locator("textarea")).to_have_value("Typed while the database was away.")

    # No click needed: the script sends it again by itself.
    expect(status).to_have_text("Saved", timeout=10000)
    assert replies[:2] == [503, 200]
    assert len(database_lost_once) == 1
    answer.refresh_from_db()
    assert (answer.value, answer.note) == ("yes", "Typed while the database was away.")

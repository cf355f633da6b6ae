"""A round run end to end in a real Chromium, without the Django admin: staff create round 2026
and add Turin, Turin's officer fills in a sheet and submits it, staff validate it from the
review queue. Screenshots of the dashboard go to /tmp/h13a/ for a person to look at."""

import os

import pytest
from playwright.sync_api import expect

from assessments.models import Round, Sheet
from stakeholders.models import Assignment, City
from tests.browser import answer_all_and_submit, chromium, create_round_2026_with_turin, login, new_page
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = os.environ.get("SCREENSHOTS", "/tmp/h13a")


def test_staff_run_a_round_for_a_new_city(request, browser_page, live_server, admin_user, milan):
    boss = browser_page
    login(boss, live_server, "boss", "pw-boss")
    create_round_2026_with_turin(boss)
    turin = City.objects.get(slug="turin")
    assert Sheet.objects.filter(city=turin, round__name="2026").count() == 4

    make_user("tina", city=turin, role=Assignment.Role.OFFICER)
    tina = new_page(chromium(request), live_server)
    try:
        login(tina, live_server, "tina", "pw-tina")
        tina.get_by_role("link", name="Chamber of Commerce").first.click()
        answer_all_and_submit(tina)
    finally:
        tina.context.close()

    boss.goto(f"{live_server.url}/rounds/2026/")
    queue = boss.locator("#review-queue")
    expect(queue).to_contain_text("Turin – Chamber of Commerce")
    for width in (1366, 390):
        boss.set_viewport_size({"width": width, "height": 900})
        boss.screenshot(path=f"{SCREENSHOTS}/dashboard-{width}.png", full_page=True)
    queue.get_by_role("link", name="Turin – Chamber of Commerce").click()
    boss.get_by_role("button", name="Validate").click()
    expect(boss.locator(".alert-success")).to_contain_text("the sheet is now validated")
    sheet = Sheet.objects.get(
        city=turin, round=Round.objects.get(name="2026"), checklist__stakeholder_type__slug="chamber"
    )
    assert sheet.status == Sheet.Status.VALIDATED
    assert list(sheet.transitions.values_list("action", "by__username")) == [("submit", "tina"), ("validate", "boss")]

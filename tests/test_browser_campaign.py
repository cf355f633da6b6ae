"""A whole benchmarking campaign for a new city, in a real Chromium and without the Django admin:
staff create round 2026 and add Turin, invite its officer, whose e-mailed link sets a password;
the officer fills in a sheet and submits it; staff validate it; a coordinator is invited the same
way and downloads Turin's report as a PDF."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Sheet
from tests.browser import answer_all_and_submit, chromium, create_round_2026_with_turin, login, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-Long-enough-passw0rd"


def invite(staff, address, role, city):
    staff.get_by_role("link", name="People").click()
    staff.get_by_role("link", name="Invite a person").click()
    staff.get_by_label("E-mail address").fill(address)
    staff.get_by_label(role).check()
    staff.get_by_label(city, exact=True).check()
    staff.get_by_role("button", name="Send the invitation").click()
    expect(staff.get_by_text(f"Invitation sent to {address}.")).to_be_visible()


def accept(request, live_server, message):
    """A new browser follows the e-mailed link and chooses a password: signed in, on its home."""
    link = re.search(r"https?://\S+/people/join/\S+/", message.body)[0]
    page = new_page(chromium(request), live_server)
    page.goto(link)
    page.get_by_label("New password").first.fill(PASSWORD)
    page.get_by_label("New password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Set my password and sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_a_new_city_is_benchmarked_from_round_to_pdf(
    request, browser_page, live_server, admin_user, milan, mailoutbox, settings
):
    settings.SITE_URL = live_server.url
    admin_user.email = "boss@example.org"  # staff review the submitted sheets: they hear of each
    admin_user.save()
    staff = browser_page
    login(staff, live_server, "boss", "pw-boss")
    create_round_2026_with_turin(staff)

    invite(staff, "tina@example.org", "Benchmarking officer", "Turin")
    officer = accept(request, live_server, mailoutbox[-1])
    try:
        expect(officer.get_by_role("heading", name="Turin 2026", level=2)).to_be_visible()
        officer.get_by_role("link", name="Chamber of Commerce").first.click()
        answer_all_and_submit(officer)
    finally:
        officer.context.close()
    [submitted] = [m for m in mailoutbox if m.to == ["boss@example.org"]]
    assert "Turin" in submitted.subject and "/sheets/" in submitted.body

    staff.goto(f"{live_server.url}/rounds/2026/")
    staff.locator("#review-queue").get_by_role("link", name="Turin – Chamber of Commerce").click()
    staff.get_by_role("button", name="Validate").click()
    expect(staff.locator(".alert-success")).to_contain_text("the sheet is now validated")
    sheet = Sheet.objects.get(city__slug="turin", round__name="2026", checklist__stakeholder_type__slug="chamber")
    assert sheet.status == Sheet.Status.VALIDATED

    invite(staff, "carla@example.org", "City coordinator", "Turin")
    coordinator = accept(request, live_server, mailoutbox[-1])
    try:
        coordinator.goto(f"{live_server.url}/cities/turin/2026/")
        with coordinator.expect_download() as download:
            coordinator.get_by_role("link", name="Download the report (PDF)").click()
        assert download.value.suggested_filename == "mega-turin-2026-report.pdf"
        with open(download.value.path(), "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
    finally:
        coordinator.context.close()

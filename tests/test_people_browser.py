"""In a real Chromium: staff invite an officer, the officer follows the e-mailed link, chooses a
password and lands on their home; the pages on the way meet WCAG 2.1 AA (axe-core)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import chromium, login, new_page
from tests.axe import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-Long-enough-passw0rd"


def assert_accessible(page):
    violations = axe_violations(page)
    assert not violations, f"{page.url}:\n{describe(violations)}"


def test_staff_invite_an_officer_who_chooses_a_password_and_lands_on_their_home(
    request, browser_page, live_server, admin_user, milan, mailoutbox, settings
):
    settings.SITE_URL = live_server.url
    staff = browser_page
    login(staff, live_server, "boss", "pw-boss")
    staff.get_by_role("link", name="People").click()
    staff.get_by_role("link", name="Invite a person").click()
    staff.get_by_label("E-mail address").fill("anna@example")
    staff.get_by_role("button", name="Send the invitation").click()
    expect(staff.get_by_text("Enter a valid email address.")).to_be_visible()
    expect(staff.get_by_text("Choose at least one city.")).to_be_visible()
    assert_accessible(staff)
    staff.get_by_label("E-mail address").fill("anna@example.org")
    staff.get_by_label("Benchmarking officer").check()
    staff.get_by_label("Milan").check()
    staff.get_by_role("button", name="Send the invitation").click()
    expect(staff.get_by_text("Invitation sent to anna@example.org.")).to_be_visible()
    expect(staff.get_by_role("listitem").filter(has_text="anna@example.org")).to_contain_text("Invited")
    assert_accessible(staff)

    [message] = mailoutbox
    link = re.search(r"https?://\S+/people/join/\S+/", message.body)[0]
    officer = new_page(chromium(request), live_server)
    try:
        officer.goto(link)
        expect(officer.get_by_role("heading", name="Welcome to MEGA Benchmark")).to_be_visible()
        assert "/join/" in officer.url and link not in officer.url  # the token is not kept in the address
        assert_accessible(officer)
        officer.get_by_label("New password").first.fill(PASSWORD)
        officer.get_by_label("New password confirmation").fill(PASSWORD)
        officer.get_by_role("button", name="Set my password and sign in").click()
        officer.wait_for_url(f"{live_server.url}/")
        expect(officer.get_by_role("heading", name="Milan 2018", level=2)).to_be_visible()
        expect(officer.get_by_text("Sign in next time with anna@example.org")).to_be_visible()
        # The language of their e-mails, on the profile page behind their name.
        officer.get_by_role("link", name="anna@example.org").click()
        officer.get_by_label("Language of e-mails").select_option("it")
        officer.get_by_role("button", name="Save").click()
        expect(officer.get_by_text("Saved: e-mails will be written in Italiano.")).to_be_visible()
        assert_accessible(officer)
        # The link works once.
        officer.goto(link)
        expect(officer.get_by_role("heading", name="This link cannot be used")).to_be_visible()
    finally:
        officer.context.close()

    staff.reload()
    expect(staff.get_by_role("listitem").filter(has_text="anna@example.org")).to_contain_text("Accepted")

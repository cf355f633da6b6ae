"""The admin under the site's Content-Security-Policy, in a real Chromium: every kind of admin page
(index, each model's list, add and change pages, history, import and export) loads without a
single CSP violation, and "Select all" on an export page works."""

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from assessments.models import Statement
from tests.browser import chromium, login, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff_page(request, live_server, milan, admin_user):
    """A superuser's page that records every CSP violation: the browser's console message and the
    document's securitypolicyviolation event (a script may not run, so both are watched)."""
    admin_user.is_superuser = True
    admin_user.save()
    page = new_page(chromium(request), live_server)
    page.violations = []
    page.on(
        "console",
        lambda message: (
            page.violations.append(f"{page.url}: {message.text}") if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script("""document.addEventListener('securitypolicyviolation', e =>
        console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));""")
    login(page, live_server, "boss", "pw-boss")
    yield page
    page.context.close()


def admin_urls():
    """One URL of each admin page kind for every registered model."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        urls += [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls += [reverse(f"{name}_change", args=[first.pk]), reverse(f"{name}_history", args=[first.pk])]
        for extra in ("import", "export"):
            try:
                urls.append(reverse(f"{name}_{extra}"))
            except NoReverseMatch:
                pass
    return urls


def test_every_admin_page_loads_without_a_csp_violation(staff_page, live_server):
    page = staff_page
    statuses = {}
    for url in admin_urls():
        statuses[url] = page.goto(live_server.url + url).status
    # Some models refuse additions in the admin (login attempts, ratings): 403, a page all the same.
    assert set(statuses.values()) <= {200, 403}, statuses
    assert list(statuses.values()).count(200) > 50, statuses
    assert not page.violations, "\n".join(page.violations)


def test_select_all_on_the_export_page_works_under_the_csp(staff_page, live_server):
    page = staff_page
    page.goto(live_server.url + reverse("admin:assessments_statement_export"))
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]')
    assert fields.count() >= 5
    select_all = page.get_by_label("Select all")
    expect(select_all).to_be_checked()

    select_all.uncheck()
    for index in range(fields.count()):
        expect(fields.nth(index)).not_to_be_checked()
    select_all.check()
    for index in range(fields.count()):
        expect(fields.nth(index)).to_be_checked()

    # The export itself still works.
    page.get_by_label("Format").select_option(label="csv")
    with page.expect_download() as download:
        page.get_by_role("button", name="Submit").click()
    assert download.value.suggested_filename.endswith(".csv")
    assert Statement.objects.exists()
    assert not page.violations, "\n".join(page.violations)

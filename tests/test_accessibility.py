"""WCAG 2.1 AA in a real Chromium: axe-core on every page type as officer, coordinator and admin,
a sheet filled in, saved and submitted with the keyboard alone, and the editor and the report at a
phone's width (what 200 % zoom of a small window also gives).

axe-core comes from npm (`package.json`, installed by `make test`); without it the tests are
skipped, except with CI=true, where they fail.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from assessments.cells import CellEdit, save_cells
from assessments.models import Answer, Round, Sheet
from matching.over_time import start_new_round
from tests.axe import axe_source, axe_violations, describe
from tests.browser import chromium, new_page
from tests.factories import make_checklist, make_sheet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(request, live_server, user, **options):
    """A page in a new browser context, signed in as `user` (a test client's session cookie)."""
    page = new_page(chromium(request), live_server, **options)
    if user is not None:
        client = Client()
        client.force_login(user)
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                },
            ]
        )
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    return page


def check_pages(page, live_server, urls):
    """Open each URL, run axe, and fail once with every violation of every page."""
    failures = []
    for url, status in urls:
        response = page.goto(live_server.url + url)
        assert response.status == status, f"{url}: HTTP {response.status}, expected {status}"
        violations = axe_violations(page)
        if violations:
            failures.append(f"{url} ({len(violations)} violations)\n{describe(violations)}")
    assert not page.js_errors, f"JavaScript errors: {page.js_errors}"
    assert not failures, "axe-core found WCAG 2.1 AA violations:\n" + "\n".join(failures)


@pytest.fixture
def world(milan, officer, coordinator, admin_user):
    sheet = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="municipality", round__name="2018")
    submitted = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="chamber", round__name="2018")
    submitted.status = Sheet.Status.SUBMITTED
    submitted.save(update_fields=["status"])
    # A second round, so that the rounds comparison has two sides.
    start_new_round(milan, Round.objects.get(name="2018"), Round.objects.create(name="2031"), True, admin_user)
    return {"officer": officer, "coordinator": coordinator, "admin": admin_user, "sheet": sheet, "submitted": submitted}


def pages_for(role, w):
    sheet, submitted = w["sheet"], w["submitted"]
    respondent = sheet.respondents.order_by("position").first()
    city = {"city": "milan", "round": "2018"}
    rate = {"module": "6", "city": "milan", "round": "2018"}
    editor = role in ("officer", "admin")
    urls = [
        (reverse("home"), 200),
        (reverse("sheets:edit", args=[sheet.pk]), 200),  # editable for officer and admin, read-only for coordinator
        (reverse("sheets:edit", args=[submitted.pk]), 200),  # read-only; the admin's validate / return forms
        (reverse("sheets:history", args=[sheet.pk]), 200),
        (reverse("reports:sheet", args=[sheet.pk]), 200),
        (reverse("reports:city", kwargs=city), 200),
        (reverse("matching:round", kwargs={"round": "2018"}), 200),
        (reverse("matching:partners", kwargs=city), 200),
        (reverse("matching:suggestions", kwargs=city), 200),
        (reverse("matching:comparison", kwargs=city), 200),
        (reverse("matching:rounds", kwargs={"city": "milan", "before": "2018", "after": "2031"}), 200),
        (reverse("guidance:index"), 200),
        (reverse("guidance:module", kwargs={"module": "6"}), 200),
        (reverse("guidance:statement", kwargs={"module": "6", "number": "6.1"}), 200),
        (reverse("guidance:search") + "?q=online+platforms", 200),
        (reverse("guidance:search") + "?q=zzzz", 200),
        (reverse("guidance:rate", kwargs=rate), 200),
        (reverse("guidance:results", kwargs=rate), 200),
        (reverse("password_change"), 200),
        ("/no/such/page/", 404),
    ]
    if editor:
        urls += [
            (reverse("sheets:respondents", args=[sheet.pk]), 200),
            (reverse("sheets:submit", args=[sheet.pk]), 200),
            (reverse("sheets:respondent_edit", args=[sheet.pk, respondent.pk]), 200),
            (reverse("sheets:respondent_remove", args=[sheet.pk, respondent.pk]), 200),
            (reverse("reports:edit", kwargs={"city": "milan", "round": "2018"}), 200),
            (reverse("reports:conclusion_add", kwargs={"city": "milan", "round": "2018", "kind": "share"}), 200),
            (reverse("reports:history", kwargs={"city": "milan", "round": "2018"}), 200),
            (reverse("matching:new_round", kwargs=city), 200),
        ]
    else:
        urls += [(reverse("reports:edit", kwargs={"city": "milan", "round": "2018"}), 403)]
    return urls


@pytest.mark.parametrize("role", ["officer", "coordinator", "admin"])
def test_every_page_meets_wcag_21_aa(request, live_server, world, role):
    axe_source()
    page = signed_in(request, live_server, world[role])
    try:
        check_pages(page, live_server, pages_for(role, world))
    finally:
        page.context.close()


def test_pages_without_sign_in_meet_wcag_21_aa(request, live_server, db):
    axe_source()
    page = signed_in(request, live_server, None)
    try:
        check_pages(
            page,
            live_server,
            [
                (reverse("login"), 200),
                (reverse("password_reset"), 200),
            ],
        )
    finally:
        page.context.close()


def test_the_check_finds_a_wcag_and_a_structure_violation(request, live_server, db):
    """The check itself: an image without a text alternative (WCAG 2.1 A) and a skipped heading
    level (a structure rule), planted in the sign-in page, are both reported."""
    axe_source()
    page = signed_in(request, live_server, None)
    try:
        page.goto(live_server.url + reverse("login"))
        page.evaluate(
            """() => document.querySelector("main").insertAdjacentHTML(
                "beforeend", '<img src="/static/missing.png"><h5>Skipped levels</h5>')"""
        )
        assert {"image-alt", "heading-order"} <= {violation["id"] for violation in axe_violations(page)}
    finally:
        page.context.close()


def test_conflict_screen_meets_wcag_21_aa(request, live_server, world):
    """The full-form save's conflict screen (reached without JavaScript: the editor's script is
    not loaded, so Save posts the whole form)."""
    axe_source()
    sheet = world["sheet"]
    answer = Answer.objects.filter(respondent__sheet=sheet, value="yes").order_by("pk").first()
    page = signed_in(request, live_server, world["officer"])
    page.route("**/js/sheet-editor.js", lambda route: route.abort())
    try:
        page.goto(live_server.url + reverse("sheets:edit", args=[sheet.pk]))
        save_cells(
            sheet, world["admin"], [CellEdit(answer.statement_id, answer.respondent_id, "nd", "", answer.version)]
        )
        page.check(f"#v{answer.statement_id}-{answer.respondent_id}-no")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("somebody else changed the same answers")
        check_pages(page, live_server, [])
        violations = axe_violations(page)
        assert not violations, describe(violations)
    finally:
        page.context.close()


def tab_to(page, selector, limit=80):
    """Press Tab until the focus is on `selector`; the keyboard is the only way to get there."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {selector}")


def focused(page):
    return page.evaluate("() => document.activeElement.id || document.activeElement.tagName")


def assert_focus_visible(page):
    """The focused element shows an outline of at least 2 px (mega.css), whatever Bootstrap does."""
    style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return [s.outlineStyle, parseFloat(s.outlineWidth)]; }""")
    assert style[0] != "none" and style[1] >= 2, f"no visible focus on {focused(page)}: {style}"


def test_officer_fills_saves_and_submits_a_sheet_with_the_keyboard_alone(request, live_server, milan, officer):
    sheet = make_sheet(
        milan, make_checklist("municipality", version="kbd", statements_per_level=(2, 1, 0)), respondents=("Comune",)
    )
    statements = list(sheet.checklist.levels.order_by("number").values_list("statements__pk", flat=True))
    s1, s2, s3 = [pk for pk in statements if pk]
    r = sheet.respondents.get().pk
    page = signed_in(request, live_server, officer)
    try:
        page.goto(live_server.url + reverse("sheets:edit", args=[sheet.pk]))
        expect(page.locator("#autosave-status")).to_have_text("Changes are saved as you make them.")
        # The skip link comes first and leads into the main content.
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.getAttribute('href')") == "#main"
        page.keyboard.press("Enter")

        # Statement 1: Tab lands on the checked radio ("Not answered"); arrows move and choose.
        tab_to(page, f"#v{s1}-{r}-open")
        assert_focus_visible(page)
        page.keyboard.press("ArrowDown")  # wraps round to Yes
        expect(page.locator(f"#v{s1}-{r}-yes")).to_be_checked()
        expect(page.locator("#autosave-status")).to_have_text("Saved")
        # Its annotation: Space opens the disclosure, Tab into the text box, type.
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.tagName") == "SUMMARY"
        assert_focus_visible(page)
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
        assert focused(page) == f"n{s1}-{r}"
        assert_focus_visible(page)
        page.keyboard.type("Typed without a mouse")

        # Statement 2: No (up twice from Not answered); statement 3: No data.
        tab_to(page, f"#v{s2}-{r}-open")
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowUp")
        expect(page.locator(f"#v{s2}-{r}-no")).to_be_checked()
        tab_to(page, f"#v{s3}-{r}-open")
        page.keyboard.press("ArrowUp")
        expect(page.locator(f"#v{s3}-{r}-nd")).to_be_checked()

        # Save with Enter on the button: the whole form is posted and the page comes back.
        tab_to(page, "#sheet-form button[type=submit]")
        assert_focus_visible(page)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert {(a.statement_id, a.value, a.note) for a in Answer.objects.filter(respondent__sheet=sheet)} == {
            (s1, "yes", "Typed without a mouse"),
            (s2, "no", ""),
            (s3, "nd", ""),
        }

        # Submit for validation, again with Tab and Enter, then confirm in the dialog the same way.
        tab_to(page, "form.workflow-form button[type=submit]")
        assert page.evaluate("() => document.activeElement.textContent.trim()") == "Submit for validation"
        assert_focus_visible(page)
        page.keyboard.press("Enter")
        expect(page.get_by_role("dialog")).to_be_visible()
        tab_to(page, "#submit-dialog [data-submit-confirm]")
        assert_focus_visible(page)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        sheet.refresh_from_db()
        assert sheet.status == Sheet.Status.SUBMITTED
        assert not page.js_errors, page.js_errors
    finally:
        page.context.close()


PHONE = {"width": 360, "height": 740}


def page_overflow(page):
    """How far the page itself scrolls sideways (0: not at all); scrollable table containers
    (`.table-responsive`) may scroll inside."""
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("role", ["officer", "coordinator"])
def test_every_page_fits_a_phone_width(request, live_server, world, role):
    """360 CSS pixels wide (a phone, or 200 % zoom of a 720-pixel window): no page scrolls
    sideways; wide tables scroll inside their own container. The editor and the report first."""
    page = signed_in(request, live_server, world[role], viewport=PHONE)
    sheet = world["sheet"]
    urls = [
        reverse("sheets:edit", args=[sheet.pk]),
        reverse("reports:sheet", args=[sheet.pk]),
        reverse("reports:city", kwargs={"city": "milan", "round": "2018"}),
    ]
    urls += [url for url, status in pages_for(role, world) if status == 200 and url not in urls]
    try:
        wide = []
        for url in urls:
            page.goto(live_server.url + url)
            if page_overflow(page) > 0:
                wide.append(f"{url} scrolls sideways by {page_overflow(page)} px")
        assert not wide, "at 360 px wide:\n" + "\n".join(wide)
    finally:
        page.context.close()


def test_forms_with_errors_tie_each_message_to_its_field(request, live_server, world):
    """A refused sign-in and a refused password change: the messages are text, each field's
    message is its description (aria-describedby), the field is marked invalid, and axe is content."""
    axe_source()
    page = signed_in(request, live_server, None)
    try:
        page.goto(live_server.url + reverse("login"))
        page.get_by_label("Username").fill("olga")
        page.get_by_label("Password").fill("wrong")
        page.keyboard.press("Enter")
        expect(page.locator(".alert-danger")).to_be_visible()
        violations = axe_violations(page)
        assert not violations, describe(violations)
    finally:
        page.context.close()

    page = signed_in(request, live_server, world["officer"])
    try:
        page.goto(live_server.url + reverse("password_change"))
        page.get_by_label("Old password").fill("wrong")
        page.get_by_label("New password", exact=False).first.fill("a-Long-new-password-1")
        page.get_by_label("New password confirmation").fill("something else")
        page.keyboard.press("Enter")
        field = page.locator("#id_new_password2")
        expect(field).to_have_attribute("aria-invalid", "true")
        described = [page.locator(f"#{id}").inner_text() for id in field.get_attribute("aria-describedby").split()]
        assert any("didn’t match" in text or "didn't match" in text for text in described), described
        expect(page.get_by_role("textbox", name="Old password")).to_have_attribute("aria-invalid", "true")
        violations = axe_violations(page)
        assert not violations, describe(violations)
    finally:
        page.context.close()


def test_autosave_conflict_in_the_editor_meets_wcag_21_aa(request, live_server, world):
    """Autosave meets a change saved meanwhile: the conflict box (role=alert) beside the cell and
    the status message (role=status) pass axe too."""
    axe_source()
    sheet = world["sheet"]
    answer = Answer.objects.filter(respondent__sheet=sheet, value="yes").order_by("pk").first()
    page = signed_in(request, live_server, world["officer"])
    try:
        page.goto(live_server.url + reverse("sheets:edit", args=[sheet.pk]))
        expect(page.locator("#autosave-status")).to_have_text("Changes are saved as you make them.")
        save_cells(
            sheet, world["admin"], [CellEdit(answer.statement_id, answer.respondent_id, "nd", "", answer.version)]
        )
        page.locator(f"#v{answer.statement_id}-{answer.respondent_id}-no").press("Space")
        cell = page.locator(f'fieldset[data-cell="{answer.statement_id}-{answer.respondent_id}"]')
        expect(cell.get_by_role("alert")).to_be_visible()
        expect(page.locator("#autosave-status")).to_have_attribute("data-state", "conflict")
        violations = axe_violations(page)
        assert not violations, describe(violations)
    finally:
        page.context.close()


def test_restore_confirmation_meets_wcag_21_aa_and_fits_a_phone(request, live_server, world):
    sheet, officer = world["sheet"], world["officer"]
    answer = Answer.objects.filter(respondent__sheet=sheet).order_by("pk").first()
    save_cells(
        sheet, officer, [CellEdit(answer.statement_id, answer.respondent_id, "nd", "A later note.", answer.version)]
    )
    record = Answer.history.filter(id=answer.pk).latest("history_id")
    axe_source()
    page = signed_in(request, live_server, officer, viewport=PHONE)
    try:
        check_pages(page, live_server, [(reverse("sheets:restore", args=[sheet.pk, record.history_id]), 200)])
        assert page_overflow(page) <= 0
        expect(page.get_by_role("checkbox", name="Annotation")).to_be_visible()
    finally:
        page.context.close()

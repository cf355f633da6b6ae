"""Every page type at a phone's size (390 × 844 CSS pixels) in a real Chromium: nothing scrolls
sideways, neither the page nor a table inside it; every control is a target of at least 24 × 24
pixels (WCAG 2.5.8); the sheet editor shows each statement with one labelled, segmented row of
answers per respondent; the editor's sticky bar is slim."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments.models import Answer, Round, Sheet
from matching.over_time import start_new_round
from stakeholders.models import Organisation
from tests.browser import chromium, login, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
MIN_TARGET = 24  # CSS pixels, WCAG 2.5.8 (Target Size, Minimum)

# What the page scrolls sideways and, with `inside`, each scrolling box inside it that does.
OVERFLOW = """(inside) => {
  const found = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) found.push(`the page: ${root.scrollWidth} > ${root.clientWidth}`);
  for (const el of inside ? document.body.querySelectorAll('*') : []) {
    const x = getComputedStyle(el).overflowX;
    if ((x === 'auto' || x === 'scroll') && el.scrollWidth > el.clientWidth + 1)
      found.push(`${el.tagName.toLowerCase()}.${el.className}: ${el.scrollWidth} > ${el.clientWidth}`);
  }
  return found;
}"""

# Controls smaller than the minimum: the box of the control and of its labels together (a radio
# button is chosen by its label too). Links inside running text are exempt in WCAG 2.5.8; links
# that are controls (buttons, the top bar, pagination) are not.
SMALL_TARGETS = """min => {
  const found = [];
  const controls = 'button, select, textarea, input:not([type=hidden]), summary, a.btn, a.nav-link, ' +
    'a.navbar-brand, a.page-link';
  for (const el of document.querySelectorAll(controls)) {
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    const boxes = [el, ...(el.labels || [])].map(e => e.getBoundingClientRect()).filter(b => b.width && b.height);
    if (!boxes.length) continue;
    const width = Math.max(...boxes.map(b => b.right)) - Math.min(...boxes.map(b => b.left));
    const height = Math.max(...boxes.map(b => b.bottom)) - Math.min(...boxes.map(b => b.top));
    if (width < min - 0.5 || height < min - 0.5)
      found.push(`${el.tagName.toLowerCase()}#${el.id} “${(el.textContent || el.value || '').trim().slice(0, 30)}”: ` +
                 `${Math.round(width)} × ${Math.round(height)}`);
  }
  return found;
}"""


@pytest.fixture
def world(milan, officer, coordinator, admin_user):
    sheet = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="immigrant_business_organisation")
    # Three respondent columns: the editor that was 728 px wide at this size.
    third = Organisation.objects.create(
        city=milan, name="A third organisation with a long name", stakeholder_type=sheet.checklist.stakeholder_type
    )
    sheet.respondents.create(organisation=third, position=3)
    # A read-only sheet, and a second round for the comparison over time.
    validated = Sheet.objects.filter(city=milan, round__name="2018", checklist__stakeholder_type__slug="chamber")
    validated.update(status=Sheet.Status.VALIDATED)
    start_new_round(milan, Round.objects.get(name="2018"), Round.objects.create(name="2031"), True, admin_user)
    return {"officer": officer, "coordinator": coordinator, "sheet": sheet, "validated": validated.get()}


def page_types(role, w):
    """The URL of each page type for `role`: the first ones (the editor, home, reports, matching and
    comparison) fit whole; on the others a wide data table (history, results over time) may
    scroll inside its own box, the page may not."""
    sheet, validated = w["sheet"], w["validated"]
    city = {"city": "milan", "round": "2018"}
    rate = {"module": "6", "city": "milan", "round": "2018"}
    whole = [
        reverse("home"),
        reverse("sheets:edit", args=[sheet.pk]),
        reverse("sheets:edit", args=[validated.pk]),
        reverse("reports:sheet", args=[sheet.pk]),
        reverse("reports:city", kwargs=city),
        reverse("matching:round", kwargs={"round": "2018"}),
        reverse("matching:partners", kwargs=city),
        reverse("matching:suggestions", kwargs=city),
        reverse("matching:comparison", kwargs=city),
    ]
    urls = [
        reverse("sheets:history", args=[sheet.pk]),
        reverse("matching:rounds", kwargs={"city": "milan", "before": "2018", "after": "2031"}),
        reverse("guidance:index"),
        reverse("guidance:module", kwargs={"module": "6"}),
        reverse("guidance:statement", kwargs={"module": "6", "number": "6.1"}),
        reverse("guidance:search") + "?q=online+platforms",
        reverse("guidance:rate", kwargs=rate),
        reverse("guidance:results", kwargs=rate),
        reverse("password_change"),
    ]
    if role == "officer":
        whole.append(reverse("sheets:submit", args=[sheet.pk]))
        urls += [
            reverse("sheets:respondents", args=[sheet.pk]),
            reverse("reports:edit", kwargs={"city": "milan", "round": "2018"}),
            reverse("matching:new_round", kwargs=city),
        ]
    return [(url, True) for url in whole] + [(url, False) for url in urls]


def phone(request, live_server, username):
    page = new_page(chromium(request), live_server, viewport=PHONE)
    login(page, live_server, username, f"pw-{username}")
    return page


@pytest.mark.parametrize("role", ["officer", "coordinator"])
def test_every_page_type_fits_a_phone_with_targets_of_24_pixels(request, live_server, world, role):
    page = phone(request, live_server, world[role].username)
    try:
        problems = []
        for url, whole in page_types(role, world):
            response = page.goto(live_server.url + url)
            assert response.status == 200, f"{url}: HTTP {response.status}"
            problems += [f"{url} scrolls sideways: {what}" for what in page.evaluate(OVERFLOW, whole)]
            problems += [f"{url} has a small target: {what}" for what in page.evaluate(SMALL_TARGETS, MIN_TARGET)]
        assert not problems, "at 390 × 844:\n" + "\n".join(problems)
    finally:
        page.context.close()


def test_editor_on_a_phone_keeps_each_statement_in_view_with_a_labelled_row_per_respondent(request, live_server, world):
    sheet = world["sheet"]
    page = phone(request, live_server, "olga")
    try:
        page.goto(f"{live_server.url}/sheets/{sheet.pk}/")
        row = page.locator("table.sheet-grid tbody tr").first
        statement = row.locator("th.statement-text")
        cells = row.locator("td.cell-col")
        expect(cells).to_have_count(3)
        width = PHONE["width"]
        box = statement.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        for index, name in enumerate(["Mille Soleils", "Sunugal", "A third organisation with a long name"]):
            cell = cells.nth(index)
            expect(cell.locator(".cell-respondent")).to_have_text(name)
            choices = [cell.locator(".answer-choices .form-check").nth(i).bounding_box() for i in range(4)]
            # One row of four segments, side by side, inside the screen, each a comfortable target.
            assert len({round(c["y"]) for c in choices}) == 1, choices
            assert all(c["x"] >= 0 and c["x"] + c["width"] <= width for c in choices), choices
            assert all(c["height"] >= 40 for c in choices), choices
            # Below its statement, not beside it: the statement stays in view above its answers.
            assert choices[0]["y"] > box["y"] + box["height"] - 1
        # A segment is chosen by a tap anywhere on it, and the choice is saved.
        second = cells.nth(1)
        statement_id, respondent_id = second.locator("fieldset").get_attribute("data-cell").split("-")
        second.scroll_into_view_if_needed()
        segment = second.locator(".answer-choices .form-check").nth(2).bounding_box()
        page.mouse.click(segment["x"] + 4, segment["y"] + 4)
        expect(second.locator("input[value=nd]")).to_be_checked()
        expect(page.locator("#autosave-status")).to_have_text("Saved")
        assert Answer.objects.get(statement_id=statement_id, respondent_id=respondent_id).value == "nd"
        # The sticky bar is one slim line.
        bar = page.locator(".editor-bar").bounding_box()
        assert bar["height"] <= 48, bar
    finally:
        page.context.close()


def test_report_tables_on_a_phone_do_not_break_words(request, live_server, world):
    page = phone(request, live_server, "carlo")
    try:
        for url in [
            reverse("reports:city", kwargs={"city": "milan", "round": "2018"}),
            reverse("reports:sheet", args=[world["sheet"].pk]),
        ]:
            page.goto(live_server.url + url)
            breaking = page.evaluate("""() => Array.from(document.querySelectorAll('main table th, main table td'))
              .filter(el => { const s = getComputedStyle(el);
                              return s.overflowWrap === 'anywhere' || s.wordBreak === 'break-all'; })
              .map(el => el.textContent.trim().slice(0, 30))""")
            assert not breaking, f"{url}: cells that may break a word: {breaking}"
            assert not page.evaluate(OVERFLOW, True), url
            labels = page.evaluate("""() => Array.from(document.querySelectorAll('main table td[data-label]'))
              .map(td => getComputedStyle(td, '::before').content)""")
            assert labels and all(label not in ("none", "normal", '""') for label in labels), labels
    finally:
        page.context.close()


def test_read_only_sheet_on_a_phone_shows_each_mark_once_beside_its_respondent(request, live_server, world):
    page = phone(request, live_server, "carlo")
    try:
        page.goto(f"{live_server.url}/sheets/{world['sheet'].pk}/")
        mark = page.locator("td.cell-col .sheet-mark.mark-yes").first
        assert mark.locator("[aria-hidden=true]").inner_text().strip() == "✓"
        assert mark.evaluate("el => getComputedStyle(el, '::before').content") in ("none", "normal")
        name = mark.locator("xpath=..").locator(".cell-respondent")
        assert abs(name.bounding_box()["y"] - mark.bounding_box()["y"]) < 12  # one line
    finally:
        page.context.close()

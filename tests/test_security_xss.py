"""XSS: script in every text people can type shows as text on every page and in every PDF.

Each editable text of Milan gets a payload naming its field (`tests.security.payload`). Then every
page of the application (the GET rows of the permission matrix), the admin's lists and forms of
those objects and the editor's conflict screen are read as admin and as Milan's officer: no page
may carry an element, attribute or script the payloads would make, and each payload must be shown
somewhere as text (so the test sees every field it claims to cover). The PDFs are read with
pdftotext: the payloads are printed as literal text.
"""

import re
import subprocess

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils.html import escape

from assessments.cells import CellEdit, save_cells
from assessments.models import Answer, CityReport, Conclusion, Respondent, Sheet, SheetTransition, Statement
from guidance.models import GuidanceStatement, Rating, RecommendedAction, SelfAssessment
from tests.security import get_rows, matrix_path, payload, read_page
from tests.sheet_posts import form_fields

ROLES = ("admin", "officer")
# Shown only in the admin: the group results count participants without naming them.
ADMIN_ONLY = {"participant"}


def inject(world):
    """Put a payload in every text people can edit; returns {field: payload}."""
    fields = {}

    def put(field, obj, attribute):
        fields[field] = payload(field, obj._meta.get_field(attribute).max_length)
        setattr(obj, attribute, fields[field])
        obj.save()

    milan = world.milan
    put("city-name", milan, "name")
    put("city-country", milan, "country")
    report = CityReport.objects.get(city=milan, round__name="2018")
    put("national-context", report, "national_context")
    put("city-observations", report, "city_observations")
    for kind in ("share", "look_at"):
        conclusion = report.conclusions.filter(kind=kind).order_by("position").first()
        put(f"conclusion-{kind}", conclusion, "text")
    put("topic-name", report.conclusions.order_by("position").first().topics.first(), "name")
    for sheet in Sheet.objects.filter(city=milan).select_related("checklist__stakeholder_type"):
        kind = sheet.checklist.stakeholder_type.slug
        respondent = sheet.respondents.select_related("organisation").order_by("position").first()
        put(f"organisation-{kind}", respondent.organisation, "name")
        put(f"header-note-{kind}", respondent, "note")
        answer = (
            Answer.objects.filter(respondent=respondent)
            .order_by("statement__level__number", "statement__position")
            .first()
        )
        put(f"annotation-{kind}", answer, "note")
    sheet = world.sheet
    put(
        "statement",
        Statement.objects.filter(level__checklist=sheet.checklist).order_by("level__number", "position").last(),
        "text",
    )
    put("outcome", sheet.checklist, "outcome")
    fields["return-comment"] = payload("return-comment")
    SheetTransition.objects.create(
        sheet=sheet,
        action="return",
        from_status="submitted",
        to_status="draft",
        by=world.users["admin"],
        comment=fields["return-comment"],
    )
    guidance = GuidanceStatement.objects.get(number="6.1")
    put("guidance-action", RecommendedAction.objects.filter(statement=guidance).first(), "text")
    fields["participant"] = payload("participant", SelfAssessment._meta.get_field("participant_name").max_length)
    assessment = SelfAssessment.objects.create(
        city=milan, round=report.round, module=guidance.module, participant_name=fields["participant"]
    )
    Rating.objects.create(assessment=assessment, statement=guidance, score=3)
    return fields


@pytest.fixture
def payloads(world):
    return inject(world)


def admin_pages(world):
    """The admin's list and form of every model with a payload, and its history."""
    pages = []
    for model, obj in [
        (world.milan.__class__, world.milan),
        (Respondent, world.respondent),
        (world.respondent.organisation.__class__, world.respondent.organisation),
        (Answer, world.answer),
        (CityReport, CityReport.objects.get(city=world.milan)),
        (Conclusion, None),
        (Statement, None),
        (SheetTransition, None),
        (SelfAssessment, None),
        (RecommendedAction, None),
    ]:
        if model not in admin.site._registry:
            continue
        info = model._meta.app_label, model._meta.model_name
        pages.append(reverse(f"admin:{info[0]}_{info[1]}_changelist"))
        if obj is not None:
            pages.append(reverse(f"admin:{info[0]}_{info[1]}_change", args=[obj.pk]))
    return pages


def conflict_page(client, world, fields):
    """The editor's conflict screen, with somebody else's annotation against the officer's."""
    sheet = world.sheet
    posted = form_fields(client.get(reverse("sheets:edit", args=[sheet.pk])).content.decode())
    key = f"cell-{world.statement.pk}-{world.respondent.pk}"
    answer = Answer.objects.get(pk=world.answer.pk)
    save_cells(
        sheet,
        world.users["admin"],
        [
            CellEdit(
                world.statement.pk,
                world.respondent.pk,
                "no",
                fields["annotation-municipality"][:-1] + " (theirs)",
                answer.version,
            )
        ],
    )
    posted[f"{key}-note"] = "mine"
    response = client.post(reverse("sheets:edit", args=[sheet.pk]), posted)
    assert response.status_code == 409
    return response


@pytest.mark.parametrize("role", ROLES)
def test_every_page_shows_the_payloads_as_text(client, world, payloads, role):
    client.force_login(world.users[role])
    shown, problems = [], []

    def check(label, response):
        assert response.status_code in (200, 409), (label, response.status_code)
        content_type = response.get("Content-Type", "")
        if not content_type.startswith("text/html"):
            # Downloads and JSON: never sniffed into a page the browser would render.
            assert response["X-Content-Type-Options"] == "nosniff", label
            assert label == reverse("healthz") or "attachment" in response.get("Content-Disposition", ""), label
            return
        found, text = read_page(response.content.decode())
        problems.extend(f"{label}: {problem}" for problem in found)
        shown.append(text)

    for name, row in get_rows():
        if row.expect[role] not in (200, 409):
            continue  # a page this role may not see (staff's pages for an officer): it shows nothing
        path = matrix_path(world, name, row)
        check(path, client.get(path, row.data(world) if row.data else None))
    # Reflected: a payload in the query string.
    for path in (reverse("guidance:search"), reverse("home"), reverse("sheets:history", args=[world.sheet.pk])):
        check(path, client.get(path, {"q": payload("query"), "page": payload("page")}))
    check("search", client.get(reverse("guidance:search"), {"q": "alert"}))
    if role == "admin":
        world.users["admin"].is_superuser = True  # the admin site needs model permissions
        world.users["admin"].save()
        for path in admin_pages(world):
            check(path, client.get(path))
    check("conflict screen", conflict_page(client, world, payloads))

    assert not problems, "\n".join(problems)
    text = "\n".join(shown)
    missing = [
        field
        for field, value in payloads.items()
        if value not in text and not (role != "admin" and field in ADMIN_ONLY)
    ]
    assert not missing, f"payloads not shown as text on any page (as {role}): {missing}"
    assert payload("query") in text


def pdf_text(content):
    assert content.startswith(b"%PDF-")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode("utf-8")
    return re.sub(r"[\s\u00ad]+", "", text)


def printed(content, fields, names):
    """The names of `fields` whose payload is not printed as literal text. A payload's first word
    (`[tag]<script>alert(1)</script>"><img`) is compared: pdftotext reads a text wrapped in a narrow
    cell out of order, so the rest may come before it."""
    text = pdf_text(content)
    assert 'onerror=alert(1)><ahref="javascript:alert(1)">x</a>' in text
    return [name for name in names if fields[name].split()[0] not in text]


SHEET_FIELDS = [
    "city-name",
    "organisation-municipality",
    "header-note-municipality",
    "annotation-municipality",
    "statement",
    "outcome",
]
REPORT_FIELDS = SHEET_FIELDS + [
    "city-country",
    "national-context",
    "city-observations",
    "conclusion-share",
    "conclusion-look_at",
    "organisation-chamber",
    "header-note-chamber",
    "annotation-chamber",
    "organisation-immigrant_business_organisation",
    "annotation-immigrant_business_organisation",
]


def test_the_pdfs_print_the_payloads_as_text(client, world, payloads):
    client.force_login(world.users["officer"])
    report = client.get(reverse("reports:city_pdf", args=["milan", "2018"]))
    assert not printed(report.content, payloads, REPORT_FIELDS)
    sheet = client.get(reverse("reports:sheet_pdf", args=[world.sheet.pk]))
    assert not printed(sheet.content, payloads, SHEET_FIELDS)
    results = client.get(reverse("guidance:results_pdf", args=["6", "milan", "2018"]))
    assert not printed(results.content, payloads, ["city-name", "guidance-action"])
    comparison = client.get(reverse("matching:comparison_pdf", args=["milan", "2018"]))
    assert not printed(comparison.content, payloads, ["city-name"])


def test_the_page_checker_finds_a_payload_that_escaped_escaping():
    raw = f"<p>{payload('raw')}</p>"
    problems, _ = read_page(raw)
    assert any("inline <script>" in p for p in problems)
    assert any("event handler" in p for p in problems)
    assert any("runs script" in p for p in problems)
    problems, text = read_page(f"<p>{escape(payload('escaped'))}</p><textarea>{escape(payload('note'))}</textarea>")
    assert not problems and payload("escaped") in text and payload("note") in text


@pytest.mark.parametrize("name", ["Bozen/Bolzano", "Frankfurt [Main]", "What? *City*: \\ 'x'"])
def test_a_city_name_excel_refuses_in_a_sheet_title_still_exports(client, world, name):
    world.milan.name = name
    world.milan.save()
    client.force_login(world.users["coordinator"])
    response = client.get(reverse("reports:answers_xlsx", args=["milan", "2018"]))
    assert response.status_code == 200
    assert response.content.startswith(b"PK")

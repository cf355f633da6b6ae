"""The guidance beside the MEGA sheet editor: a "What helps" pointer beside statements answered no or no data."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Sheet, Statement

pytestmark = pytest.mark.django_db


def municipality_sheet():
    return Sheet.objects.select_related("city", "round", "checklist").get(
        city__slug="milan", round__name="2018", checklist__stakeholder_type__slug="municipality"
    )


def row_html(html, statement):
    """The editor's table row of a statement."""
    start = html.index(f'id="statement-{statement.pk}"')
    return html[start : html.index("</tr>", start)]


def statement(level, position, stakeholder_type="municipality"):
    return Statement.objects.get(
        level__checklist__stakeholder_type__slug=stakeholder_type,
        level__checklist__version="1",
        level__number=level,
        position=position,
    )


def test_editor_shows_what_helps_beside_a_statement_answered_no(client, officer):
    client.force_login(officer)
    html = client.get(reverse("sheets:edit", args=[municipality_sheet().pk])).content.decode()
    network = row_html(html, statement(2, 11))  # answered no; topic networking
    assert "What helps:" in network and "data-what-helps hidden" not in network
    assert reverse("guidance:statement", args=["6", "6.4"]) in network
    outreach = row_html(html, statement(2, 7))  # answered no data; cooperation and visibility
    assert "What helps:" in outreach and "data-what-helps hidden" not in outreach
    assert reverse("guidance:statement", args=["6", "6.3"]) in outreach


def test_editor_keeps_the_pointer_hidden_for_a_yes_until_the_answer_changes(client, officer):
    client.force_login(officer)
    html = client.get(reverse("sheets:edit", args=[municipality_sheet().pk])).content.decode()
    cooperates = row_html(html, statement(2, 5))  # answered yes; cooperation-between-actors
    assert "data-what-helps hidden" in cooperates
    assert html.count("guidance/what-helps.js") == 1


def test_a_statement_without_linked_guidance_has_no_pointer(client, officer):
    client.force_login(officer)
    html = client.get(reverse("sheets:edit", args=[municipality_sheet().pk])).content.decode()
    assert "What helps" not in row_html(html, statement(3, 7))  # inclusive procurement: no guidance


def test_read_only_sheet_shows_only_the_pointers_of_gaps(milan, coordinator, client):
    client.force_login(coordinator)
    response = client.get(reverse("sheets:edit", args=[municipality_sheet().pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-what-helps hidden" not in html
    assert "What helps:" in row_html(html, statement(2, 11))
    assert "guidance/what-helps.js" not in html


def test_the_pointers_take_a_fixed_number_of_queries(milan):
    sheet = municipality_sheet()
    statements = list(Statement.objects.filter(level__checklist=sheet.checklist))
    template = Template("{% load guidance %}{% for s in statements %}{% what_helps s sheet True %}{% endfor %}")
    with CaptureQueriesContext(connection) as queries:
        html = template.render(Context({"statements": statements, "sheet": sheet}))
    assert len(queries) <= 6
    assert html.count("What helps:") > 10


def test_the_pointers_read_from_the_editors_table_are_the_same_in_three_queries(milan):
    """The editor's grid has the sheet laid out: the hook takes statements, topics and answers from
    it instead of asking the database again, and must point at exactly the same guidance."""
    from assessments.sheet_table import build_sheet_table

    statements = list(Statement.objects.filter(level__checklist=municipality_sheet().checklist))
    template = Template("{% load guidance %}{% for s in statements %}{% what_helps s sheet True %}{% endfor %}")
    alone = template.render(Context({"statements": statements, "sheet": municipality_sheet()}))
    sheet = municipality_sheet()
    table = build_sheet_table(sheet)
    with CaptureQueriesContext(connection) as queries:
        from_table = template.render(Context({"statements": statements, "sheet": sheet, "table": table}))
    assert len(queries) == 3
    assert from_table == alone and alone.count("What helps:") > 10 and "data-what-helps hidden" in alone

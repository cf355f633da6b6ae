"""Faults: the database going away in the middle of a save, and a PDF that cannot be rendered.

The database is made to fail from inside (`connection.execute_wrapper`): the chosen INSERT or
UPDATE raises `OperationalError`, as a lost connection does, after the save has already written
part of its rows. The person gets a 503 that says nothing was saved (JSON for the editor's
autosave), with what they typed kept; the database holds nothing of the failed save; the same
request sent again once the database is back saves everything.
"""

import json
from contextlib import contextmanager
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.urls import reverse

from reports import pdf
from assessments.models import Answer, CityReport
from tests.security import database_state
from tests.sheet_posts import form_fields, load_editor

LOST = "server closed the connection unexpectedly"


@contextmanager
def database_lost(table, *, after=0, verbs=("INSERT", "UPDATE", "DELETE")):
    """Writes to `table` fail with OperationalError once `after` of them have succeeded."""
    done = []

    def wrapper(execute, sql, params, many, context):
        statement = sql.lstrip().upper()
        if statement.startswith(verbs) and f'"{table.upper()}"' in statement:
            if len(done) >= after:
                raise OperationalError(LOST)
            done.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield done


class _RetryForm(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside, self.fields = False, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == "retry-form"
        elif self.inside and tag == "input" and attrs.get("name") != "csrfmiddlewaretoken":
            self.fields.setdefault(attrs["name"], []).append(attrs.get("value", ""))


def retry_fields(html):
    """{name: [values]} that the Retry button of the 503 page posts (without the CSRF token)."""
    reader = _RetryForm()
    reader.feed(html)
    assert reader.fields, "the page has no Retry form"
    return reader.fields


def three_changes(fields, sheet):
    """Change three cells of the editor's form: two values and an annotation."""
    answers = list(
        Answer.objects.filter(respondent__sheet=sheet).order_by(
            "statement__level__number", "statement__position", "respondent__position"
        )
    )
    changed = []
    for answer, value, note in zip(answers[:3], ("nd", "no", "yes"), ("", "", "Typed with care.\nTwo lines.")):
        prefix = f"cell-{answer.statement_id}-{answer.respondent_id}"
        fields[f"{prefix}-value"], fields[f"{prefix}-note"] = value, note
        changed.append((answer.pk, value, note))
    return changed


@pytest.mark.parametrize(
    "table,after",
    [
        ("assessments_answer", 0),  # the answers' UPDATE, after their history baseline
        ("assessments_historicalanswer", 1),  # the answers' history records, after their UPDATE
        ("assessments_sheet", 0),  # the sheet's new version, after every answer
    ],
)
def test_a_full_save_that_loses_the_database_says_so_keeps_the_text_and_writes_nothing(
    client, officer, sheet, table, after
):
    client.force_login(officer)
    fields = load_editor(client, sheet)
    changed = three_changes(fields, sheet)
    before = database_state()
    with database_lost(table, after=after) as done:
        response = client.post(reverse("sheets:edit", args=[sheet.pk]), fields)
    assert len(done) == after  # the failure came in the middle of the save
    assert response.status_code == 503 and response["Retry-After"]
    html = response.content.decode()
    assert "Not saved" in html and "nothing of this" in html
    assert "Traceback" not in html and LOST not in html
    assert database_state() == before

    # The page carries the whole form: Retry sends it again, and now it is saved.
    again = retry_fields(html)
    assert again == {name: [value] for name, value in fields.items() if name != "csrfmiddlewaretoken"}
    response = client.post(reverse("sheets:edit", args=[sheet.pk]), again)
    assert response.status_code == 302
    for pk, value, note in changed:
        answer = Answer.objects.get(pk=pk)
        assert (answer.value, answer.note) == (value, note)


def autosave(client, sheet, answer, value, note):
    return client.post(
        reverse("sheets:answer", args=[sheet.pk]),
        json.dumps(
            {
                "statement": answer.statement_id,
                "respondent": answer.respondent_id,
                "value": value,
                "note": note,
                "version": answer.version,
            }
        ),
        content_type="application/json",
        HTTP_ACCEPT="application/json",
    )


@pytest.mark.parametrize("table", ["assessments_answer", "assessments_historicalanswer", "assessments_sheet"])
def test_an_autosave_that_loses_the_database_is_a_503_the_editor_can_retry(client, officer, sheet, table):
    client.force_login(officer)
    answer = Answer.objects.filter(respondent__sheet=sheet).order_by("id").first()
    before = database_state()
    with database_lost(table):
        response = autosave(client, sheet, answer, "nd", "Kept while the database was away.")
    assert response.status_code == 503 and response["Retry-After"]
    body = response.json()
    assert body["error"] == "unavailable" and "nothing was saved" in body["message"]
    assert LOST not in json.dumps(body)
    assert database_state() == before
    # The editor sends the same again (same base version): saved.
    response = autosave(client, sheet, answer, "nd", "Kept while the database was away.")
    assert response.status_code == 200
    answer.refresh_from_db()
    assert (answer.value, answer.note) == ("nd", "Kept while the database was away.")


def report_post(client, url, national_context):
    """What the report form posts, as the editor renders it, with a new national context."""
    fields = form_fields(client.get(url).content.decode(), form_id="report-form")
    fields["national_context"] = national_context
    return {name: value for name, value in fields.items() if name != "csrfmiddlewaretoken"}


def test_a_report_save_that_loses_the_database_keeps_the_typed_text(client, officer, milan):
    client.force_login(officer)
    url = reverse("reports:edit", args=["milan", "2018"])
    fields = report_post(client, url, "A long text typed for an hour.")
    before = database_state()
    with database_lost("assessments_cityreport"):
        response = client.post(url, fields)
    assert response.status_code == 503
    html = response.content.decode()
    assert "A long text typed for an hour." in html
    assert database_state() == before
    again = retry_fields(html)
    topics = fields["share-0-topics"]
    assert again["share-0-topics"] == (topics if isinstance(topics, list) else [topics])
    response = client.post(url, again)
    assert response.status_code == 302
    assert CityReport.objects.get(city=milan).national_context == "A long text typed for an hour."


def test_a_page_that_loses_the_database_says_so_without_a_stack_trace(client, officer, sheet):
    client.force_login(officer)

    def down(execute, sql, params, many, context):
        if "assessments_sheet" in sql:
            raise OperationalError(LOST)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(down):
        response = client.get(reverse("sheets:edit", args=[sheet.pk]))
    assert response.status_code == 503
    html = response.content.decode()
    assert "Temporarily unavailable" in html and "Traceback" not in html and LOST not in html


def test_a_sign_in_that_loses_the_database_does_not_echo_the_password(client, officer):
    with database_lost("auth_user"):
        response = client.post(reverse("login"), {"username": "olga", "password": "pw-olga"})
    assert response.status_code == 503
    html = response.content.decode()
    assert "pw-olga" not in html and "Retry</button>" not in html


# --- PDFs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        lambda sheet: reverse("reports:sheet_pdf", args=[sheet.pk]),
        lambda sheet: reverse("matching:comparison_pdf", args=["milan", "2018"]),
        lambda sheet: reverse("guidance:results_pdf", args=["6", "milan", "2018"]),
    ],
    ids=["sheet", "comparison", "self-assessment"],
)
def test_a_pdf_that_cannot_be_rendered_shows_a_message_and_caches_nothing(client, coordinator, sheet, monkeypatch, url):
    cache.clear()

    def broken(self, **options):
        raise RuntimeError("pango fell over")

    monkeypatch.setattr(pdf.weasyprint.HTML, "write_pdf", broken)
    client.force_login(coordinator)
    response = client.get(url(sheet))
    assert response.status_code == 500
    assert "Content-Disposition" not in response
    html = response.content.decode()
    assert "The PDF could not be made" in html and "pango" not in html
    # Nothing of the failure was kept: once rendering works again, the next try gets the PDF.
    monkeypatch.undo()
    again = client.get(url(sheet))
    assert again.status_code == 200 and again.content.startswith(b"%PDF")

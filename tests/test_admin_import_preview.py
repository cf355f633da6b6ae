"""The admin's import preview lists what an import adds or changes, each changed column shown
before and after (computed columns and translations included); the unchanged rows are folded
away; nothing in it needs an inline style."""

import csv
import io
import re

from django.urls import reverse

from assessments.models import Statement

COLUMNS = ["stakeholder_type", "version", "level", "position", "text", "topics", "text_it", "text_fr"]
CSV_FORMAT = "0"


def exported_rows(client):
    response = client.post(
        reverse("admin:assessments_statement_export"),
        {
            "format": CSV_FORMAT,
            "resource": "0",
            **{f"statementresource_{c}": "on" for c in COLUMNS},
        },
    )
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def preview_of(client, rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    upload = io.BytesIO(out.getvalue().encode("utf-8"))
    upload.name = "statements.csv"
    response = client.post(
        reverse("admin:assessments_statement_import"), {"import_file": upload, "format": CSV_FORMAT, "resource": "0"}
    )
    assert response.status_code == 200
    return response.content.decode()


def section(html, start, end):
    return html[html.index(start) : html.index(end, html.index(start))]


def test_preview_lists_only_the_changed_row_with_its_changed_translation(superuser_client, milan):
    rows = exported_rows(superuser_client)
    assert len(rows) == 76
    old_fr = rows[0]["text_fr"]
    rows[0]["text_fr"] = "La municipalité dispose de données de base."
    html = preview_of(superuser_client, rows)

    assert "0 new, 1 changed, 0 deleted, 75 unchanged rows." in html
    changes = section(html, '<table class="import-preview import-changes">', "</table>")
    assert len(re.findall(r'<tr class="update">', changes)) == 1
    assert "skip" not in changes
    # The computed columns are filled in, the changed translation shown before and after.
    assert ">municipality</td>" in changes and ">Il Comune dispone di dati di base" in changes
    changed_cells = re.findall(r'<td class="changed">(.*?)</td>', changes, re.S)
    assert len(changed_cells) == 1
    assert "La municipalité dispose de données de base." in changed_cells[0]
    assert f"</span>{old_fr}</del>" in changed_cells[0]
    # The 75 unchanged rows are there, folded away.
    unchanged = section(html, '<details class="import-unchanged">', "</details>")
    assert "Show the 75 unchanged rows" in unchanged
    assert len(re.findall(r'<tr class="skip">', unchanged)) == 75
    # A preview writes nothing: the French text is still the one the export had.
    assert not Statement.objects.filter(translations__text="La municipalité dispose de données de base.").exists()


def test_preview_of_a_new_statement_shows_it_without_a_before(superuser_client, milan):
    rows = exported_rows(superuser_client)
    new = dict(
        rows[0], position="99", text="The municipality answers in many languages.", topics="", text_it="", text_fr=""
    )
    html = preview_of(superuser_client, rows + [new])
    assert "1 new, 0 changed, 0 deleted, 76 unchanged rows." in html
    changes = section(html, '<table class="import-preview import-changes">', "</table>")
    assert len(re.findall(r'<tr class="new">', changes)) == 1
    assert "The municipality answers in many languages." in changes and "<del>" not in changes


def test_preview_of_an_unchanged_file_says_so(superuser_client, milan):
    html = preview_of(superuser_client, exported_rows(superuser_client))
    assert "This file changes nothing." in html and "import-changes" not in html


def test_preview_has_no_inline_style(superuser_client, milan):
    rows = exported_rows(superuser_client)
    rows[1]["text_it"] = "Un altro testo."
    html = preview_of(superuser_client, rows)
    assert '<td class="changed">' in html
    assert not re.search(r"\sstyle=\"", html), "the CSP refuses inline styles"

"""Helpers for the sheet editor tests: post the editor's form the way a browser without
JavaScript would, from the HTML the editor rendered."""

from html.parser import HTMLParser

from django.urls import reverse

from assessments.models import Answer, Statement


class _FormReader(HTMLParser):
    """The fields a browser would submit from the form with id `form_id` (or the first form)."""

    def __init__(self, form_id=None):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.done = form_id, False, False
        self.fields, self.textarea = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done and (self.form_id is None or attrs.get("id") == self.form_id):
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and "name" in attrs and "disabled" not in attrs:
            kind = attrs.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in attrs:
                    self.fields.append((attrs["name"], attrs.get("value", "on")))
            elif kind not in ("submit", "button"):
                self.fields.append((attrs["name"], attrs.get("value", "")))
        elif tag == "textarea" and "name" in attrs:
            self.textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # A browser drops the one newline that may follow <textarea>.
            self.fields.append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


def form_fields(html, form_id="sheet-form"):
    """{name: value} of what the form would post; a name posted several times (checkboxes)
    maps to the list of its values."""
    reader = _FormReader(form_id)
    reader.feed(html)
    fields = {}
    for name, value in reader.fields:
        if name in fields:
            fields[name] = (fields[name] if isinstance(fields[name], list) else [fields[name]]) + [value]
        else:
            fields[name] = value
    return fields


def load_editor(client, sheet):
    """GET the editor and return the fields its form would post unchanged."""
    response = client.get(reverse("sheets:edit", args=[sheet.pk]))
    assert response.status_code == 200
    return form_fields(response.content.decode())


def cell(sheet, level, position, column=0):
    """(statement id, respondent id) of a cell, by level number, position and column index."""
    statement = Statement.objects.get(level__checklist=sheet.checklist, level__number=level, position=position)
    respondent = sheet.respondents.order_by("position", "id")[column]
    return statement.pk, respondent.pk


def set_cell(fields, key, value=None, note=None):
    statement_id, respondent_id = key
    if value is not None:
        fields[f"cell-{statement_id}-{respondent_id}-value"] = value
    if note is not None:
        fields[f"cell-{statement_id}-{respondent_id}-note"] = note
    return fields


def answer_at(key):
    return Answer.objects.filter(statement_id=key[0], respondent_id=key[1]).first()


def snapshot(sheet):
    """Everything a save could change, to prove that a refused one changed nothing."""
    sheet.refresh_from_db()
    answers = sorted(
        Answer.objects.filter(respondent__sheet=sheet).values_list(
            "statement_id", "respondent_id", "value", "note", "version"
        )
    )
    return sheet.version, sheet.status, answers, Answer.history.count()

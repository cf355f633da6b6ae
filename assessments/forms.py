"""Forms of the sheet editor (the city report editor's are in `reports.forms`).

The sheet grid is not a Django form: a 200-statement sheet with three columns would be 600
bound forms. `parse_sheet_post` reads the plain grid of inputs instead and refuses anything a
rendered editor cannot post; the domain checks (statement on this checklist, column of this
sheet) are made by `cells.save_cells` inside its transaction.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _, gettext_lazy

from assessments.cells import SEEN, BadEdit, CellEdit, normalise_note
from assessments.models import MAX_NOTE_LENGTH, Answer

CELL_FIELD = re.compile(r"^cell-(\d{1,18})-(\d{1,18})-(value|note|version|seen)$")
CHOICE_FIELD = re.compile(r"^choice-(\d{1,18})-(\d{1,18})$")
MAX_VERSION = 2**31 - 1
MAX_ID = 2**63 - 1  # the largest id either database can store; a larger one is a tampered post


def _int(raw, what):
    if raw is None or not raw.isdigit() or int(raw) > MAX_VERSION:
        raise BadEdit(f"The {what} is missing or not a number; reload the sheet and try again.")
    return int(raw)


def parse_sheet_post(data):
    """(sheet version, [CellEdit]) from the editor's or the conflict screen's POST.

    On the conflict screen each contested cell has `theirs-<statement>-<respondent>` (the
    version the screen showed) and a choice, `choice-<statement>-<respondent>` or `all` for
    every cell: "theirs" drops the edit, "mine" bases it on the version shown, so it is saved
    unless the cell changed yet again. Without a choice the cell stays contested.
    """
    version = _int(data.get("version"), "sheet version")
    cells = {}
    for name in data:
        match = CELL_FIELD.match(name)
        if match:
            cells.setdefault((int(match[1]), int(match[2])), {})[match[3]] = data.get(name)
        elif name.startswith("cell-"):
            raise BadEdit(f"“{name[:60]}” is not a field of the sheet editor.")
    edits = []
    for (statement_id, respondent_id), parts in sorted(cells.items()):
        if set(parts) - {"seen"} != {"value", "note", "version"}:
            raise BadEdit(
                f"The answer to statement {statement_id} in column {respondent_id} is incomplete; "
                "reload the sheet and try again."
            )
        cell_version = _int(parts["version"], "answer version")
        choice = None
        if f"theirs-{statement_id}-{respondent_id}" in data:  # contested on the conflict screen
            choice = data.get("all") or data.get(f"choice-{statement_id}-{respondent_id}")
        if choice == "theirs":
            continue
        if choice == "mine":
            cell_version = _int(data.get(f"theirs-{statement_id}-{respondent_id}"), "answer version")
        elif choice is not None:
            raise BadEdit("Choose “keep theirs” or “take mine” for each contested answer.")
        edit = CellEdit(
            statement_id,
            respondent_id,
            parts["value"],
            normalise_note(parts["note"]),
            cell_version,
            parts.get("seen") or None,
        )
        edit.check()
        edits.append(edit)
    return version, edits


class AnswerForm(forms.Form):
    """One cell, autosaved by the editor's script."""

    statement = forms.IntegerField(min_value=1, max_value=MAX_ID)
    respondent = forms.IntegerField(min_value=1, max_value=MAX_ID)
    value = forms.ChoiceField(choices=Answer.Value.choices, required=False)
    note = forms.CharField(required=False, strip=False, max_length=MAX_NOTE_LENGTH)
    version = forms.IntegerField(min_value=0, max_value=MAX_VERSION)
    # What the page showed of the cell (`cells.seen_of`), so that a stale save merges part by part.
    seen = forms.RegexField(regex=SEEN, required=False, max_length=20)

    def clean_note(self):
        return normalise_note(self.cleaned_data["note"])

    def clean(self):
        # An absent value or note must not read as "clear it": the script always sends both.
        missing = [name for name in ("value", "note") if name not in self.data]
        if missing:
            raise ValidationError(f"Send the whole answer: {' and '.join(missing)} missing.")
        return super().clean()

    def edit(self):
        data = self.cleaned_data
        return CellEdit(
            data["statement"],
            data["respondent"],
            data["value"],
            data["note"],
            data["version"],
            data["seen"] or None,
        )

    def error_message(self):
        return " ".join(
            " ".join(errors) if name == "__all__" else f"{name}: {' '.join(errors)}"
            for name, errors in self.errors.items()
        )


class AnswerAdminForm(forms.ModelForm):
    """The admin's change form of an answer: it carries the version it showed, and refuses to
    save over a change somebody made meanwhile."""

    seen_version = forms.IntegerField(min_value=0, max_value=MAX_VERSION, required=False, widget=forms.HiddenInput)

    class Meta:
        model = Answer
        fields = ["respondent", "statement", "value", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_version"].initial = self.instance.version if self.instance.pk else 0

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_version")
        if self.instance.pk and seen is not None:
            current = Answer.objects.filter(pk=self.instance.pk).select_related("updated_by").first()
            if current is not None and current.version != seen:
                raise ValidationError(
                    _("%(who)s changed this answer after you opened this page; reload it to see their change.")
                    % {"who": current.updated_by.get_username() if current.updated_by else _("Somebody")}
                )
        return cleaned


class SheetVersionForm(forms.Form):
    version = forms.IntegerField(min_value=1, max_value=MAX_VERSION, widget=forms.HiddenInput)


class RespondentForm(forms.Form):
    name = forms.CharField(
        max_length=200,
        label=gettext_lazy("Organisation"),
        help_text=gettext_lazy("The organisation interviewed, as the column heading shows it."),
    )
    note = forms.CharField(
        label=gettext_lazy("Header note"),
        required=False,
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Printed as a footnote on the column heading, e.g. the organisation's full name."),
    )

    # What the form showed, so that a change made meanwhile by somebody else is not overwritten.
    was_name = forms.CharField(required=False, strip=False, max_length=200, widget=forms.HiddenInput)
    was_note = forms.CharField(required=False, strip=False, max_length=MAX_NOTE_LENGTH, widget=forms.HiddenInput)

    def __init__(self, *args, sheet, respondent=None, **kwargs):
        self.sheet, self.respondent = sheet, respondent
        super().__init__(*args, **kwargs)
        if respondent is None:
            del self.fields["was_name"], self.fields["was_note"]

    def was(self):
        return self.cleaned_data["was_name"], normalise_note(self.cleaned_data["was_note"])

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        taken = self.sheet.respondents.filter(organisation__name=name)
        if self.respondent is not None:
            taken = taken.exclude(pk=self.respondent.pk)
        if taken.exists():
            raise ValidationError(_("“%(name)s” already has a column on this sheet.") % {"name": name})
        return name

    def clean_note(self):
        return normalise_note(self.cleaned_data["note"]).strip()


class RemoveRespondentForm(SheetVersionForm):
    confirm = forms.BooleanField(
        required=True,
        label=gettext_lazy("Yes, remove this column and its answers"),
        error_messages={"required": gettext_lazy("Tick the box to confirm that the answers of this column go.")},
    )


class TransitionForm(SheetVersionForm):
    comment = forms.CharField(required=False, max_length=MAX_NOTE_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))


class RestoreForm(forms.Form):
    """The parts of a cell to restore, and the answer version the confirmation page showed."""

    parts = forms.MultipleChoiceField(
        choices=[("value", gettext_lazy("Answer")), ("note", gettext_lazy("Annotation"))],
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Restore"),
        error_messages={"required": gettext_lazy("Choose what to restore: the answer, the annotation or both.")},
    )
    version = forms.IntegerField(min_value=0, max_value=MAX_VERSION, widget=forms.HiddenInput)

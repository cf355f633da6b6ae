"""Forms of the sheet editor and the city report editor.

The sheet grid is not a Django form: a 200-statement sheet with three columns would be 600
bound forms. `parse_sheet_post` reads the plain grid of inputs instead and refuses anything a
rendered editor cannot post; the domain checks (statement on this checklist, column of this
sheet) are made by `editing.save_cells` inside its transaction.
"""
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _, gettext_lazy

from assessments.editing import BadEdit, CellEdit, normalise_note
from assessments.models import MAX_NOTE_LENGTH, MAX_REPORT_TEXT_LENGTH, Answer, CityReport, Topic

CELL_FIELD = re.compile(r"^cell-(\d{1,18})-(\d{1,18})-(value|note|version|was)$")
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
        if set(parts) - {"was"} != {"value", "note", "version"}:
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
        was = parts.get("was") or None
        if was is not None and not re.fullmatch(r"[0-9a-f]{16}", was):
            raise BadEdit("A cell fingerprint of the form is damaged; reload the sheet and try again.")
        edit = CellEdit(statement_id, respondent_id, parts["value"], normalise_note(parts["note"]), cell_version, was)
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
        return CellEdit(data["statement"], data["respondent"], data["value"], data["note"], data["version"])

    def error_message(self):
        return " ".join(
            " ".join(errors) if name == "__all__" else f"{name}: {' '.join(errors)}" for name, errors in self.errors.items()
        )


class SheetVersionForm(forms.Form):
    version = forms.IntegerField(min_value=1, max_value=MAX_VERSION, widget=forms.HiddenInput)


class RespondentForm(forms.Form):
    name = forms.CharField(
        max_length=200, label=gettext_lazy("Organisation"),
        help_text=gettext_lazy("The organisation interviewed, as the column heading shows it."),
    )
    note = forms.CharField(
        label=gettext_lazy("Header note"), required=False, max_length=MAX_NOTE_LENGTH, widget=forms.Textarea(attrs={"rows": 2}),
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
        required=True, label=gettext_lazy("Yes, remove this column and its answers"),
        error_messages={"required": gettext_lazy("Tick the box to confirm that the answers of this column go.")},
    )


class TransitionForm(SheetVersionForm):
    comment = forms.CharField(required=False, max_length=MAX_NOTE_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))


class RestoreForm(forms.Form):
    record = forms.IntegerField(min_value=1)
    version = forms.IntegerField(min_value=1, max_value=MAX_VERSION)


# --- city report ----------------------------------------------------------------------------

class CityReportForm(forms.ModelForm):
    version = forms.IntegerField(min_value=0, max_value=MAX_VERSION, widget=forms.HiddenInput)

    class Meta:
        model = CityReport
        fields = ["national_context", "city_observations"]
        widgets = {
            "national_context": forms.Textarea(attrs={"rows": 8}),
            "city_observations": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self._meta.fields:
            self.fields[name].max_length = MAX_REPORT_TEXT_LENGTH
            self.fields[name].strip = True

    def clean_national_context(self):
        return normalise_note(self.cleaned_data["national_context"])

    def clean_city_observations(self):
        return normalise_note(self.cleaned_data["city_observations"])


class ConclusionForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Text"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(), widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Topics"), help_text=gettext_lazy("What the conclusion is about; cities are matched on these."),
    )

    def clean_text(self):
        return normalise_note(self.cleaned_data["text"])


class BaseConclusionFormSet(forms.BaseFormSet):
    """One list of conclusions; its order is the order of the forms (with ORDER fields)."""

    def entries(self):
        """[(text, {topic ids})] in the chosen order, without the deleted and empty forms."""
        return [(f.cleaned_data["text"], {t.pk for t in f.cleaned_data["topics"]}) for f in self.ordered_forms]

    def get_ordering_widget(self):
        return forms.NumberInput(attrs={"min": 1, "class": "form-control form-control-sm conclusion-order"})


ConclusionFormSet = forms.formset_factory(
    ConclusionForm, formset=BaseConclusionFormSet, extra=1, can_delete=True, can_order=True,
    max_num=50, validate_max=True,
)


def conclusion_initial(report, kind):
    """The initial data of a conclusion formset: the report's conclusions of `kind`, in order."""
    if report is None:
        return []
    return [
        {"text": c.text, "topics": [t.pk for t in c.topics.all()], "ORDER": index}
        for index, c in enumerate((c for c in report.conclusions.all() if c.kind == kind), start=1)
    ]

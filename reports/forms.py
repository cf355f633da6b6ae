"""Forms of the city report editor: the two texts, the conclusions, adding, removing, restoring.

Each part carries what the page showed (`seen_*`, `*-seen`, `*-seen-order`) so that the server can
merge it with what is saved now, part by part (`reports.editing.save_report`).
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _, gettext_lazy

from assessments.cells import normalise_note
from assessments.models import MAX_REPORT_TEXT_LENGTH, Conclusion, Topic
from reports.editing import TEXTS, ReportEdit, content, current_parts, fingerprint

MAX_ID = 2**63 - 1
MAX_CONCLUSION_LENGTH = 2000
FINGERPRINT = re.compile(r"[0-9a-f]{16}")


class FingerprintField(forms.CharField):
    widget = forms.HiddenInput

    def clean(self, value):
        value = super().clean(value)
        if not FINGERPRINT.fullmatch(value):
            raise ValidationError(_("The form is damaged; reload the page and try again."))
        return value


class TopicPicker(forms.CheckboxSelectMultiple):
    """The topics as a compact disclosure: the chosen ones in one line, the checkboxes behind it.
    Plain HTML (<details>), so it works with the keyboard and without JavaScript."""

    template_name = "reports/widgets/topic_picker.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = {str(v) for v in (value or [])}
        context["widget"]["chosen"] = [str(label) for pk, label in self.choices if str(pk) in chosen]
        context["widget"]["open"] = self.open
        return context

    open = False  # shown opened: on the add page, and when the topics have an error


class OpenTopicPicker(TopicPicker):
    open = True


class ReportTextsForm(forms.Form):
    national_context = forms.CharField(
        label=gettext_lazy("National context"),
        required=False,
        strip=True,
        max_length=MAX_REPORT_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    city_observations = forms.CharField(
        label=gettext_lazy("City-level observations"),
        required=False,
        strip=True,
        max_length=MAX_REPORT_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    seen_national_context = FingerprintField()
    seen_city_observations = FingerprintField()

    def clean_national_context(self):
        return normalise_note(self.cleaned_data["national_context"])

    def clean_city_observations(self):
        return normalise_note(self.cleaned_data["city_observations"])


def topics_field(widget):
    """A conclusion's topics, the cities' matching key, chosen with `widget`."""
    return forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(),
        widget=widget,
        label=gettext_lazy("Topics"),
        help_text=gettext_lazy("What the conclusion is about; cities are matched on these."),
        error_messages={"required": gettext_lazy("Choose at least one topic.")},
    )


class ConclusionForm(forms.Form):
    id = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    seen = FingerprintField()
    text = forms.CharField(
        label=gettext_lazy("Text"),
        max_length=MAX_CONCLUSION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Enter the text of the conclusion.")},
    )
    topics = topics_field(TopicPicker)

    def full_clean(self):
        super().full_clean()
        self.fields["topics"].widget.open = "topics" in self._errors

    def clean_text(self):
        return normalise_note(self.cleaned_data["text"])


class BaseConclusionFormSet(forms.BaseFormSet):
    """The conclusions of one list as the page showed them, and the order the person wants."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("Position")

    def get_ordering_widget(self):
        return forms.NumberInput(attrs={"min": 1, "class": "form-control form-control-sm conclusion-order"})

    def seen_order_name(self):
        return f"{self.prefix}-seen-order"

    def clean(self):
        raw = self.data.get(self.seen_order_name(), "") if self.is_bound else ""
        if raw and not re.fullmatch(r"\d{1,18}(,\d{1,18})*", raw):
            raise ValidationError(_("The form is damaged; reload the page and try again."))
        self.seen_order = [int(pk) for pk in raw.split(",")] if raw else []
        ids = [f.cleaned_data.get("id") for f in self.forms if f.cleaned_data]
        if len(ids) != len(set(ids)):
            raise ValidationError(_("The form is damaged; reload the page and try again."))

    def parts(self):
        """({pk: ((text, topic ids), seen)}, (mine order, seen order))."""
        conclusions = {
            f.cleaned_data["id"]: (
                (f.cleaned_data["text"], {t.pk for t in f.cleaned_data["topics"]}),
                f.cleaned_data["seen"],
            )
            for f in self.forms
        }
        order = [f.cleaned_data["id"] for f in self.ordered_forms]
        return conclusions, (order, self.seen_order)


ConclusionFormSet = forms.formset_factory(
    ConclusionForm,
    formset=BaseConclusionFormSet,
    extra=0,
    can_order=True,
    max_num=100,
    validate_max=True,
    absolute_max=100,
)


def editor_forms(report, data=None):
    """The texts form and {kind: formset} of the editor, bound to `data` or showing `report`."""
    texts, conclusions, orders = current_parts(report)
    initial = {name: texts[name] for name in TEXTS}
    initial.update({f"seen_{name}": fingerprint(texts[name]) for name in TEXTS})
    form = ReportTextsForm(data, initial=initial)
    choices = [(topic.pk, str(topic)) for topic in Topic.objects.all()]  # read once, not once per conclusion
    lists = {}
    for kind in Conclusion.Kind.values:
        lists[kind] = ConclusionFormSet(
            data,
            prefix=kind,
            initial=[
                {
                    "id": pk,
                    "seen": fingerprint(content(conclusions[pk])),
                    "text": conclusions[pk].text,
                    "topics": [t.pk for t in conclusions[pk].topics.all()],
                    "ORDER": position,
                }
                for position, pk in enumerate(orders[kind], start=1)
            ],
        )
        for f in lists[kind].forms:
            f.fields["topics"].widget.choices = choices
        shown = ",".join(str(pk) for pk in orders[kind])
        lists[kind].seen_order_value = shown if data is None else data.get(lists[kind].seen_order_name(), "")
    return form, lists


def report_edit(form, lists):
    """The `ReportEdit` of valid forms."""
    edit = ReportEdit(texts={name: (form.cleaned_data[name], form.cleaned_data[f"seen_{name}"]) for name in TEXTS})
    for kind, formset in lists.items():
        conclusions, order = formset.parts()
        edit.conclusions.update(conclusions)
        edit.orders[kind] = order
    return edit


def error_summary(form, lists, labels):
    """[(message, anchor id)] of every error of the editor, in page order, for the summary on top."""
    errors = []
    for name in TEXTS:
        for message in form.errors.get(name, []):
            errors.append((f"{form[name].label}: {message}", form[name].id_for_label))
    for name, messages in form.errors.items():
        if name not in TEXTS:
            errors += [(message, "report-form") for message in messages]
    for kind, formset in lists.items():
        for message in formset.non_form_errors():
            errors.append((f"{labels[kind]}: {message}", f"{kind}-list"))
        for number, f in enumerate(formset.forms, start=1):
            for name in ("text", "topics"):
                for message in f.errors.get(name, []):
                    anchor = f[name].id_for_label if name == "text" else f"{f[name].auto_id}_0"
                    errors.append(
                        (
                            _("%(list)s, conclusion %(number)s: %(message)s")
                            % {"list": labels[kind], "number": number, "message": message},
                            anchor,
                        )
                    )
            for name in ("id", "seen", "ORDER", "__all__"):
                for message in f.errors.get(name, []):
                    errors.append(
                        (
                            _("%(list)s, conclusion %(number)s: %(message)s")
                            % {"list": labels[kind], "number": number, "message": message},
                            f"{kind}-list",
                        )
                    )
    return errors


class AddConclusionForm(forms.Form):
    text = ConclusionForm.base_fields["text"]
    topics = topics_field(OpenTopicPicker)
    clean_text = ConclusionForm.clean_text


class RemoveConclusionForm(forms.Form):
    seen = FingerprintField()


class RestoreForm(forms.Form):
    seen = FingerprintField()

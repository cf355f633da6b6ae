"""The answer vocabulary (yes / no / no data, their labels and marks) is written once, on the
model, and every page, export and report reads it from there."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from assessments.models import Answer

APPS = ("assessments", "reports", "matching", "guidance", "stakeholders", "translations", "mega")


def test_the_model_gives_each_answer_its_label_mark_and_phrase():
    assert [(v.value, str(v.label), v.mark) for v in Answer.Value] == [
        ("yes", "Yes", "✓"),
        ("no", "No", "–"),
        ("nd", "No data", "n/d"),
        ("", "Not answered", ""),
    ]
    assert Answer.Value.given() == ["yes", "no", "nd"]
    with translation.override("en"):
        assert str(Answer.Value.NO_DATA.phrase) == "no data"


def test_the_marks_are_written_nowhere_else_in_the_code():
    """A second copy of the vocabulary is how the ten copies began."""
    copies = []
    for app in APPS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if "migrations" in path.parts or path.name == "models.py" and app == "assessments":
                continue
            text = path.read_text()
            if re.search(r'"n/d"|"✓"|gettext_lazy\("No data"\)', text):
                copies.append(str(path))
    assert copies == []


def test_the_editor_offers_the_models_answers_in_its_order(officer_client, sheet):
    html = officer_client.get(reverse("sheets:edit", args=[sheet.pk])).content.decode()
    first_cell = html.split("<fieldset", 2)[1]
    labels = re.findall(r'<label class="form-check-label[^"]*" for="v[^"]+">([^<]+)</label>', first_cell)
    assert labels == [str(v.label) for v in Answer.Value]

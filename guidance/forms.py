"""The self-assessment form: one choice per statement (0–10, "no answer", or not rated yet).

Besides each choice the form carries what the participant saw when the page was drawn (the
assessment's version and each statement's value then), so a save based on an older page can be
merged with what was saved meanwhile, or refused as a conflict, but never overwrite it.
"""

from django import forms
from django.utils.translation import gettext_lazy

from guidance.models import MAX_SCORE

NOT_RATED = ""
NO_ANSWER = "na"
CHOICES = [(NOT_RATED, gettext_lazy("Not rated")), (NO_ANSWER, gettext_lazy("No answer"))] + [
    (str(v), str(v)) for v in range(MAX_SCORE + 1)
]
LABELS = dict(CHOICES)


def choice_of(rating):
    """The form value of a Rating (or None for no rating)."""
    if rating is None:
        return NOT_RATED
    return NO_ANSWER if rating.score is None else str(rating.score)


def score_of(choice):
    """The Rating.score of a form value other than NOT_RATED."""
    return None if choice == NO_ANSWER else int(choice)


def label_of(choice):
    return LABELS.get(choice, choice)


class SelfAssessmentForm(forms.Form):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, statements, **kwargs):
        super().__init__(*args, **kwargs)
        self.statements = list(statements)
        for statement in self.statements:
            self.fields[self.score_name(statement)] = forms.ChoiceField(
                choices=CHOICES,
                required=False,
                widget=forms.RadioSelect,
                label=f"{statement.number} {statement.text}",
            )
            self.fields[self.seen_name(statement)] = forms.ChoiceField(
                choices=CHOICES,
                required=False,
                widget=forms.HiddenInput,
            )

    @staticmethod
    def score_name(statement):
        return f"score_{statement.number}"

    @staticmethod
    def seen_name(statement):
        return f"seen_{statement.number}"

    def rows(self):
        """(statement, its choice field, its hidden 'seen' field), for the template loop."""
        return [(s, self[self.score_name(s)], self[self.seen_name(s)]) for s in self.statements]

    def chosen(self):
        """{statement pk: choice} as submitted."""
        return {s.pk: self.cleaned_data[self.score_name(s)] for s in self.statements}

    def seen(self):
        """{statement pk: choice} as the page showed them when it was drawn."""
        return {s.pk: self.cleaned_data[self.seen_name(s)] for s in self.statements}

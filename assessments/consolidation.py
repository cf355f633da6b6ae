"""The city's answer to a statement, consolidated from its respondent columns.

One rule, used everywhere (sheet editor, reports, exports, matching, comparisons):

- **yes** when every respondent who answered with data (yes or no) says yes,
- **partly** when some of them say yes and some say no,
- **no** when none of them says yes,
- **no data** (`nd`) when nobody answered with data but someone answered "no data",
- not answered (`''`) when nobody answered at all.

Unanswered columns are left out, and so is a "no data" beside an answer with data: Milan's
immigrant business organisations' "– n/d" is *no*, "✓ n/d" is *yes*. Respondents *disagree*
when one says yes and another says no, which is exactly when the consolidated answer is partly.

`consolidate()` decides for the values of one row in Python; `consolidated_expression()` is the
same rule as a database expression over the per-row counts of yes / no / no data, so that matching
and comparisons aggregate in SQL. A test checks that the two agree on every combination.
"""

from django.db.models import Case, CharField, Count, Q, Value, When
from django.utils.translation import pgettext_lazy

from assessments.models import Answer

# The answer vocabulary is Answer.Value's; consolidating adds one answer of its own, "partly".
YES, NO, NO_DATA, NOT_ANSWERED = (v.value for v in Answer.Value)
PARTLY = "partly"

LABELS = {**{v.value: v.phrase for v in Answer.Value}, PARTLY: pgettext_lazy("answer", "partly")}
MARKS = {**{v.value: v.mark for v in Answer.Value}, PARTLY: "◐"}
# Order of the consolidated answers, for "improved" / "declined"; no data and not answered have none.
RANK = {NO: 0, PARTLY: 1, YES: 2}


def consolidate_counts(yes, no, nd):
    """The consolidated answer from how many respondents said yes, no and no data."""
    if yes and not no:
        return YES
    if yes and no:
        return PARTLY
    if no:
        return NO
    if nd:
        return NO_DATA
    return NOT_ANSWERED


def consolidate(values):
    """The consolidated answer of one statement from its respondents' values ('yes', 'no', 'nd', '')."""
    values = list(values)
    return consolidate_counts(values.count(YES), values.count(NO), values.count(NO_DATA))


def disagreement(values):
    """Whether the respondents contradict each other (one says yes, another no)."""
    values = list(values)
    return YES in values and NO in values


def count_annotations():
    """Aggregates counting the yes / no / no data answers of a group of `Answer` rows."""
    return {
        "n_yes": Count("pk", filter=Q(value=YES)),
        "n_no": Count("pk", filter=Q(value=NO)),
        "n_nd": Count("pk", filter=Q(value=NO_DATA)),
    }


def consolidated_expression():
    """`consolidate_counts` as a database expression over the annotations of `count_annotations`."""
    return Case(
        When(n_yes__gt=0, n_no=0, then=Value(YES)),
        When(n_yes__gt=0, n_no__gt=0, then=Value(PARTLY)),
        When(n_no__gt=0, then=Value(NO)),
        When(n_nd__gt=0, then=Value(NO_DATA)),
        default=Value(NOT_ANSWERED),
        output_field=CharField(),
    )


def consolidated_answers(answers, *group_by):
    """Rows of (`*group_by`, "consolidated") from a queryset of `Answer`, one per group.

    Group by the statement and something that identifies one sheet (the sheet, or the city when
    the answers are of one round), e.g. `consolidated_answers(qs, "respondent__sheet_id",
    "statement_id")`. The counting and the rule run in the database.
    """
    return (
        answers.order_by()
        .values(*group_by)
        .annotate(**count_annotations())
        .annotate(consolidated=consolidated_expression())
    )


def by_sheet(answers):
    """{(sheet id, statement id): consolidated answer} for a queryset of `Answer` (one query)."""
    return {
        (row["respondent__sheet_id"], row["statement_id"]): row["consolidated"]
        for row in consolidated_answers(answers, "respondent__sheet_id", "statement_id")
    }

"""Random posts to the sheet editor's two saves (the full form and the one-cell autosave) never give
a 500 and never change another sheet, whatever field names, ids and values they carry.

The posts start from the editor's real form (or a real autosave) and mutate it: fields dropped or
given other values, the ids of another sheet's statements and columns (Milan's chamber sheet, and
Turin's own municipality sheet) put in, conflict-screen choices and nonsense names added.
"""

import json

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import Answer, Checklist, Respondent, Sheet
from tests.factories import make_sheet
from tests.sheet_posts import load_editor

ALLOWED = {200, 302, 400, 409}
FUZZ = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

values = (
    st.sampled_from(
        [
            "yes",
            "no",
            "nd",
            "",
            "maybe",
            "YES",
            "0",
            "-1",
            "1",
            "2147483648",
            "99999999999999999999",
            "1e3",
            " 1",
            "\x00",
            "mine",
            "theirs",
            "0123456789abcdef",
            "zzzzzzzzzzzzzzzz",
        ]
    )
    | st.integers(-(2**64), 2**64).map(str)
    | st.text(max_size=40)
)
parts = st.sampled_from(["value", "note", "version", "was", "other"])


@pytest.fixture
def sheets(milan, turin):
    """(the sheet posted to, the other sheets): Milan's municipality sheet, its chamber sheet and Turin's."""
    target = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="municipality")
    chamber = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="chamber")
    checklist = Checklist.objects.get(stakeholder_type__slug="municipality", version="1")
    torino = make_sheet(turin, checklist, respondents=("Comune di Torino", "CCIAA Torino"), round="2018")
    return target, [chamber, torino]


def others_state(target):
    """Everything of the other sheets that a save could change."""
    answers = (
        Answer.objects.exclude(respondent__sheet=target)
        .order_by("id")
        .values_list("id", "respondent_id", "statement_id", "value", "note", "version")
    )
    columns = (
        Respondent.objects.exclude(sheet=target)
        .order_by("id")
        .values_list("id", "sheet_id", "organisation_id", "position", "note")
    )
    rows = Sheet.objects.exclude(pk=target.pk).order_by("id").values_list("id", "status", "version")
    history = Answer.history.exclude(respondent_id__in=target.respondents.values("id")).count()
    return list(answers), list(columns), list(rows), history


def cell_ids(sheet):
    statements = list(sheet.checklist.levels.values_list("statements__id", flat=True))
    columns = list(sheet.respondents.values_list("id", flat=True))
    return statements, columns


@st.composite
def mutations(draw, own, foreign):
    """A list of (action, name, value) to apply to the editor's form."""
    statement_ids = own[0] + foreign[0]
    column_ids = own[1] + foreign[1]
    name = st.one_of(
        st.builds(
            lambda s, r, p: f"cell-{s}-{r}-{p}", st.sampled_from(statement_ids), st.sampled_from(column_ids), parts
        ),
        st.builds(lambda s, r: f"theirs-{s}-{r}", st.sampled_from(statement_ids), st.sampled_from(column_ids)),
        st.builds(lambda s, r: f"choice-{s}-{r}", st.sampled_from(statement_ids), st.sampled_from(column_ids)),
        st.sampled_from(["version", "all", "cell-", "cell-1-2", "cell-1-2-3-value", "csrfmiddlewaretoken"]),
        st.text(max_size=20),
    )
    return draw(st.lists(st.tuples(st.sampled_from(["set", "drop"]), name, values), min_size=1, max_size=8))


@pytest.fixture
def editor(client, officer, sheets):
    client.force_login(officer)
    target, others = sheets
    form = load_editor(client, target)
    own = cell_ids(target)
    foreign = ([], [])
    for sheet in others:
        statements, columns = cell_ids(sheet)
        foreign[0].extend(statements)
        foreign[1].extend(columns)
    return client, target, others, form, own, foreign


def test_random_full_form_posts_never_fail_or_touch_another_sheet(editor):
    client, target, others, form, own, foreign = editor
    url = reverse("sheets:edit", args=[target.pk])
    before = others_state(target)

    @FUZZ
    @given(st.data())
    def post(data):
        fields = dict(form)
        target.refresh_from_db()
        if data.draw(st.booleans()):
            fields["version"] = str(target.version)
        for action, name, value in data.draw(mutations(own, foreign)):
            if action == "drop":
                fields.pop(name, None)
            else:
                fields[name] = value
        response = client.post(url, fields)
        assert response.status_code in ALLOWED, (response.status_code, fields)
        assert others_state(target) == before

    post()


def test_random_autosaves_never_fail_or_touch_another_sheet(editor):
    client, target, others, form, own, foreign = editor
    url = reverse("sheets:answer", args=[target.pk])
    before = others_state(target)
    json_values = (
        st.none()
        | st.booleans()
        | st.integers(-(2**70), 2**70)
        | st.floats(allow_nan=True)
        | values
        | st.lists(st.integers(0, 10), max_size=2)
        | st.dictionaries(st.text(max_size=5), st.integers(), max_size=2)
    )
    # What the script sends, then a few of its values replaced by another sheet's ids or junk.
    valid = st.fixed_dictionaries(
        {
            "statement": st.sampled_from(own[0]),
            "respondent": st.sampled_from(own[1]),
            "value": st.sampled_from(["yes", "no", "nd", ""]),
            "note": st.text(max_size=50),
            "version": st.integers(0, 4),
        }
    )
    foreign_ids = st.sampled_from(foreign[0]) | st.sampled_from(foreign[1])
    changes = st.lists(
        st.tuples(
            st.sampled_from(["statement", "respondent", "value", "note", "version", "extra"]), foreign_ids | json_values
        ),
        max_size=2,
    )
    body = st.builds(lambda base, replaced: {**base, **dict(replaced)}, valid, changes)
    case = st.one_of(
        st.tuples(st.just("json"), body),
        st.tuples(st.just("json"), body),
        st.tuples(st.just("json"), st.lists(body, max_size=2) | json_values),
        st.tuples(st.just("form"), body),
        st.tuples(st.just("raw"), st.binary(max_size=60)),
    )

    @FUZZ
    @given(case=case)
    def post(case):
        kind, content = case
        if kind == "form":
            fields = {k: v if isinstance(v, str) else json.dumps(v) for k, v in content.items()}
            response = client.post(url, fields)
        else:
            raw = content if kind == "raw" else json.dumps(content)
            response = client.post(url, raw, content_type="application/json")
        assert response.status_code in ALLOWED, (response.status_code, content)
        # The script reads every answer of the autosave as JSON.
        assert response["Content-Type"].startswith("application/json"), (response["Content-Type"], content)
        assert others_state(target) == before

    post()


def test_an_autosave_naming_an_id_beyond_any_database_is_refused_not_a_server_error(client, officer, milan):
    """Found by the fuzzing above: 2**63 overflowed SQLite's INTEGER and gave a 500."""
    import json as _json

    from assessments.models import Sheet

    sheet = Sheet.objects.filter(city=milan).order_by("pk").first()
    client.force_login(officer)
    response = client.post(
        f"/sheets/{sheet.pk}/answer/",
        data=_json.dumps({"statement": 2**63, "respondent": 1, "value": "yes", "note": "", "version": 0}),
        content_type="application/json",
    )
    assert response.status_code == 400

"""`import_city`: an existing city's round is only changed on request (--replace), then in place and
on the record; a file that is not a clean exchange document is refused with one line per problem,
naming its place, and changes nothing."""

import copy
import json

import pytest
from django.core.management import CommandError, call_command

from assessments.exchange import IMPORT_ACTOR, export_city
from assessments.models import Answer, Sheet
from tests.dumps import database_dump


@pytest.fixture
def milan_file(milan, tmp_path):
    def write(document=None, text=None):
        path = tmp_path / "milan.json"
        path.write_text(text if text is not None else json.dumps(document or export_city(milan)), encoding="utf-8")
        return path

    return write


def refused(path, *args):
    before = database_dump()
    with pytest.raises(CommandError) as error:
        call_command("import_city", str(path), *args)
    assert database_dump() == before, "a refused file changed the database"
    return str(error.value)


def test_an_existing_city_and_round_are_refused_without_replace(milan_file):
    message = refused(milan_file())
    assert message.endswith(
        "'milan' already has round '2018'; nothing was changed (use --replace to update it to this file)"
    )


def test_replace_updates_in_place_with_new_versions_and_the_import_as_author(milan, milan_file, capsys):
    sheet = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="municipality")
    answers_before = {a.pk: (a.value, a.version) for a in Answer.objects.filter(respondent__sheet__city=milan)}
    document = export_city(milan)
    cell = document["sheets"][0]["levels"][0]["items"][0]["answers"][0]
    cell["value"] = "no" if cell["value"] == "yes" else "yes"
    call_command("import_city", str(milan_file(document)), "--replace")

    assert Sheet.objects.filter(city=milan).count() == 4 and Sheet.objects.get(pk=sheet.pk).version == sheet.version + 1
    answers_after = {a.pk: (a.value, a.version) for a in Answer.objects.filter(respondent__sheet__city=milan)}
    assert answers_after.keys() == answers_before.keys(), "every answer kept its id"
    changed = [pk for pk in answers_after if answers_after[pk] != answers_before[pk]]
    assert len(changed) == 1
    answer = Answer.objects.get(pk=changed[0])
    assert answer.version == answers_before[answer.pk][1] + 1 and answer.value == cell["value"]
    last = answer.history.order_by("-history_id").first()
    assert last.history_user.username == IMPORT_ACTOR and not last.history_user.has_usable_password()
    assert export_city(milan) == document


def test_replace_with_the_same_file_changes_no_version(milan, milan_file):
    versions = sorted(Answer.objects.filter(respondent__sheet__city=milan).values_list("pk", "version"))
    call_command("import_city", str(milan_file()), "--replace")
    assert sorted(Answer.objects.filter(respondent__sheet__city=milan).values_list("pk", "version")) == versions


def test_a_duplicate_key_is_refused_naming_the_key_and_line(milan, milan_file):
    text = json.dumps(export_city(milan), indent=1).replace(
        '"country": "Italy"', '"country": "Italy", "country": "France"', 1
    )
    line = text[: text.index('"country": "France"')].count("\n") + 1
    message = refused(milan_file(text=text), "--replace")
    assert f"key 'country' appears twice in one object (near line {line}," in message and "\n" not in message


@pytest.mark.parametrize(
    ("place", "value", "expected"),
    [
        (["city", "name"], "Mil\u0007an", "city.name: contains the control character U+0007 at character 4"),
        (
            ["sheets", 0, "levels", 0, "items", 0, "answers", 0, "note"],
            "a\u0000b",
            "sheets[0].levels[0].items[0].answers[0].note: contains the control character U+0000 at character 2",
        ),
        (
            ["sheets", 0, "respondents", 0, "note"],
            "\ud800",
            "sheets[0].respondents[0].note: contains the control character U+D800",
        ),
        (["round"], 2018, "round: must be a string or null, not a number"),
        (["sheets", 0, "levels", 0, "number"], "1", "sheets[0].levels[0].number: must be a whole number, not a string"),
        (["report", "may_share"], "none", "report.may_share: must be a list, not a string"),
        (["city"], ["milan"], "city: must be an object, not a list"),
    ],
)
def test_bad_text_and_wrong_types_are_refused_with_their_place(milan, milan_file, place, value, expected):
    document = copy.deepcopy(export_city(milan))
    target = document
    for key in place[:-1]:
        target = target[key]
    target[place[-1]] = value
    message = refused(milan_file(document), "--replace")
    assert f"\n  {expected}" in message, message

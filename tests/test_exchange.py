"""The JSON exchange format: export, import, and refusal of bad files that changes nothing."""

import copy
import json

import pytest
from django.core.management import CommandError, call_command

from assessments.exchange import ExchangeError, export_city, import_city
from assessments.models import Answer, CityReport, Sheet
from stakeholders.models import City
from tests.dumps import database_dump


@pytest.fixture
def milan_document(milan):
    return export_city(milan)


def test_export_import_export_is_identical(milan_document):
    import_city(copy.deepcopy(milan_document))
    assert export_city(City.objects.get(slug="milan")) == milan_document


def test_import_into_a_new_city_creates_it_with_its_sheets(milan_document):
    document = copy.deepcopy(milan_document)
    document["city"] = {"slug": "milano-copy", "name": "Milano (copy)", "country": "Italy"}
    city, round = import_city(document)
    assert city.name == "Milano (copy)" and round.name == "2018"
    assert Sheet.objects.filter(city=city).count() == 4
    assert Answer.objects.filter(respondent__sheet__city=city).count() == 90
    exported = export_city(city)
    assert exported["sheets"] == milan_document["sheets"]
    assert exported["report"] == milan_document["report"]


def test_import_replaces_the_round_rather_than_adding_to_it(milan_document):
    document = copy.deepcopy(milan_document)
    document["sheets"] = document["sheets"][:1]
    document["sheets"][0]["levels"][0]["items"][0]["answers"][0] = {"value": "no", "note": "changed"}
    city, round = import_city(document)
    assert Sheet.objects.filter(city=city, round=round).count() == 1
    assert export_city(city)["sheets"][0]["levels"][0]["items"][0]["answers"][0] == {"value": "no", "note": "changed"}


def test_items_left_out_are_not_answered(milan_document):
    document = copy.deepcopy(milan_document)
    del document["sheets"][0]["levels"][1]["items"][3:]
    city, _ = import_city(document)
    items = export_city(city)["sheets"][0]["levels"][1]["items"]
    assert len(items) == 14
    assert items[5]["answers"] == [{"value": None, "note": None}]


def test_whitespace_in_statement_text_does_not_matter(milan_document):
    document = copy.deepcopy(milan_document)
    item = document["sheets"][0]["levels"][0]["items"][0]
    item["text"] = "  " + item["text"].replace(" ", "\n  ", 3) + " "
    import_city(document)


def test_a_document_without_report_is_accepted(milan_document):
    document = copy.deepcopy(milan_document)
    document["report"] = None
    city, round = import_city(document)
    assert not CityReport.objects.filter(city=city, round=round).exists()


def _break(path, value):
    """A mutation that sets `value` at `path` (a list of keys) in the document."""

    def mutate(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        if value is _DELETE:
            del target[path[-1]]
        else:
            target[path[-1]] = value

    return mutate


_DELETE = object()
ITEM = ["sheets", 0, "levels", 0, "items", 0]

BAD_DOCUMENTS = {
    "wrong format tag": (_break(["format"], "mega-benchmark/2"), "format: must be 'mega-benchmark/1'"),
    "not an object": (lambda d: d.clear() or None, "document: is missing 'format'"),
    "slug that is not a slug": (_break(["city", "slug"], "Milan City!"), "city.slug: must be a slug"),
    "empty city name": (_break(["city", "name"], "  "), "city.name: must not be empty"),
    "unknown stakeholder type": (
        _break(["sheets", 1, "stakeholder_type"], "trade_union"),
        "sheets[1].stakeholder_type: unknown stakeholder type",
    ),
    "unknown checklist version": (
        _break(["sheets", 0, "checklist_version"], "9"),
        "sheets[0].checklist_version: the municipality checklist has no version '9'",
    ),
    "unknown statement": (
        _break(ITEM + ["text"], "The municipality runs a moon base."),
        "sheets[0].levels[0].items[0].text: no statement of level 1",
    ),
    "unknown topic": (
        _break(["report", "may_share", 0, "topics"], ["space-travel"]),
        "report.may_share[0].topics[0]: unknown topic 'space-travel'",
    ),
    "too few answers": (
        _break(ITEM + ["answers"], []),
        "sheets[0].levels[0].items[0].answers: has 0 answers but the sheet has 1",
    ),
    "bad value": (
        _break(ITEM + ["answers", 0, "value"], "maybe"),
        "sheets[0].levels[0].items[0].answers[0].value: must be 'yes', 'no', 'nd' or null",
    ),
    "boolean value": (
        _break(ITEM + ["answers", 0, "value"], True),
        "answers[0].value: must be 'yes', 'no', 'nd' or null",
    ),
    "level that does not exist": (
        _break(["sheets", 0, "levels", 0, "number"], 4),
        "sheets[0].levels[0].number: the checklist has no level 4",
    ),
    "missing respondents": (_break(["sheets", 0, "respondents"], _DELETE), "sheets[0]: is missing 'respondents'"),
    "note that is a number": (
        _break(ITEM + ["answers", 0, "note"], 7),
        "answers[0].note: must be a string or null, not a number",
    ),
    "huge annotation": (_break(ITEM + ["answers", 0, "note"], "x" * 5000), "answers[0].note: is 5000 characters long"),
    "unknown field": (_break(["sheets", 0, "colour"], "red"), "sheets[0].colour: is not a known field"),
    "sheets not a list": (_break(["sheets"], {"a": 1}), "sheets: must be a list, not an object"),
    "two sheets of one type": (
        lambda d: d["sheets"].append(copy.deepcopy(d["sheets"][0])),
        "sheets[4].stakeholder_type: 'municipality' appears in more than one sheet",
    ),
    "duplicate respondent": (
        lambda d: d["sheets"][3]["respondents"][1].update(name="Mille Soleils"),
        "sheets[3].respondents[1].name: 'Mille Soleils' is already a column",
    ),
    "conclusion without topics": (
        _break(["report", "may_look_at", 2, "topics"], []),
        "report.may_look_at[2].topics: must name at least one topic",
    ),
}


@pytest.mark.parametrize("case", BAD_DOCUMENTS, ids=list(BAD_DOCUMENTS))
def test_bad_document_is_refused_with_its_place_and_changes_nothing(milan_document, case):
    mutate, message = BAD_DOCUMENTS[case]
    document = copy.deepcopy(milan_document)
    document["sheets"][0]["levels"][0]["items"][0]["answers"][0]["value"] = "no"  # would change Milan if applied
    mutate(document)
    before = database_dump()
    with pytest.raises(ExchangeError) as refused:
        import_city(document)
    assert any(message in error for error in refused.value.errors), refused.value.errors
    assert database_dump() == before


def test_every_error_of_a_documents_shape_is_reported_at_once(milan_document):
    document = copy.deepcopy(milan_document)
    document["city"]["slug"] = "Not A Slug"
    document["sheets"][2]["levels"][1]["items"][0]["answers"][0]["value"] = "perhaps"
    document["report"]["may_share"][0]["text"] = 7
    with pytest.raises(ExchangeError) as refused:
        import_city(document)
    assert [error.split(":")[0] for error in refused.value.errors] == [
        "city.slug",
        "report.may_share[0].text",
        "sheets[2].levels[1].items[0].answers[0].value",
    ]


def test_every_error_against_the_database_is_reported_at_once(milan_document):
    document = copy.deepcopy(milan_document)
    document["sheets"][1]["checklist_version"] = "9"
    document["sheets"][2]["levels"][1]["items"][0]["text"] = "Not a statement."
    document["report"]["may_share"][0]["topics"] = ["nope"]
    with pytest.raises(ExchangeError) as refused:
        import_city(document)
    assert len(refused.value.errors) == 3


def test_a_document_that_is_not_an_object_is_refused(db):
    with pytest.raises(ExchangeError) as refused:
        import_city([1, 2, 3])
    assert refused.value.errors == ["document: must be an object, not a list"]


# --- the commands --------------------------------------------------------------------------


def test_export_command_writes_the_document_to_a_file(milan, tmp_path):
    target = tmp_path / "milan.json"
    call_command("export_city", "milan", "-o", str(target))
    assert json.loads(target.read_text(encoding="utf-8")) == export_city(milan)


def test_export_command_writes_to_standard_output(milan, capsys):
    call_command("export_city", "milan", "--round", "2018")
    assert json.loads(capsys.readouterr().out)["round"] == "2018"


def test_export_command_refuses_an_unknown_city(db):
    with pytest.raises(CommandError, match="no city with slug 'atlantis'"):
        call_command("export_city", "atlantis")


def test_import_command_round_trip(milan, tmp_path, capsys):
    target = tmp_path / "milan.json"
    call_command("export_city", "milan", "-o", str(target))
    call_command("import_city", str(target), "--replace")
    assert "imported Milan (milan), round 2018" in capsys.readouterr().out
    assert export_city(milan) == json.loads(target.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON: Expecting property name enclosed in double quotes at line 1, column 2"),
        (b"\xff\xfe\x00", "not UTF-8 text"),
        (b'{"format": "mega-benchmark/1", "city": {}, "round": "2018", "sheets": []}', "refused, nothing was changed"),
    ],
)
def test_import_command_refuses_unreadable_files(milan, tmp_path, content, message):
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    before = database_dump()
    with pytest.raises(CommandError, match=message):
        call_command("import_city", str(bad))
    assert database_dump() == before


def test_import_command_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="cannot read the file"):
        call_command("import_city", str(tmp_path / "nowhere.json"))


def test_import_command_refuses_an_oversized_file(db, tmp_path, settings):
    settings.MAX_UPLOAD_BYTES = 100
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"padding": "x" * 200}))
    with pytest.raises(CommandError, match="larger than 100 bytes"):
        call_command("import_city", str(big))

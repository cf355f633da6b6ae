"""docs/exchange.schema.json, the published exchange format: a valid JSON Schema that every exported
document meets, with the same limits as the models."""

from jsonschema import Draft202012Validator

from assessments.exchange import SCHEMA, export_city
from assessments.models import MAX_NOTE_LENGTH, MAX_REPORT_TEXT_LENGTH
from guidance.exchange import MAX_PARTICIPANT_LENGTH
from guidance.models import MAX_SCORE


def test_the_schema_is_a_valid_json_schema():
    Draft202012Validator.check_schema(SCHEMA)


def test_an_exported_city_meets_the_schema(milan):
    assert list(Draft202012Validator(SCHEMA).iter_errors(export_city(milan))) == []


def test_the_schemas_limits_are_the_models():
    definitions = SCHEMA["$defs"]
    assert definitions["answer"]["properties"]["note"]["maxLength"] == MAX_NOTE_LENGTH
    assert definitions["respondent"]["properties"]["note"]["maxLength"] == MAX_NOTE_LENGTH
    assert definitions["report"]["properties"]["national_context"]["maxLength"] == MAX_REPORT_TEXT_LENGTH
    assert definitions["report"]["properties"]["city_observations"]["maxLength"] == MAX_REPORT_TEXT_LENGTH
    assert definitions["self_assessment"]["properties"]["participant"]["maxLength"] == MAX_PARTICIPANT_LENGTH
    assert definitions["rating"]["properties"]["score"]["maximum"] == MAX_SCORE

"""The self-assessments in the exchange format: exported, imported, validated by place, optional."""

import copy

import pytest

from assessments.exchange import FORMAT, ExchangeError, export_city, import_city
from assessments.models import Round
from guidance.models import GuidanceModule, GuidanceStatement, Rating, SelfAssessment
from stakeholders.models import City
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def rate(city, name, scores, user=None):
    assessment = SelfAssessment.objects.create(
        city=city,
        round=Round.objects.get(name="2018"),
        module=GuidanceModule.objects.get(number="6"),
        participant=user,
        participant_name=name,
        version=1,
    )
    for number, score in scores.items():
        Rating.objects.create(
            assessment=assessment, statement=GuidanceStatement.objects.get(number=number), score=score
        )
    return assessment


@pytest.fixture
def rated_milan(milan):
    rate(milan, "olga", {"6.2": 4, "6.1": 7, "6.3": None}, user=make_user("olga"))
    rate(milan, "carlo", {"6.1": 0})
    return milan


def test_a_round_without_ratings_exports_as_before(milan):
    document = export_city(milan)
    assert "self_assessments" not in document and document["format"] == FORMAT


def test_ratings_are_exported_by_participant_in_statement_order(rated_milan):
    assert export_city(rated_milan)["self_assessments"] == [
        {"module": "6", "participant": "carlo", "ratings": [{"statement": "6.1", "score": 0}]},
        {
            "module": "6",
            "participant": "olga",
            "ratings": [
                {"statement": "6.1", "score": 7},
                {"statement": "6.2", "score": 4},
                {"statement": "6.3", "score": None},
            ],
        },
    ]


def test_export_import_export_is_identical_and_links_known_users(rated_milan):
    document = export_city(rated_milan)
    copy_of = copy.deepcopy(document)
    copy_of["city"] = {"slug": "milano-copy", "name": "Milano (copy)", "country": "Italy"}
    city, _ = import_city(copy.deepcopy(copy_of))
    assert export_city(city) == copy_of
    by_name = {a.participant_name: a for a in SelfAssessment.objects.filter(city=city)}
    assert by_name["olga"].participant.username == "olga"
    assert by_name["carlo"].participant is None  # no such user here: the name is kept


def test_a_file_without_self_assessments_leaves_them_alone(rated_milan):
    document = export_city(rated_milan)
    del document["self_assessments"]
    import_city(document)
    assert SelfAssessment.objects.filter(city=rated_milan).count() == 2


def test_an_empty_list_removes_the_rounds_self_assessments(rated_milan):
    document = export_city(rated_milan)
    document["self_assessments"] = []
    import_city(document)
    assert not SelfAssessment.objects.filter(city=rated_milan).exists()


def test_importing_twice_changes_nothing(rated_milan):
    document = export_city(rated_milan)
    import_city(copy.deepcopy(document))
    import_city(copy.deepcopy(document))
    assert export_city(City.objects.get(slug="milan")) == document
    assert Rating.objects.filter(assessment__city=rated_milan).count() == 4


@pytest.mark.parametrize(
    "change, place, message",
    [
        (
            lambda d: d["self_assessments"][0]["ratings"][0].update(score=11),
            "self_assessments[0].ratings[0].score",
            "must be a whole number from 0 to 10, or null for no answer, not 11",
        ),
        (
            lambda d: d["self_assessments"][0]["ratings"][0].update(score="7"),
            "self_assessments[0].ratings[0].score",
            "not '7'",
        ),
        (
            lambda d: d["self_assessments"][0]["ratings"][0].update(score=True),
            "self_assessments[0].ratings[0].score",
            "not True",
        ),
        (
            lambda d: d["self_assessments"][1]["ratings"][1].update(statement="6.9"),
            "self_assessments[1].ratings[1].statement",
            "module 6 has no statement '6.9'",
        ),
        (
            lambda d: d["self_assessments"][1]["ratings"][1].update(statement="6.1"),
            "self_assessments[1].ratings[1].statement",
            "6.1 is rated twice",
        ),
        (
            lambda d: d["self_assessments"][0].update(module="7"),
            "self_assessments[0].module",
            "unknown guidance module '7'",
        ),
        (
            lambda d: d["self_assessments"][1].update(participant="carlo"),
            "self_assessments[1].participant",
            "'carlo' already rated module 6 above",
        ),
        (
            lambda d: d["self_assessments"][0].update(participant=""),
            "self_assessments[0].participant",
            "must not be empty",
        ),
        (lambda d: d["self_assessments"][0].update(colour="red"), "self_assessments[0].colour", "is not a known field"),
        (lambda d: d.update(self_assessments={"6.1": 3}), "self_assessments", "must be a list, not an object"),
    ],
)
def test_bad_self_assessments_are_refused_by_place_and_change_nothing(rated_milan, change, place, message):
    document = export_city(rated_milan)
    before = export_city(rated_milan)
    change(document)
    with pytest.raises(ExchangeError) as refused:
        import_city(document)
    assert any(error.startswith(place + ":") and message in error for error in refused.value.errors), (
        refused.value.errors
    )
    assert export_city(rated_milan) == before

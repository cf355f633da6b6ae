"""Links between MEGA and guidance statements, and the "Guidance for the gaps" of a city report."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Round, Statement, Topic
from guidance.links import gaps, linked_guidance
from guidance.models import GuidanceStatement, RecommendedAction, StatementLink
from tests.factories import answer, make_checklist, make_sheet

pytestmark = pytest.mark.django_db

# The municipality's "help to create a network" statement (level 2, no. 11; topic networking):
# Milan answered no.
MUNICIPALITY_NETWORK = dict(
    level__checklist__stakeholder_type__slug="municipality",
    level__checklist__version="1",
    level__number=2,
    position=11,
)


def numbers(guidance):
    return [g.number for g in guidance]


def test_statements_sharing_a_topic_are_linked(milan):
    statement = Statement.objects.get(**MUNICIPALITY_NETWORK)
    assert list(statement.topics.values_list("slug", flat=True)) == ["networking"]
    assert numbers(linked_guidance([statement.pk])[statement.pk]) == ["6.1", "6.2", "6.4", "6.5"]


def test_a_statement_without_a_shared_topic_has_no_link(milan):
    finance = Statement.objects.filter(topics__slug="access-to-finance").first()
    assert finance.topics.count() == 1
    assert linked_guidance([finance.pk]) == {}


def test_an_admin_can_add_and_remove_a_link(milan):
    statement = Statement.objects.get(**MUNICIPALITY_NETWORK)
    StatementLink.objects.create(
        statement=statement, guidance=GuidanceStatement.objects.get(number="6.1"), kind=StatementLink.Kind.REMOVE
    )
    StatementLink.objects.create(
        statement=statement, guidance=GuidanceStatement.objects.get(number="6.6"), kind=StatementLink.Kind.ADD
    )
    assert numbers(linked_guidance([statement.pk])[statement.pk]) == ["6.2", "6.4", "6.5", "6.6"]


def test_links_take_a_fixed_number_of_queries(milan):
    ids = list(Statement.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        links = linked_guidance(ids)
    assert len(queries) <= 4
    assert len(links) > 30


def milan_gaps(milan):
    return {g.sheet.checklist.stakeholder_type.slug: g for g in gaps(milan, Round.objects.get(name="2018"))}


def test_milan_appendix_has_the_actions_for_a_hand_picked_no(milan):
    """Milan's municipality does not help immigrant entrepreneurs to create a network (2.11, networking):
    the appendix gives 6.4's actions for it, the only networking or language "no" of that sheet."""
    municipality = milan_gaps(milan)["municipality"]
    network_statement = Statement.objects.get(**MUNICIPALITY_NETWORK)
    assert network_statement in municipality.statements
    by_number = {entry.guidance.number: entry for entry in municipality.guidance}
    assert by_number["6.4"].statements == [network_statement]
    assert [a.text for a in by_number["6.4"].actions] == [
        "Ensure that network animators can effectively communicate with migrants, including in relevant languages.",
        "Animate the network so that migrant entrepreneurs have multiple ways of actively and/or passively "
        "participating in network activities, e.g. online, face-to-face.",
    ]
    assert "Partner with organisations that work with migrant entrepreneurs to promote networking initiatives." in [
        a.text for a in by_number["6.2"].actions
    ]


def test_removing_the_link_removes_those_actions_from_the_appendix(milan):
    StatementLink.objects.create(
        statement=Statement.objects.get(**MUNICIPALITY_NETWORK),
        guidance=GuidanceStatement.objects.get(number="6.4"),
        kind=StatementLink.Kind.REMOVE,
    )
    assert "6.4" not in [entry.guidance.number for entry in milan_gaps(milan)["municipality"].guidance]


def test_no_action_appears_twice_in_a_sheet(milan):
    for sheet_gaps in milan_gaps(milan).values():
        pks = [action.pk for action in sheet_gaps.actions]
        assert len(pks) == len(set(pks))
    # Several of the municipality's "no" statements are about data (6.1, 6.6): their actions come once.
    municipality = milan_gaps(milan)["municipality"]
    data = {entry.guidance.number: entry for entry in municipality.guidance}["6.6"]
    assert len(data.statements) > 1
    assert len(data.actions) == 4


def test_only_no_answers_are_gaps_not_yes_or_no_data(milan):
    checklist = make_checklist(version="gaps")
    networking = Topic.objects.get(slug="networking")
    for statement in Statement.objects.filter(level__checklist=checklist):
        statement.topics.add(networking)
    sheet = make_sheet(milan, checklist, respondents=("A", "B"))
    answer(sheet, 1, 1, 0, "yes")
    answer(sheet, 1, 2, 0, "nd")
    answer(sheet, 2, 1, 0, "yes")
    answer(sheet, 2, 1, 1, "no")  # one column's no is enough
    found = {g.sheet.pk: g for g in gaps(milan, sheet.round)}[sheet.pk]
    assert [(s.level.number, s.position) for s in found.statements] == [(2, 1)]
    networking_actions = RecommendedAction.objects.filter(statement__topics=networking).count()
    assert len(found.actions) == networking_actions


def test_gaps_take_a_fixed_number_of_queries(milan):
    round = Round.objects.get(name="2018")
    with CaptureQueriesContext(connection) as queries:
        result = gaps(milan, round)
        sum(len(g.actions) for g in result)
    assert len(result) == 4
    assert len(queries) <= 8

"""The OECD module 6 guidance as loaded from fixtures/oecd-module6.json: complete and word for word."""

import json
import re

import pytest
from django.core.management import call_command

from guidance.management.commands.build_guidance_fixture import SOURCE, TARGET, guidance_fixture, render
from guidance.models import GuidanceBlock, GuidanceModule, GuidanceStatement, RecommendedAction, Reference
from tests.seeds import seed_path

SEED = "oecd-guidance-expanding-networks.txt"
ACTIONS_PER_STATEMENT = {"6.1": 6, "6.2": 4, "6.3": 3, "6.4": 2, "6.5": 4, "6.6": 4}


def seed_text():
    # Compare as a reader would: the seed's bullets and runs of spaces are layout, not words.
    return " ".join(seed_path(SEED).read_text(encoding="utf-8").replace("•", " ").split())


def words(text):
    return " ".join(text.split())


@pytest.mark.django_db
def test_module_6_has_six_statements_in_order(milan):
    module = GuidanceModule.objects.get(number="6")
    assert module.title == "Expanding Networks for Migrant Entrepreneurs"
    assert list(module.statements.values_list("number", flat=True)) == ["6.1", "6.2", "6.3", "6.4", "6.5", "6.6"]


@pytest.mark.django_db
def test_each_statement_has_all_its_recommended_actions(milan):
    counts = {s.number: s.actions.count() for s in GuidanceStatement.objects.all()}
    assert counts == ACTIONS_PER_STATEMENT


@pytest.mark.django_db
def test_spot_checked_texts_match_the_seed(milan):
    s62 = GuidanceStatement.objects.get(number="6.2")
    assert s62.text == (
        "Public networking initiatives are promoted to build connections between migrant entrepreneurs with "
        "different profiles and existing entrepreneurs and mainstream business networks."
    )
    assert RecommendedAction.objects.get(statement__number="6.1", position=6).text == (
        "Identify access issues, e.g. can different profiles of migrants travel to face-to-face events? "
        "Where are appropriate venues for holding meetings for the target group? Is language prohibitive?"
    )
    assert RecommendedAction.objects.get(statement__number="6.4", position=1).text == (
        "Ensure that network animators can effectively communicate with migrants, including in relevant languages."
    )
    assert RecommendedAction.objects.get(statement__number="6.6", position=4).text == (
        "Adjust networking activities to reflect the demands and uses of migrant entrepreneurs."
    )
    assert GuidanceStatement.objects.get(number="6.3").actions_intro == (
        "In helping migrant entrepreneurs connect with entrepreneurship support organisations through "
        "entrepreneurship networks, it is important for policy makers to:"
    )


@pytest.mark.django_db
def test_every_text_of_the_guidance_occurs_word_for_word_in_the_seed(milan):
    seed = seed_text()
    module = GuidanceModule.objects.get(number="6")
    texts = [module.title, module.introduction] + [r.text for r in module.references.all()]
    for statement in GuidanceStatement.objects.with_content():
        texts += [f"{statement.number}. {statement.text}", statement.summary, statement.actions_intro]
        texts += [a.text for a in statement.actions.all()]
        for block in statement.blocks.all():
            texts += block.items if block.kind == "list" else [block.text]
    missing = [t for t in texts if words(t) not in seed]
    assert missing == []


@pytest.mark.django_db
def test_lists_keep_their_structure(milan):
    s66 = GuidanceStatement.objects.get(number="6.6")
    lists = [b for b in s66.blocks.all() if b.kind == "list"]
    assert [(b.ordered, len(b.items)) for b in lists] == [(True, 3), (True, 6), (True, 3)]
    assert lists[1].items[2] == "Evaluators should be “in at the start”;"
    s61 = GuidanceStatement.objects.get(number="6.1")
    unordered = [b for b in s61.blocks.all() if b.kind == "list"]
    assert [len(b.items) for b in unordered] == [3, 5] and not any(b.ordered for b in unordered)
    assert unordered[1].items[0].startswith("Relevance: The extent to which")


@pytest.mark.django_db
def test_the_guidance_covers_the_seed_from_its_first_statement_to_its_last_action(milan):
    """Nothing is left out between the statements: every paragraph and bullet of the seed after the
    references is a statement, summary, block, actions introduction or action."""
    seed_lines = [words(line.replace("•", "")) for line in seed_path(SEED).read_text(encoding="utf-8").splitlines()]
    start = next(i for i, line in enumerate(seed_lines) if line.startswith("6.1. "))
    pieces = set()
    for statement in GuidanceStatement.objects.with_content():
        pieces |= {
            words(f"{statement.number}. {statement.text}"),
            words(statement.summary),
            words(statement.actions_intro),
        }
        pieces |= {words(a.text) for a in statement.actions.all()}
        for block in statement.blocks.all():
            items = block.items if block.kind == "list" else [block.text]
            pieces |= {words(re.sub(r"^\d+\. ", "", item)) for item in items}
    leftover = [
        line
        for line in seed_lines[start:]
        if line and re.sub(r"^\d+\. ", "", line) not in pieces and line not in pieces
    ]
    assert leftover == []


@pytest.mark.django_db
def test_references_are_the_six_of_the_note(milan):
    references = list(Reference.objects.filter(module__number="6").values_list("text", flat=True))
    assert len(references) == 6
    assert references[4] == (
        "OECD/European Union (2014), “Policy Brief on Expanding Networks for Inclusive Entrepreneurship”, "
        "Publications Office of the European Union, Luxembourg."
    )


@pytest.mark.django_db
def test_statements_are_tagged_with_topics_of_the_vocabulary(milan):
    for statement in GuidanceStatement.objects.prefetch_related("topics"):
        assert statement.topics.exists(), statement.number
    assert set(GuidanceStatement.objects.get(number="6.6").topics.values_list("slug", flat=True)) == {
        "data-monitoring-evaluation"
    }


def test_fixture_is_what_the_command_builds_from_the_transcription():
    source = json.loads(SOURCE.read_text(encoding="utf-8"))
    assert TARGET.read_text(encoding="utf-8") == render(guidance_fixture(source))


@pytest.mark.django_db
def test_loading_the_fixture_twice_changes_nothing(milan):
    counts = (GuidanceStatement.objects.count(), GuidanceBlock.objects.count(), RecommendedAction.objects.count())
    call_command("loaddata", "oecd-module6", verbosity=0)
    assert (
        (GuidanceStatement.objects.count(), GuidanceBlock.objects.count(), RecommendedAction.objects.count())
        == counts
        == (6, 40, 23)
    )

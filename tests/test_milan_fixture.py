"""The Milan fixture is a faithful transcription of the seed report."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from assessments.exchange import export_city
from assessments.models import Checklist, CityReport, Conclusion, Sheet, Statement
from assessments.sheet_table import build_sheet_table
from tests.seeds import seed_path


# (stakeholder type, level) → statements; per column (yes, no, nd), read off the seed by hand.
EXPECTED = {
    ("municipality", 1): (6, [(3, 3, 0)]),
    ("municipality", 2): (14, [(4, 9, 1)]),
    ("municipality", 3): (9, [(5, 4, 0)]),
    ("chamber", 1): (6, [(6, 0, 0)]),
    ("chamber", 2): (6, [(3, 3, 0)]),
    ("chamber", 3): (6, [(2, 4, 0)]),
    ("business_organisation", 1): (5, [(3, 1, 1)]),
    ("business_organisation", 2): (6, [(2, 4, 0)]),
    ("business_organisation", 3): (4, [(1, 3, 0)]),
    ("immigrant_business_organisation", 1): (4, [(3, 1, 0), (2, 2, 0)]),
    ("immigrant_business_organisation", 2): (6, [(3, 3, 0), (2, 3, 1)]),
    ("immigrant_business_organisation", 3): (4, [(2, 2, 0), (2, 2, 0)]),
}
FOOTNOTES = {"municipality": 5, "chamber": 4, "business_organisation": 3, "immigrant_business_organisation": 13}


def table_for(stakeholder_type):
    sheet = Sheet.objects.get(
        city__slug="milan", round__name="2018", checklist__stakeholder_type__slug=stakeholder_type
    )
    return build_sheet_table(sheet)


def seed_text():
    return " ".join(seed_path("milan-benchmarking-report.txt").read_text(encoding="utf-8").split())


@pytest.mark.parametrize(("key", "expected"), EXPECTED.items(), ids=lambda v: str(v))
def test_statements_and_marks_per_level_and_column(milan, key, expected):
    stakeholder_type, number = key
    statements, per_column = expected
    block = next(b for b in table_for(stakeholder_type).levels if b.level.number == number)
    assert len(block.rows) == statements
    summary = block.summary()
    assert [(c["yes"], c["no"], c["nd"]) for c in summary] == per_column
    assert all(c["open"] == 0 for c in summary), "every Milan statement is answered"


@pytest.mark.parametrize(("stakeholder_type", "count"), FOOTNOTES.items())
def test_footnotes_run_from_one_without_gaps(milan, stakeholder_type, count):
    table = table_for(stakeholder_type)
    assert [f.number for f in table.footnotes] == list(range(1, count + 1))


def test_four_sheets_in_stakeholder_order(milan):
    sheets = Sheet.objects.filter(city=milan).order_by("checklist__stakeholder_type__position")
    assert [s.checklist.stakeholder_type.slug for s in sheets] == [
        "municipality",
        "chamber",
        "business_organisation",
        "immigrant_business_organisation",
    ]


def test_chamber_column_carries_the_chambers_full_name_as_footnote_one(milan):
    table = table_for("chamber")
    [column] = table.columns
    assert column.respondent.name == "CCI"
    assert column.footnote == 1
    assert table.footnotes[0].text == "Camera di Commercio di Milano Monza Brianza Lodi"


def test_immigrant_sheet_has_mille_soleils_then_sunugal(milan):
    table = table_for("immigrant_business_organisation")
    assert [c.respondent.name for c in table.columns] == ["Mille Soleils", "Sunugal"]
    assert table.columns[0].footnote == 1
    assert table.columns[1].footnote is None
    assert table.footnotes[0].text == "Cooperativa Sociale Interculturale Mille Soleils onlus"


def test_two_column_marks_are_read_per_column(milan):
    """`2 -3` is yes (2), no (3); `- n/d` is no, no data; `-8 -9` is no (8), no (9)."""
    table = table_for("immigrant_business_organisation")

    def cells(prefix):
        [row] = [r for r in table.rows if r.statement.text.startswith(prefix)]
        return [(c.value, c.footnote) for c in row.cells]

    assert cells("The immigrant business organisation provides help with administrative") == [("yes", 2), ("no", 3)]
    assert cells("The immigrant business organisation sets aside resources") == [("no", None), ("nd", None)]
    assert cells("The immigrant business organisation acts as a broker") == [("no", 8), ("no", 9)]
    assert cells("The immigrant business organisation works with banks") == [("yes", 12), ("yes", 13)]
    assert cells("The immigrant business organisation cooperates with migrant associations") == [
        ("yes", None),
        ("no", 4),
    ]


def test_municipality_footnote_texts_are_word_for_word(milan):
    texts = [f.text for f in table_for("municipality").footnotes]
    assert texts[1] == "Only in few cases and more for social services targeting immigrants"
    assert texts[2] == "But the services are not specifically focused on immigrant entrepreneurs"
    assert texts[4] == "Not only for migrants"
    assert texts[0].startswith("From the questionnaire: “Sometimes, it depends on context.")


def test_municipality_no_data_statement(milan):
    row = next(r for r in table_for("municipality").rows if r.cells[0].value == "nd")
    assert row.statement.text == (
        "The municipality’s business support unit uses migrant associations and community leaders as "
        "multipliers to increase its outreach."
    )
    assert row.statement.level.number == 2


def test_every_statement_and_footnote_text_is_in_the_seed(milan):
    """Hyphens repaired at line breaks, every word otherwise as in the seed."""
    seed = seed_text().replace("- ", "").replace("-", "")
    for statement in Statement.objects.all():
        assert " ".join(statement.text.split()).replace("-", "") in seed, statement.text
    for stakeholder_type in FOOTNOTES:
        for footnote in table_for(stakeholder_type).footnotes:
            assert " ".join(footnote.text.split()).replace("-", "") in seed, footnote.text


def test_outcome_and_level_descriptions_are_transcribed(milan):
    municipality = Checklist.objects.get(stakeholder_type__slug="municipality", version="1")
    assert municipality.outcome.startswith("The final objectives of the municipality’s work to support immigrant")
    basic = municipality.levels.get(number=1)
    assert basic.name == "Laying the foundations"
    assert basic.description.endswith("with the full backing from municipality leaders and managers.")
    assert municipality.levels.get(number=3).name == "Making the work normal practice"


def test_report_texts_and_conclusions(milan):
    report = CityReport.objects.get(city=milan, round__name="2018")
    assert report.national_context.startswith("As of today, one enterprise out of ten in Italy")
    assert "Forum Cittá Mondo" in report.city_observations
    share = report.conclusions.filter(kind=Conclusion.Kind.SHARE).order_by("position")
    look = report.conclusions.filter(kind=Conclusion.Kind.LOOK_AT).order_by("position")
    assert share.count() == 4 and look.count() == 3
    assert share[1].text == "facilitating access to finance and cooperation with banks/financial institutions"
    assert look[0].text == "cities that have developed a knowledge base for assessing and tracking needs"
    assert all(c.topics.exists() for c in report.conclusions.all())
    assert {"data-monitoring-evaluation"} <= {t.slug for t in look[0].topics.all()}
    assert {"inclusive-procurement"} <= {t.slug for t in look[1].topics.all()}


def test_every_statement_has_a_topic(milan):
    assert Statement.objects.count() == 76
    assert not Statement.objects.filter(topics=None).exists()


def test_fixture_agrees_with_its_transcription(milan):
    source = json.loads((Path(settings.BASE_DIR) / "fixtures/source/milan-2018.json").read_text(encoding="utf-8"))
    assert export_city(milan) == source


def test_fixtures_load_twice_without_duplicates(milan):
    before = (Statement.objects.count(), Sheet.objects.count(), Conclusion.objects.count())
    call_command("loaddata", "stakeholder_types", "topics", "checklists", "milan-2018", verbosity=0)
    assert (Statement.objects.count(), Sheet.objects.count(), Conclusion.objects.count()) == before

"""The group results of a self-assessment: mean, spread and count, with "no answer" left out."""

import pytest
from django.contrib.auth import get_user_model

from assessments.models import Round
from guidance.models import GuidanceModule, GuidanceStatement, Rating, SelfAssessment
from guidance.results import build_results, chart, lowest_first, summarise


def test_mean_spread_and_count_of_scores():
    summary = summarise([2, 4, 9])
    assert summary.count == 3 and summary.no_answer == 0
    assert summary.mean == pytest.approx(5.0)
    assert (summary.low, summary.high, summary.spread) == (2, 9, 7)
    assert summary.stdev == pytest.approx(2.943920, abs=1e-6)


def test_no_answer_is_left_out_of_the_average():
    summary = summarise([4, None, 8, None])
    assert summary.mean == pytest.approx(6.0)
    assert summary.count == 2 and summary.no_answer == 2


def test_only_no_answer_gives_no_average_not_zero():
    summary = summarise([None, None])
    assert summary.mean is None and summary.spread is None and summary.stdev is None
    assert summary.count == 0 and summary.no_answer == 2


def test_zero_is_a_score_like_any_other():
    summary = summarise([0, 0])
    assert summary.mean == 0 and summary.count == 2 and summary.spread == 0


def test_no_ratings_at_all_give_no_average():
    assert summarise([]).mean is None


class FakeStatement:
    def __init__(self, number, position):
        self.number, self.position, self.text = number, position, f"Statement {number}"


def rows(*means_and_scores):
    return [
        {"statement": FakeStatement(f"6.{i}", i), "summary": summarise(scores)}
        for i, scores in enumerate(means_and_scores, start=1)
    ]


def test_lowest_scores_come_first_and_statements_without_a_mean_last():
    ordered = lowest_first(rows([8], [None], [3], [5, 1], []))
    assert [r["statement"].number for r in ordered] == ["6.3", "6.4", "6.1", "6.2", "6.5"]


def test_chart_has_a_bar_only_where_there_is_a_mean():
    geometry = chart(rows([10, 0], [None]))
    with_mean, without = geometry["bars"]
    assert with_mean["width"] == 250.0  # mean 5 of a 500-unit scale
    assert (with_mean["low_x"], with_mean["high_x"]) == (geometry["x0"], geometry["x_end"])
    assert "width" not in without
    assert [t["value"] for t in geometry["ticks"]] == list(range(11))


@pytest.mark.django_db
def test_results_count_each_participant_once(milan):
    module = GuidanceModule.objects.get(number="6")
    round = Round.objects.get(name="2018")
    User = get_user_model()
    s61, s62 = GuidanceStatement.objects.filter(number__in=["6.1", "6.2"]).order_by("position")
    for name, score61, score62 in [("ann", 3, None), ("bob", 7, None), ("cid", None, None)]:
        assessment = SelfAssessment.objects.create(
            city=milan,
            round=round,
            module=module,
            participant=User.objects.create(username=name),
            participant_name=name,
            version=1,
        )
        Rating.objects.create(assessment=assessment, statement=s61, score=score61)
        Rating.objects.create(assessment=assessment, statement=s62, score=score62)
    data = build_results(milan, round, module)
    by_number = {row["statement"].number: row["summary"] for row in data["rows"]}
    assert data["participants"] == 3
    assert (by_number["6.1"].mean, by_number["6.1"].count, by_number["6.1"].no_answer) == (5, 2, 1)
    assert by_number["6.2"].mean is None and by_number["6.2"].no_answer == 3
    assert by_number["6.3"].count == 0 and by_number["6.3"].no_answer == 0
    assert data["lowest_first"][0]["statement"].number == "6.1"

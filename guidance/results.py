"""The group results of a self-assessment: per statement the mean, the spread and the number of answers.

As in the Better Entrepreneurship Policy Tool, "no answer" is left out of every figure: a
statement that only has "no answer" has no mean at all (None, shown as "–"), never 0.
Plain functions returning plain data; the HTML page, the PDF and the chart only present it.
"""

import math
from dataclasses import dataclass

from guidance.models import MAX_SCORE, GuidanceStatement, Rating, SelfAssessment
from translations.lookup import with_translations


@dataclass(frozen=True)
class Summary:
    count: int  # number of scores (0–10) given
    no_answer: int  # number of "no answer"
    mean: float | None
    low: int | None
    high: int | None
    stdev: float | None  # population standard deviation of the scores

    @property
    def spread(self):
        """Highest minus lowest score; None without scores."""
        return None if self.count == 0 else self.high - self.low


def summarise(scores):
    """Summary of ratings given as scores 0–10, with None for "no answer"."""
    scores = list(scores)
    given = [s for s in scores if s is not None]
    no_answer = len(scores) - len(given)
    if not given:
        return Summary(count=0, no_answer=no_answer, mean=None, low=None, high=None, stdev=None)
    mean = sum(given) / len(given)
    stdev = math.sqrt(sum((s - mean) ** 2 for s in given) / len(given))
    return Summary(
        count=len(given),
        no_answer=no_answer,
        mean=mean,
        low=min(given),
        high=max(given),
        stdev=stdev,
    )


def lowest_first(rows):
    """Rows ordered by mean, lowest first; statements without a mean come last, in module order."""
    return sorted(
        rows, key=lambda row: (row["summary"].mean is None, row["summary"].mean or 0, row["statement"].position)
    )


def build_results(city, round, module):
    """Everything the results page and its PDF show, in four queries."""
    statements = list(
        GuidanceStatement.objects.filter(module=module)
        .prefetch_related("actions", *with_translations("", "actions"))
        .order_by("position")
    )
    assessments = SelfAssessment.objects.of(city, round, module)
    scores = {s.pk: [] for s in statements}
    ratings = Rating.objects.filter(assessment__in=assessments).values_list("statement_id", "score")
    for statement_id, score in ratings:
        scores.setdefault(statement_id, []).append(score)
    rows = [{"statement": s, "summary": summarise(scores[s.pk]), "actions": list(s.actions.all())} for s in statements]
    return {
        "city": city,
        "round": round,
        "module": module,
        # Someone who cleared every rating again has not taken part.
        "participants": assessments.filter(ratings__isnull=False).distinct().count(),
        "rows": rows,
        "lowest_first": lowest_first(rows),
        "chart": chart(rows),
    }


# --- the chart ---------------------------------------------------------------------------

CHART_LABEL_WIDTH = 60
CHART_SCALE_WIDTH = 500
CHART_ROW_HEIGHT = 34
CHART_TOP = 10
CHART_AXIS_HEIGHT = 30


def chart(rows):
    """Geometry of a horizontal bar chart (SVG user units): one bar per statement for the mean,
    a whisker from the lowest to the highest score, and the 0–10 scale below."""
    unit = CHART_SCALE_WIDTH / MAX_SCORE
    x0 = CHART_LABEL_WIDTH
    bars = []
    for i, row in enumerate(rows):
        summary = row["summary"]
        y = CHART_TOP + i * CHART_ROW_HEIGHT
        bar = {
            "label": row["statement"].number,
            "title": row["statement"].text,
            "y": y,
            "bar_y": y + 6,
            "bar_height": CHART_ROW_HEIGHT - 12,
            "bar_bottom": y + CHART_ROW_HEIGHT - 6,
            "mid_y": y + CHART_ROW_HEIGHT / 2,
            "text_y": y + CHART_ROW_HEIGHT / 2 + 5,
            "summary": summary,
        }
        if summary.mean is not None:
            bar["width"] = round(summary.mean * unit, 1)
            bar["low_x"] = round(x0 + summary.low * unit, 1)
            bar["high_x"] = round(x0 + summary.high * unit, 1)
            bar["value_x"] = round(x0 + summary.high * unit + 8, 1)
        bars.append(bar)
    axis_y = CHART_TOP + len(rows) * CHART_ROW_HEIGHT
    return {
        "width": x0 + CHART_SCALE_WIDTH + 50,
        "height": axis_y + CHART_AXIS_HEIGHT,
        "x0": x0,
        "top": CHART_TOP,
        "note_x": x0 + 6,
        "x_end": x0 + CHART_SCALE_WIDTH,
        "axis_y": axis_y,
        "tick_label_y": axis_y + 18,
        "ticks": [{"value": v, "x": round(x0 + v * unit, 1)} for v in range(0, MAX_SCORE + 1)],
        "bars": bars,
    }

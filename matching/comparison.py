"""How a city compares with its cohort: per stakeholder type and level, the share of statements
whose consolidated answer is yes.

- **Share of yes** of a city, stakeholder type and level: statements whose consolidated answer
  (see `consolidation`) is yes, out of the statements of that level it answered (yes, partly, no
  or no data). Unanswered statements are left out; a level with none answered has no share.
- **Cohort**: the *other* cities of the round (`round`), or those in the same country
  (`country`), or those in the same size band when the admin has given the city one
  (`size_band`). The cohort's median and quartiles (inclusive method) are computed without the
  city itself, so it cannot subtract its own figure, and are shown only when at least
  `MIN_COHORT` cities contribute to that stakeholder type and level: below that the few figures
  would let anyone infer other cities' unpublished answers.
- **Details** of other cities (their own shares, one row per city) are shown only for the cities
  whose details the user may see (`permissions.detail_cities`: assigned or report published).

The counting runs in the database (`level_counts`): one aggregate query for the whole cohort,
run once per change of the round's sheets, its figures then kept in the cache (`cohort_shares`).
"""

import bisect
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.utils.translation import gettext_lazy

from assessments import consolidation
from assessments.models import Answer, Level, Sheet, Statement
from assessments.permissions import detail_cities
from matching import charts
from mega.versioned import versioned
from stakeholders.models import City, StakeholderType

MIN_COHORT = 3
# A city's country or size band can change without a new stamp; a day bounds how long a
# cohort by country or band may then lag behind.
CACHE_SECONDS = 60 * 60 * 24
MAX_DETAIL_ROWS = 50
COHORTS = {
    "round": gettext_lazy("all other cities of the round"),
    "country": gettext_lazy("other cities in the same country"),
    "size_band": gettext_lazy("other cities in the same size band"),
}


@dataclass
class Counts:
    yes: int = 0
    answered: int = 0

    @property
    def share(self):
        return self.yes / self.answered if self.answered else None


def level_counts(answers):
    """{(round id, city id, stakeholder type id, level number): Counts} for a queryset of `Answer`.

    The statements are consolidated per sheet by `consolidation.consolidated_answers` (the inner
    query, grouped by sheet and statement only) and counted per sheet and level by an outer GROUP
    BY around it, in one database round trip; checklists and levels (a few rows) are then named.
    """
    inner = consolidation.consolidated_answers(
        answers.annotate(k_sheet=F("respondent__sheet_id"), k_statement=F("statement_id")), "k_sheet", "k_statement"
    )
    sql, params = inner.query.sql_with_params()
    q = connection.ops.quote_name
    sheet, statement = q(Sheet._meta.db_table), q(Statement._meta.db_table)
    outer = (
        f"SELECT s.{q('round_id')}, s.{q('city_id')}, s.{q('checklist_id')}, st.{q('level_id')}, "
        f"SUM(CASE WHEN t.{q('consolidated')} = %s THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN t.{q('consolidated')} <> %s THEN 1 ELSE 0 END) "
        f"FROM ({sql}) t JOIN {sheet} s ON s.{q('id')} = t.{q('k_sheet')} "
        f"JOIN {statement} st ON st.{q('id')} = t.{q('k_statement')} "
        f"GROUP BY s.{q('round_id')}, s.{q('city_id')}, s.{q('checklist_id')}, st.{q('level_id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(outer, (consolidation.YES, consolidation.NOT_ANSWERED, *params))
        rows = cursor.fetchall()
    levels = {
        pk: (stakeholder_type_id, number)
        for pk, stakeholder_type_id, number in Level.objects.filter(pk__in={row[3] for row in rows}).values_list(
            "pk", "checklist__stakeholder_type_id", "number"
        )
    }
    counts = defaultdict(Counts)
    for round_id, city_id, _, level_id, yes, answered in rows:
        stakeholder_type_id, number = levels[level_id]
        total = counts[round_id, city_id, stakeholder_type_id, number]
        total.yes += int(yes)
        total.answered += int(answered)
    return dict(counts)


def cohort_shares(round, cohort, city):
    """({(stakeholder type id, level number): the sorted shares of yes of the cohort's cities},
    the number of the cohort's cities with answers) in `round`, computed once per change of the
    round's sheets (`Round.sheets_stamp`) and kept in the cache (`versioned`): counting every
    answer of a round of thousands of cities takes seconds, while the stamp is one small aggregate. The figures are
    kept rather than the counts per city, which a request would otherwise unpack city by city.

    While officers are at work the stamp changes several times a second, so figures computed
    under an older stamp are still used for `COHORT_FIGURES_MAX_AGE` seconds: the cohort of a
    round moves by a few answers in a minute, and its figures are then counted once a minute at
    most rather than on every request. The city's own figures are counted apart, always fresh."""
    answers = Answer.objects.filter(respondent__sheet__round=round)
    scope = ""
    if cohort == "country":
        answers = answers.filter(respondent__sheet__city__country=city.country)
        scope = city.country
    elif cohort == "size_band":
        answers = answers.filter(respondent__sheet__city__size_band=city.size_band)
        scope = city.size_band

    def count():
        shares, cities = defaultdict(list), set()
        for (_, city_id, type_id, number), c in level_counts(answers).items():
            cities.add(city_id)
            if c.share is not None:
                shares[type_id, number].append(c.share)
        return {level: sorted(values) for level, values in shares.items()}, len(cities)

    return versioned(
        ("cohort-shares", round.pk, cohort, scope),
        round.sheets_stamp(),
        count,
        max_age=settings.COHORT_FIGURES_MAX_AGE,
        timeout=CACHE_SECONDS,
    )


def without(shares, share):
    """The sorted `shares` with one `share` (a city's own) taken out."""
    if share is None:
        return shares
    at = bisect.bisect_left(shares, share)
    return shares[:at] + shares[at + 1 :] if at < len(shares) and shares[at] == share else shares


def quartiles(values):
    """(first quartile, median, third quartile) of at least two values."""
    q1, median, q3 = statistics.quantiles(sorted(values), n=4, method="inclusive")
    return q1, median, q3


@dataclass
class LevelFigure:
    number: int
    name: str
    own: Counts | None
    contributors: int  # other cities of the cohort with a share for this level
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    min_cohort = MIN_COHORT

    @property
    def shown(self):
        return self.contributors >= MIN_COHORT

    @property
    def own_share(self):
        return self.own.share if self.own else None


@dataclass
class TypeFigures:
    stakeholder_type: StakeholderType
    levels: list[LevelFigure] = field(default_factory=list)


def available_cohorts(city):
    return [key for key in COHORTS if key != "size_band" or city.size_band]


def cohort_cities(city, cohort):
    cities = City.objects.all()
    if cohort == "country":
        return cities.filter(country=city.country)
    if cohort == "size_band":
        return cities.filter(size_band=city.size_band)
    return cities


def comparison(city, round, user, cohort="round"):
    """The figures of `city` in `round` against `cohort` ('round', 'country' or 'size_band'), and
    the shares of the cohort's cities whose details `user` may see."""
    if cohort not in available_cohorts(city):
        cohort = "round"
    cohort_figures, cohort_size = cohort_shares(round, cohort, city)
    visible = (
        detail_cities(user, round)
        .filter(pk__in=cohort_cities(city, cohort).filter(sheets__round=round).values("pk"))
        .exclude(pk=city.pk)
        .order_by("name", "pk")
    )
    total_visible = visible.count()
    shown = list(visible[:MAX_DETAIL_ROWS])
    # The city's own counts and those of the detail rows: a few cities' answers, whatever the cohort.
    counts = level_counts(
        Answer.objects.filter(
            respondent__sheet__round=round, respondent__sheet__city_id__in=[city.pk, *(c.pk for c in shown)]
        )
    )
    own = {}
    peers = defaultdict(dict)  # city id -> {(type, level): Counts}
    for (_, city_id, type_id, number), c in counts.items():
        (own if city_id == city.pk else peers[city_id])[type_id, number] = c
    types = []
    for stype in StakeholderType.objects.order_by("position", "name"):
        figures = TypeFigures(stype)
        for number, name in Level.Number.choices:
            mine = own.get((stype.pk, number))
            shares = without(cohort_figures.get((stype.pk, number), []), mine.share if mine else None)
            figure = LevelFigure(number, name, mine, len(shares))
            if figure.shown:
                figure.q1, figure.median, figure.q3 = quartiles(shares)
            figures.levels.append(figure)
        types.append(figures)
    details = [
        {
            "city": other,
            "cells": [peers[other.pk].get((t.stakeholder_type.pk, f.number)) for t in types for f in t.levels],
        }
        for other in shown
    ]
    data = {
        "city": city,
        "round": round,
        "cohort": cohort,
        "cohort_label": COHORTS[cohort],
        "cohorts": [(key, COHORTS[key]) for key in available_cohorts(city)],
        "min_cohort": MIN_COHORT,
        "types": types,
        "peers": cohort_size - bool(own),
        "details": details,
        "details_total": total_visible,
        "details_cap": MAX_DETAIL_ROWS,
    }
    data["chart"] = charts.cohort_chart(data)
    return data

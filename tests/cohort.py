"""Many cities at once, with bulk_create: for the query-count tests and bench/scale.py.

Every city answers the four seed checklists (version 1) with `respondents` columns each, has a
report with two "may share" and two "may look at" conclusions, and every other city's report is
published. Answers and topics are drawn from a seeded random generator, so a run is repeatable.
"""

import random

from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Answer, Checklist, CityReport, Conclusion, Respondent, Round, Sheet, Statement, Topic
from stakeholders.models import City, Organisation

COUNTRIES = ("Italy", "Spain", "Netherlands", "Greece", "Portugal")
SIZE_BANDS = ("over 1 million", "250,000 to 1 million", "under 250,000")
VALUES = ("yes", "yes", "yes", "no", "no", "nd", "")
BATCH = 2000


def build_cohort(cities, *, round="2030", respondents=2, seed=1, prefix="bulk"):
    """Create `cities` cities in the round named `round`; returns the list of cities."""
    rng = random.Random(seed)
    round, _ = Round.objects.get_or_create(name=round)
    checklists = list(Checklist.objects.filter(version="1").select_related("stakeholder_type"))
    statements = {
        c.pk: list(Statement.objects.filter(level__checklist=c).values_list("pk", flat=True)) for c in checklists
    }
    topics = list(Topic.objects.values_list("pk", flat=True))
    created = City.objects.bulk_create(
        City(
            slug=f"{prefix}-{i:04d}",
            name=f"{prefix.title()} city {i:04d}",
            country=COUNTRIES[i % len(COUNTRIES)],
            size_band=SIZE_BANDS[i % len(SIZE_BANDS)],
        )
        for i in range(cities)
    )
    organisations = Organisation.objects.bulk_create(
        (
            Organisation(city=city, stakeholder_type=c.stakeholder_type, name=f"{c.stakeholder_type.name} {n + 1}")
            for city in created
            for c in checklists
            for n in range(respondents)
        ),
        batch_size=BATCH,
    )
    sheets = Sheet.objects.bulk_create(
        (Sheet(city=city, round=round, checklist=c) for city in created for c in checklists), batch_size=BATCH
    )
    organisation_iter = iter(organisations)
    columns = Respondent.objects.bulk_create(
        (
            Respondent(sheet=sheet, organisation=next(organisation_iter), position=n + 1)
            for sheet in sheets
            for n in range(respondents)
        ),
        batch_size=BATCH,
    )
    answers = []
    for column, sheet in zip(columns, (s for s in sheets for _ in range(respondents))):
        for statement_id in statements[sheet.checklist_id]:
            value = rng.choice(VALUES)
            note = f"Note of {column.organisation.name} on {statement_id}" if rng.random() < 0.1 else ""
            if value or note:
                answers.append(Answer(respondent=column, statement_id=statement_id, value=value, note=note))
    Answer.objects.bulk_create(answers, batch_size=BATCH)
    reports = CityReport.objects.bulk_create(
        (
            CityReport(city=city, round=round, published=i % 2 == 0, national_context="…")
            for i, city in enumerate(created)
        ),
        batch_size=BATCH,
    )
    conclusions = Conclusion.objects.bulk_create(
        (
            Conclusion(report=report, kind=kind, position=n, text=f"{report.city.name} {kind} {n}")
            for report in reports
            for kind in ("share", "look_at")
            for n in (1, 2)
        ),
        batch_size=BATCH,
    )
    Conclusion.topics.through.objects.bulk_create(
        (
            Conclusion.topics.through(conclusion_id=c.pk, topic_id=t)
            for c in conclusions
            for t in rng.sample(topics, rng.choice((1, 1, 2)))
        ),
        batch_size=BATCH,
    )
    return created


def queries_with_5_and_200_cities(client, url, assert_queries):
    """Build 5 cities and count the queries of `url`; build 195 more and load it again inside
    `assert_queries(count)` (pytest-django's django_assert_max_num_queries, or
    django_assert_num_queries for exactly as many). Returns the two responses."""
    build_cohort(5)
    with CaptureQueriesContext(connection) as few:
        first = client.get(url)
    assert first.status_code == 200
    build_cohort(195, prefix="more", seed=2)
    with assert_queries(len(few)):
        second = client.get(url)
    assert second.status_code == 200
    return first, second

"""The demo cohort: a few fictional cities benchmarked in Milan's round, so that a fresh
`make run` shows partners, suggestions, the matching grid and the cohort comparison with content.

Their names and country are made up so that nobody takes them for real places, and `City.is_sample`
makes every page, export and PDF of theirs say "sample data". The data is generated here,
deterministically (a seeded generator), so every installation gets the same cohort. `seed_demo`
loads it only with DEBUG or `--sample-cities`; `remove_sample_cities` takes it out again.
"""

import random

from django.db import transaction

from assessments.models import (
    Answer,
    Checklist,
    CityReport,
    Conclusion,
    Round,
    Sheet,
    Statement,
    Topic,
)
from stakeholders.models import City, Organisation

ROUND = "2018"  # Milan's round: the sample cities are its cohort.
COUNTRY = "Samplia (fictional)"

# slug, name, size band, how often a statement is answered yes, share topics, look-at topics
CITIES = [
    (
        "sampleburg",
        "Sampleburg",
        "over 1 million",
        0.75,
        ["data-monitoring-evaluation", "inclusive-procurement"],
        ["access-to-finance", "visibility-of-support"],
    ),
    (
        "demoville",
        "Demoville",
        "250,000 to 1 million",
        0.55,
        ["networking", "training-mentoring"],
        ["legal-regulatory-advice", "cooperation-between-actors"],
    ),
    (
        "fictonia",
        "Fictonia",
        "250,000 to 1 million",
        0.4,
        ["training-mentoring", "premises-incubation"],
        ["data-monitoring-evaluation", "networking"],
    ),
    (
        "exemplia",
        "Exemplia",
        "under 250,000",
        0.65,
        ["inclusive-procurement", "role-models-recognition"],
        ["access-to-finance", "language-cultural-sensitivity"],
    ),
]
RESPONDENTS = {
    "municipality": ["{city} City Council"],
    "chamber": ["{city} Chamber of Commerce"],
    "business_organisation": ["{city} Business Association"],
    "immigrant_business_organisation": ["{city} Newcomers’ Enterprise Network", "{city} Diaspora Traders"],
}
NOTES = [
    "Sample data: a pilot programme ran for two years.",
    "Sample data: mentioned in the interview, no document seen.",
    "Sample data: only in the city centre.",
    "Sample data: planned for next year.",
]


def sample_cities():
    return City.objects.filter(is_sample=True)


@transaction.atomic
def load_sample_cities():
    """Create the sample cities that are missing; returns the names of those created."""
    round, _ = Round.objects.get_or_create(name=ROUND)
    checklists = list(Checklist.objects.filter(version="1").select_related("stakeholder_type"))
    topics = {t.slug: t for t in Topic.objects.all()}
    created = []
    for slug, name, size_band, yes_rate, shares, looks in CITIES:
        if City.objects.filter(slug=slug).exists():
            continue
        rng = random.Random(f"mega-sample-{slug}")
        city = City.objects.create(slug=slug, name=name, country=COUNTRY, size_band=size_band, is_sample=True)
        for checklist in checklists:
            _sample_sheet(city, round, checklist, rng, yes_rate)
        report = CityReport.objects.create(
            city=city,
            round=round,
            published=True,
            national_context=f"Sample data. {name} is a fictional city of the fictional country Samplia, "
            "made up to show how MEGA Benchmark looks with a cohort of cities.",
            city_observations=f"Sample data. {name}’s answers were drawn at random; they describe no real place.",
        )
        for kind, slugs in ((Conclusion.Kind.SHARE, shares), (Conclusion.Kind.LOOK_AT, looks)):
            for position, topic_slug in enumerate(slugs, start=1):
                topic = topics.get(topic_slug)
                if topic is None:
                    continue
                conclusion = Conclusion.objects.create(
                    report=report,
                    kind=kind,
                    position=position,
                    text=f"Sample data: {name}’s work on {topic.name.lower()}.",
                )
                conclusion.topics.add(topic)
        created.append(name)
    return created


def _sample_sheet(city, round, checklist, rng, yes_rate):
    sheet = Sheet.objects.create(city=city, round=round, checklist=checklist, status=Sheet.Status.VALIDATED)
    statements = list(Statement.objects.filter(level__checklist=checklist).order_by("level__number", "position"))
    for position, pattern in enumerate(RESPONDENTS.get(checklist.stakeholder_type.slug, ["{city} organisation"]), 1):
        organisation, _ = Organisation.objects.get_or_create(
            city=city, name=pattern.format(city=city.name), defaults={"stakeholder_type": checklist.stakeholder_type}
        )
        respondent = sheet.respondents.create(organisation=organisation, position=position)
        answers = []
        for statement in statements:
            draw = rng.random()
            value = "yes" if draw < yes_rate else "nd" if draw > 0.95 else "no"
            note = rng.choice(NOTES) if rng.random() < 0.12 else ""
            answers.append(Answer(respondent=respondent, statement=statement, value=value, note=note))
        Answer.objects.bulk_create(answers)
    return sheet


@transaction.atomic
def remove_sample_cities():
    """Delete the sample cities with everything of theirs; returns their names."""
    names = list(sample_cities().values_list("name", flat=True))
    sample_cities().delete()
    return names

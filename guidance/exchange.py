"""The self-assessments of a city's round in the exchange format (`"self_assessments": [...]`).

`assessments.exchange` calls these: the export adds the key when the round has ratings; the import
validates it with the same checker (errors named by place, e.g.
``self_assessments[0].ratings[2].score``) and, when the key is present, replaces the round's
self-assessments. Documents without the key (version 1 files from before) are read as before and
leave the self-assessments alone. See docs/exchange.md.
"""

from django.contrib.auth import get_user_model
from simple_history.utils import bulk_create_with_history

from assessments.changes import Reason, reason
from guidance.models import GuidanceModule, GuidanceStatement, Rating, SelfAssessment

MAX_PARTICIPANT_LENGTH = 150


def export_self_assessments(city, round):
    """The round's self-assessments, by module and participant; ratings in statement order.
    Participants without any rating are left out."""
    assessments = (
        SelfAssessment.objects.filter(city=city, round=round)
        .select_related("module")
        .prefetch_related("ratings__statement")
        .order_by("module__number", "participant_name")
    )
    exported = []
    for assessment in assessments:
        ratings = sorted(assessment.ratings.all(), key=lambda r: r.statement.position)
        if ratings:
            exported.append(
                {
                    "module": assessment.module.number,
                    "participant": assessment.participant_name,
                    "ratings": [{"statement": r.statement.number, "score": r.score} for r in ratings],
                }
            )
    return exported


def validate_self_assessments(check, value, place="self_assessments"):
    """Check the list, whose shape the exchange format's schema has checked, against the guidance
    in the database; errors go to `check`. Return the plan to write."""
    modules = {m.number: m for m in GuidanceModule.objects.all()}
    statements = {(s.module_id, s.number): s for s in GuidanceStatement.objects.all()}
    planned, seen = [], set()
    for i, entry in enumerate(value):
        eplace = f"{place}[{i}]"
        module = modules.get(entry["module"])
        if module is None:
            check.error(f"{eplace}.module", f"unknown guidance module {entry['module']!r}")
            continue
        name = entry["participant"]
        if (module.pk, name) in seen:
            check.error(f"{eplace}.participant", f"{name!r} already rated module {module.number} above")
        seen.add((module.pk, name))
        ratings, rated = [], set()
        for j, rating in enumerate(entry["ratings"]):
            statement = statements.get((module.pk, rating["statement"]))
            if statement is None:
                check.error(
                    f"{eplace}.ratings[{j}].statement",
                    f"module {module.number} has no statement {rating['statement']!r}",
                )
                continue
            if statement.pk in rated:
                check.error(f"{eplace}.ratings[{j}].statement", f"{statement.number} is rated twice")
            rated.add(statement.pk)
            ratings.append((statement, rating["score"]))
        planned.append({"module": module, "participant_name": name, "ratings": ratings})
    return planned


def write_self_assessments(city, round, planned, user=None):
    """Replace the round's self-assessments with the planned ones (inside the import's transaction).
    A participant is linked to the user of that username when there is one."""
    SelfAssessment.objects.filter(city=city, round=round).delete()
    users = {
        u.get_username(): u
        for u in get_user_model().objects.filter(username__in=[p["participant_name"] for p in planned])
    }
    why = reason(Reason.EXCHANGE)
    for entry in planned:
        assessment = SelfAssessment(
            city=city,
            round=round,
            module=entry["module"],
            participant=users.get(entry["participant_name"]),
            participant_name=entry["participant_name"],
            version=0,
        )
        assessment.record_change(user, why)
        bulk_create_with_history(
            [Rating(assessment=assessment, statement=statement, score=score) for statement, score in entry["ratings"]],
            Rating,
            default_user=user,
            default_change_reason=why,
        )

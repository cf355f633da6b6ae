"""Saving a participant's self-assessment without ever losing an edit.

The form says which version of the participant's assessment it was drawn from and what each
statement showed then. A save from the current version is written as it is. A save from an older
version (another window saved meanwhile) is merged statement by statement: what only one side
changed is kept; a statement both sides changed differently is a conflict, and then nothing is
written and both values are shown.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q

from assessments import changes
from assessments.models import CityReport, Round, Sheet
from guidance.forms import NOT_RATED, choice_of, score_of
from guidance.models import Rating, SelfAssessment
from stakeholders.models import City


@dataclass
class Conflict:
    statement_id: int
    mine: str  # the choice this save wanted
    theirs: str  # the choice saved meanwhile


class StaleSave(Exception):
    """Nothing was written: some statements were changed differently meanwhile."""

    def __init__(self, conflicts):
        self.conflicts = conflicts  # list of Conflict; empty when another save won the race at the last moment
        super().__init__(f"{len(conflicts)} conflicting statement(s)")


def merge(seen, mine, theirs):
    """Three-way merge of {statement id: choice} dicts (`changes.merge`); returns (merged, conflicts).

    `seen` is what the form showed, `mine` what it submits, `theirs` what is saved now.
    """
    merged, contested = changes.merge(seen, mine, theirs, missing=NOT_RATED)
    conflicts = [Conflict(statement_id=pk, mine=mine[pk], theirs=merged.pop(pk)) for pk in contested]
    return merged, conflicts


def assessment_of(user, city, round, module):
    """The participant's own assessment, or None. An assessment imported under their username
    before their account existed is theirs too."""
    return (
        SelfAssessment.objects.of(city, round, module)
        .filter(Q(participant=user) | Q(participant__isnull=True, participant_name=user.get_username()))
        .order_by("participant_id")
        .first()
    )


def current_choices(assessment, statements):
    ratings = {r.statement_id: r for r in assessment.ratings.all()} if assessment else {}
    return {s.pk: choice_of(ratings.get(s.pk)) for s in statements}


def save_ratings(user, city, round, module, statements, *, version, seen, mine):
    """Write the participant's ratings; return (assessment, ids of statements kept from a save made
    meanwhile). Raise StaleSave, writing nothing, on a conflict."""
    with transaction.atomic():
        assessment = assessment_of(user, city, round, module)
        current_version = assessment.version if assessment else 0
        theirs = current_choices(assessment, statements)
        if version == current_version:
            wanted, kept = dict(mine), []
        else:
            wanted, conflicts = merge(seen, mine, theirs)
            if conflicts:
                raise StaleSave(conflicts)
            kept = [pk for pk in mine if mine[pk] == seen.get(pk, NOT_RATED) and theirs[pk] != mine[pk]]
        changed = {pk: choice for pk, choice in wanted.items() if choice != theirs[pk]}
        if not changed:
            return assessment, kept
        assessment = _claim_version(user, city, round, module, assessment, current_version)
        ratings = {r.statement_id: r for r in assessment.ratings.all()}
        for pk, choice in changed.items():
            rating = ratings.get(pk) or Rating(assessment=assessment, statement_id=pk)
            rating._history_user = user
            if choice == NOT_RATED:
                if rating.pk is not None:
                    rating.delete()
            else:
                rating.score = score_of(choice)
                rating.save()
        return assessment, kept


def _claim_version(user, city, round, module, assessment, current_version):
    """Record the change as the assessment's next version, or raise StaleSave when another save
    got there first (the assessment row is locked and its version checked)."""
    why = changes.reason(changes.Reason.RATING)
    if assessment is None:
        try:
            with transaction.atomic():
                assessment = SelfAssessment(
                    city=city,
                    round=round,
                    module=module,
                    participant=user,
                    participant_name=user.get_username(),
                    version=0,
                )
                return assessment.record_change(user, why)
        except IntegrityError:
            raise StaleSave([]) from None
    locked = SelfAssessment.objects.select_for_update().filter(pk=assessment.pk, version=current_version).first()
    if locked is None:
        raise StaleSave([])
    if locked.participant_id is None:
        locked.participant = user
    return locked.record_change(user, why, update_fields=["participant"])


def rounds_to_assess(user):
    """(city, round) pairs whose self-assessment `user` may take part in: the rounds in which a city
    they are assigned to (any city, for staff) has sheets, a report or a self-assessment. By city,
    newest round first; five queries whatever the number of cities."""
    cities = City.objects.for_user(user)
    pairs = set(Sheet.objects.filter(city__in=cities).values_list("city_id", "round_id"))
    pairs |= set(CityReport.objects.filter(city__in=cities).values_list("city_id", "round_id"))
    pairs |= set(SelfAssessment.objects.filter(city__in=cities).values_list("city_id", "round_id"))
    city_of = City.objects.in_bulk({city_id for city_id, _ in pairs})
    round_of = Round.objects.in_bulk({round_id for _, round_id in pairs})
    found = sorted(((city_of[c], round_of[r]) for c, r in pairs), key=lambda pair: pair[1].name, reverse=True)
    return sorted(found, key=lambda pair: pair[0].name)

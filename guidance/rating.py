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
    """Three-way merge of {statement id: choice} dicts; returns (merged, conflicts).

    `seen` is what the form showed, `mine` what it submits, `theirs` what is saved now.
    """
    merged, conflicts = {}, []
    for pk, choice in mine.items():
        before, now = seen.get(pk, NOT_RATED), theirs.get(pk, NOT_RATED)
        if choice == before:
            merged[pk] = now  # not touched in this form: keep what was saved meanwhile
        elif now in (before, choice):
            merged[pk] = choice
        else:
            conflicts.append(Conflict(statement_id=pk, mine=choice, theirs=now))
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
            rating = ratings.get(pk)
            if choice == NOT_RATED:
                if rating is not None:
                    rating.delete()
            elif rating is None:
                Rating.objects.create(assessment=assessment, statement_id=pk, score=score_of(choice))
            else:
                rating.score = score_of(choice)
                rating.save(update_fields=["score"])
        return assessment, kept


def _claim_version(user, city, round, module, assessment, current_version):
    """Move the assessment from `current_version` to the next, or raise StaleSave when another
    save got there first (the check and the bump are one conditional UPDATE)."""
    if assessment is None:
        try:
            with transaction.atomic():
                return SelfAssessment.objects.create(
                    city=city, round=round, module=module, participant=user,
                    participant_name=user.get_username(), version=1,
                )
        except IntegrityError:
            raise StaleSave([]) from None
    bumped = SelfAssessment.objects.filter(pk=assessment.pk, version=current_version).update(
        version=current_version + 1
    )
    if not bumped:
        raise StaleSave([])
    assessment.version = current_version + 1
    if assessment.participant_id is None:
        assessment.participant = user
    # Saved again through the model so the history records who moved it to which version.
    assessment.save(update_fields=["version", "participant", "updated_at"])
    return assessment


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

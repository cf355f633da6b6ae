"""A city over time: what changed between two benchmarking rounds, and starting a new round.

Per statement, the consolidated answers (see `consolidation`) of the two rounds are compared:

- **improved** / **declined**: both rounds have an answer with data and it went up / down in the
  order no < partly < yes;
- **unchanged**: the same answer with data in both rounds;
- **new**: the statement was not asked in the earlier round (no sheet of that stakeholder type,
  or a statement added by a newer checklist version), or it had no data then and has now;
- **no data**: the later round has no answer with data (no data, or not answered yet).

A statement is the same in both rounds when both sheets use the same checklist version, or, across
versions, when its level and text (whitespace normalised) are the same. Per level, the share of
yes is computed as in the comparison with the cohort (`comparison.level_counts`).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from assessments import consolidation
from assessments.models import Answer, Level, Respondent, Sheet, Statement
from matching import charts
from matching.comparison import level_counts
from stakeholders.models import StakeholderType

IMPROVED, DECLINED, UNCHANGED, NEW, NO_DATA = "improved", "declined", "unchanged", "new", "no data"
CHANGES = (IMPROVED, DECLINED, UNCHANGED, NEW, NO_DATA)


def _key(statement):
    return statement.level.number, " ".join(statement.text.split())


def change(asked_before, before, after):
    """How the consolidated answer of a statement changed from `before` to `after`."""
    if not asked_before:
        return NEW
    if after not in consolidation.RANK:
        return NO_DATA
    if before not in consolidation.RANK:
        return NEW
    if consolidation.RANK[after] > consolidation.RANK[before]:
        return IMPROVED
    if consolidation.RANK[after] < consolidation.RANK[before]:
        return DECLINED
    return UNCHANGED


@dataclass
class StatementChange:
    statement: Statement
    before: str | None  # None: not asked in the earlier round
    after: str
    change: str

    @property
    def before_label(self):
        return _("not asked") if self.before is None else str(consolidation.LABELS[self.before])

    @property
    def after_label(self):
        return str(consolidation.LABELS[self.after])


def round_changes(city, before, after):
    """What changed for `city` from round `before` to round `after`, per stakeholder type."""
    sheets = list(
        Sheet.objects.filter(city=city, round__in=[before, after]).select_related("checklist__stakeholder_type")
    )
    sheet_of = {(s.round_id, s.checklist.stakeholder_type_id): s for s in sheets}
    statements = list(
        Statement.objects.filter(level__checklist__in={s.checklist_id for s in sheets})
        .select_related("level")
        .order_by("level__number", "position")
    )
    by_checklist = {}
    for statement in statements:
        by_checklist.setdefault(statement.level.checklist_id, []).append(statement)
    answers = Answer.objects.filter(respondent__sheet__city=city, respondent__sheet__round__in=[before, after])
    values = {
        (row["respondent__sheet__round_id"], row["statement_id"]): row["consolidated"]
        for row in consolidation.consolidated_answers(answers, "respondent__sheet__round_id", "statement_id")
    }
    counts = level_counts(answers)
    types = []
    for stype in StakeholderType.objects.order_by("position", "name"):
        old, new = sheet_of.get((before.pk, stype.pk)), sheet_of.get((after.pk, stype.pk))
        if new is None:
            continue
        earlier = {_key(s): s for s in by_checklist.get(old.checklist_id, [])} if old else {}
        rows = []
        for statement in by_checklist.get(new.checklist_id, []):
            previous = earlier.get(_key(statement))
            was = values.get((before.pk, previous.pk), "") if previous else None
            now = values.get((after.pk, statement.pk), "")
            rows.append(StatementChange(statement, was, now, change(previous is not None, was, now)))
        levels = []
        for number, name in Level.Number.choices:
            was = counts.get((before.pk, city.pk, stype.pk, number))
            now = counts.get((after.pk, city.pk, stype.pk, number))
            share_before = was.share if was and old else None
            share_after = now.share if now else None
            delta = (
                round(share_after * 100) - round(share_before * 100)
                if share_before is not None and share_after is not None
                else None
            )
            levels.append(
                {"number": number, "name": name, "before": share_before, "after": share_after, "change": delta}
            )
        totals = {key: sum(1 for r in rows if r.change == key) for key in CHANGES}
        types.append(
            {
                "stakeholder_type": stype,
                "rows": rows,
                "levels": levels,
                "totals": totals,
                "before_version": old.checklist.version if old else None,
                "after_version": new.checklist.version,
            }
        )
    data = {"city": city, "before": before, "after": after, "types": types}
    data["chart"] = charts.rounds_chart(data)
    return data


class NewRoundError(Exception):
    """A new round cannot be started as asked; the message says why."""


@transaction.atomic
def start_new_round(city, from_round, to_round, copy_answers, user):
    """Start `city`'s benchmarking in `to_round` from its sheets of `from_round`: the same
    checklist versions and respondents (with their header notes), and, when `copy_answers`, the
    same answers and annotations; otherwise blank. Every new row is recorded in the history as
    `user`'s. Returns the new sheets."""
    if from_round == to_round:
        raise NewRoundError(_("Choose a round other than the one you copy from."))
    if to_round.closed:
        raise NewRoundError(
            _("Round %(round)s is closed: its sheets and reports are read-only.") % {"round": to_round.name}
        )
    if Sheet.objects.filter(city=city, round=to_round).exists():
        raise NewRoundError(f"{city.name} already has sheets in round {to_round.name}.")
    old_sheets = list(Sheet.objects.filter(city=city, round=from_round).prefetch_related("respondents").order_by("pk"))
    if not old_sheets:
        raise NewRoundError(f"{city.name} has no sheets in round {from_round.name} to start from.")
    new_sheets, respondent_of = [], {}
    for old in old_sheets:
        sheet = Sheet(city=city, round=to_round, checklist_id=old.checklist_id, updated_by=user)
        sheet._history_user = user
        sheet.save()
        new_sheets.append(sheet)
        for old_respondent in old.respondents.all():
            respondent = Respondent(
                sheet=sheet,
                organisation_id=old_respondent.organisation_id,
                position=old_respondent.position,
                note=old_respondent.note,
            )
            respondent._history_user = user
            respondent.save()
            respondent_of[old_respondent.pk] = respondent
    if copy_answers:
        copies = [
            Answer(
                respondent=respondent_of[a.respondent_id],
                statement_id=a.statement_id,
                value=a.value,
                note=a.note,
                updated_by=user,
            )
            for a in Answer.objects.filter(respondent_id__in=respondent_of).order_by("pk")
            if a.value or a.note
        ]
        bulk_create_with_history(copies, Answer, default_user=user)
    return new_sheets

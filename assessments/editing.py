"""Changing a sheet's answers and columns without ever losing anybody's edit.

Every answer carries a version. An edit says which version it was based on; when somebody
else saved the cell in between, the edit is not written but reported as a `Conflict` for the
person to decide. When the history shows that the edit did not change the cell at all (the
form merely re-posted what it had shown), the other person's value is kept without asking.

django-simple-history records each change with its user: a save of many cells writes them and
their records in bulk, so that it costs the same few queries for one cell or for hundreds. Every
write bumps the sheet's version (`Sheet.touch`). A sheet row is locked for the duration of a
write, so two saves of one sheet never interleave.
"""
import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import MAX_NOTE_LENGTH, Answer, Respondent, Sheet, Statement
from stakeholders.models import Organisation

VALUES = {choice.value for choice in Answer.Value}


class BadEdit(Exception):
    """An edit that no form of this application can produce: refused, nothing written."""


class StaleSheet(Exception):
    """The sheet changed since the person loaded the page they acted from."""


class SheetLocked(Exception):
    def __init__(self, sheet):
        self.sheet = sheet
        super().__init__(_("The sheet is %(status)s and cannot be changed.") % {"status": sheet.get_status_display().lower()})


def normalise_note(text):
    """Browsers post textareas with CRLF, fetch sends LF: store LF so both compare equal."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def cell_digest(value, note):
    """A short fingerprint of a cell's (value, note): the editor posts the one it showed, so a
    save can tell a cell the person changed from one their page merely re-posts."""
    return hashlib.sha256(f"{value}\x00{note}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class CellEdit:
    """What one person wants a cell to be, and the answer version their page showed (0: none),
    with the fingerprint of what it showed (`was`, optional)."""

    statement_id: int
    respondent_id: int
    value: str
    note: str
    version: int
    was: str | None = None

    @property
    def key(self):
        return (self.statement_id, self.respondent_id)

    def check(self):
        if self.value not in VALUES:
            raise BadEdit(f"“{self.value}” is not an answer: choose yes, no, no data or not answered.")
        if len(self.note) > MAX_NOTE_LENGTH:
            raise BadEdit(_("An annotation may have at most %(max)s characters; this one has %(length)s.") % {
                "max": MAX_NOTE_LENGTH, "length": len(self.note)})
        if "\x00" in self.note:
            raise BadEdit(_("An annotation may not contain null characters."))
        if self.version < 0:
            raise BadEdit(_("An answer version cannot be negative."))


@dataclass
class Conflict:
    """A cell that somebody else changed after `mine` was based on it.

    `kind` is "changed" (they saved the cell), "removed" (they removed its column) or "locked"
    (the sheet was submitted or validated meanwhile, so nothing can be saved).
    """

    kind: str
    mine: CellEdit
    statement: Statement
    respondent: Respondent | None
    theirs: Answer | None = None
    base: tuple[str, str] | None = None

    @property
    def key(self):
        return self.mine.key

    @property
    def theirs_value(self):
        return self.theirs.value if self.theirs else ""

    @property
    def theirs_note(self):
        return self.theirs.note if self.theirs else ""

    @property
    def theirs_version(self):
        return self.theirs.version if self.theirs else 0

    @property
    def theirs_label(self):
        return Answer.Value(self.theirs_value).label

    @property
    def mine_label(self):
        return Answer.Value(self.mine.value).label

    @property
    def number(self):
        return f"{self.statement.level.number}.{self.statement.position}"


@dataclass
class SaveResult:
    sheet: Sheet
    saved: list[Answer] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    kept_theirs: list[CellEdit] = field(default_factory=list)
    current: dict = field(default_factory=dict)
    locked: bool = False

    @property
    def ok(self):
        return not self.conflicts and not self.locked

    def answer(self, key):
        """The cell as it is now (after the save), or None."""
        return self.current.get(key)


BASELINE_REASON = "state before the first recorded change"


def baseline(model, objects):
    """Give each object that has no history yet (loaded from a fixture, or bulk-created by an
    import) a first record of its current state, so that its first recorded change has a
    known "before" for the history page, restores and conflict checks. One query, plus one
    insert when some are missing; the history page does not list these records as changes."""
    objects = [o for o in objects if o is not None and o.pk]
    if not objects:
        return
    history = model.history.model
    known = set(history.objects.filter(id__in=[o.pk for o in objects]).values_list("id", flat=True).distinct())
    now = timezone.now()
    history.objects.bulk_create(
        history(
            history_date=now, history_user=None, history_change_reason=BASELINE_REASON, history_type="+",
            **{f.attname: getattr(o, f.attname) for f in history.tracked_fields},
        )
        for o in objects if o.pk not in known
    )


def _lock(sheet):
    """Lock the sheet row until the transaction ends and refresh what may have changed."""
    locked = Sheet.objects.select_for_update().only("status", "version").get(pk=sheet.pk)
    sheet.status, sheet.version = locked.status, locked.version
    return sheet


def _bases(pairs):
    """{(answer id, version): (value, note)} from the history, for edits based on an old version."""
    wanted = {(answer.pk, edit.version) for edit, answer in pairs if answer is not None and edit.version > 0}
    if not wanted:
        return {}
    records = Answer.history.filter(
        id__in={pk for pk, _ in wanted}, version__in={version for _, version in wanted}
    ).order_by("history_date", "history_id").values_list("id", "version", "value", "note")
    return {(pk, version): (value, note) for pk, version, value, note in records if (pk, version) in wanted}


def save_cells(sheet, user, edits, *, merge=True):
    """Write `edits` to `sheet` as `user`, all or nothing.

    With `merge`, an edit based on an old version that did not change what its page showed
    keeps the other person's value (a full-form save re-posts every cell). Without it (one
    cell autosaved on purpose), every edit based on an old version is a conflict.
    Raises `BadEdit` for edits no form can produce; returns a `SaveResult`.
    """
    for edit in edits:
        edit.check()
    with transaction.atomic():
        _lock(sheet)
        statement_ids = {e.statement_id for e in edits}
        respondent_ids = {e.respondent_id for e in edits}
        statements = {
            s.pk: s for s in Statement.objects.filter(pk__in=statement_ids, level__checklist_id=sheet.checklist_id)
            .select_related("level")
        }
        unknown = statement_ids - statements.keys()
        if unknown:
            raise BadEdit(
                _("Statement %(id)s is not on the checklist of this sheet; reload the sheet and try again.") % {"id": min(unknown)}
            )
        respondents = {
            r.pk: r for r in Respondent.objects.filter(pk__in=respondent_ids, sheet=sheet).select_related("organisation")
        }
        removed = _removed_columns(sheet, respondent_ids - respondents.keys())
        answers = {
            (a.statement_id, a.respondent_id): a
            for a in Answer.objects.filter(statement_id__in=statement_ids, respondent_id__in=respondents.keys())
            .select_related("updated_by")
        }
        result = SaveResult(sheet, current=answers)
        changes, stale = [], []
        for edit in edits:
            if edit.respondent_id in removed:
                result.conflicts.append(Conflict("removed", edit, statements[edit.statement_id], None))
                continue
            answer = answers.get(edit.key)
            now = (answer.value, answer.note) if answer else ("", "")
            if (edit.value, edit.note) == now:
                continue
            if edit.version == (answer.version if answer else 0):
                changes.append((edit, answer))
            else:
                stale.append((edit, answer))
        bases = _bases(stale)
        for edit, answer in stale:
            base = ("", "") if edit.version == 0 else bases.get((answer.pk if answer else None, edit.version))
            unchanged = edit.was == cell_digest(edit.value, edit.note) if edit.was else base == (edit.value, edit.note)
            if merge and unchanged:
                result.kept_theirs.append(edit)
                continue
            result.conflicts.append(
                Conflict("changed", edit, statements[edit.statement_id], respondents[edit.respondent_id], answer, base)
            )
        if not sheet.is_editable:
            result.locked = True
            result.conflicts += [
                Conflict("locked", edit, statements[edit.statement_id], respondents[edit.respondent_id],
                         answers.get(edit.key))
                for edit, _ in changes
            ]
            return result
        if result.conflicts:
            return result
        baseline(Answer, [answer for _, answer in changes])
        result.saved = [_write(answer, edit, user, save=False) for edit, answer in changes]
        _save_all(result.saved, user)
        answers.update((edit.key, answer) for (edit, _), answer in zip(changes, result.saved))
        if result.saved:
            sheet.touch(user)
    return result


def _write(answer, edit, user, *, reason=None, save=True):
    """Apply `edit` to `answer` (None: a new one) as `user`; save it unless `save` is False, for
    the caller to write it with others (`_save_all`)."""
    if answer is None:
        answer = Answer(respondent_id=edit.respondent_id, statement_id=edit.statement_id, version=0)
    answer.value, answer.note = edit.value, edit.note
    answer.version += 1
    answer.updated_by = user
    answer._history_user = user
    answer._sheet_touched = True  # every caller touches the sheet, which renews its cached grid
    if reason:
        answer._change_reason = reason
    if save:
        answer.save()
    return answer


def _save_all(answers, user):
    """Write `answers` (new ones have no pk yet) and a history record of each, in a number of
    queries that does not grow with theirs. Bulk writes send no signals: the records are made
    here, and the caller touches the sheet, which renews its cached grid."""
    new = [answer for answer in answers if answer.pk is None]
    changed = [answer for answer in answers if answer.pk is not None]
    now = timezone.now()
    for answer in changed:
        answer.updated_at = now  # auto_now is only applied by save() and inserts
    # bulk_update writes a CASE over every row per field: only the fields that differ from row
    # to row go through it; the two that are the same for all are one plain UPDATE.
    Answer.objects.bulk_update(changed, ["value", "note", "version"])
    Answer.objects.filter(pk__in=[answer.pk for answer in changed]).update(updated_by=user, updated_at=now)
    Answer.objects.bulk_create(new)  # sets their pks, which their history records need
    Answer.history.bulk_history_create(changed, update=True, default_user=user, default_date=now)
    Answer.history.bulk_history_create(new, default_user=user, default_date=now)


def _removed_columns(sheet, respondent_ids):
    """Ids among `respondent_ids` that were columns of `sheet` once; others are refused."""
    if not respondent_ids:
        return set()
    once = set(
        Respondent.history.filter(id__in=respondent_ids, sheet_id=sheet.pk).values_list("id", flat=True).distinct()
    )
    foreign = respondent_ids - once
    if foreign:
        raise BadEdit(_("Column %(id)s is not a column of this sheet; reload the sheet and try again.") % {"id": min(foreign)})
    return once


def restore_answer(sheet, user, record, *, expected_version):
    """Set a cell back to what it was before the change `record` (a historical answer) made.

    The restore is an ordinary, recorded change. Refused (StaleSheet) when the cell changed
    since the person looked at the history.
    """
    with transaction.atomic():
        _lock(sheet)
        if not sheet.is_editable:
            raise SheetLocked(sheet)
        answer = Answer.objects.filter(pk=record.id).first()
        if answer is None:
            raise BadEdit(_("This answer no longer exists: its column was removed."))
        if answer.version != expected_version:
            raise StaleSheet(_("The answer changed after you opened the history."))
        before = Answer.history.filter(id=record.id, history_id__lt=record.history_id).order_by("-history_id").first()
        value, note = (before.value, before.note) if before else ("", "")
        if (value, note) == (answer.value, answer.note):
            return answer, False
        edit = CellEdit(answer.statement_id, answer.respondent_id, value, note, answer.version)
        _write(answer, edit, user, reason=f"restored the value from before {record.history_date:%Y-%m-%d %H:%M}")
        sheet.touch(user)
        return answer, True


# --- columns --------------------------------------------------------------------------------

def _check_version(sheet, version):
    if version is not None and version != sheet.version:
        raise StaleSheet(_("Somebody changed this sheet after you opened the page."))


def _organisation(sheet, name):
    organisation, _ = Organisation.objects.get_or_create(
        city_id=sheet.city_id, name=name, defaults={"stakeholder_type_id": sheet.checklist.stakeholder_type_id}
    )
    return organisation


def _renumber(sheet, user):
    for position, respondent in enumerate(sheet.respondents.order_by("position", "id"), start=1):
        if respondent.position != position:
            respondent.position = position
            respondent._history_user = user
            respondent.save(update_fields=["position"])


def add_respondent(sheet, user, *, name, note):
    with transaction.atomic():
        _lock(sheet)
        if not sheet.is_editable:
            raise SheetLocked(sheet)
        last = sheet.respondents.order_by("-position").values_list("position", flat=True).first() or 0
        respondent = Respondent(sheet=sheet, organisation=_organisation(sheet, name), position=last + 1, note=note)
        respondent._history_user = user
        respondent.save()
        sheet.touch(user)
        return respondent


def change_respondent(respondent, user, *, name, note, was):
    """Rename a column and set its header note; `was` is the (name, note) the person's form
    showed: when somebody changed them since, StaleSheet, so that nobody's change is lost."""
    sheet = respondent.sheet
    with transaction.atomic():
        _lock(sheet)
        if not sheet.is_editable:
            raise SheetLocked(sheet)
        respondent.refresh_from_db()
        baseline(Respondent, [respondent])
        if (respondent.organisation.name, respondent.note) != was:
            raise StaleSheet(_("Somebody changed this column after you opened the page."))
        if (name, note) == was:
            return respondent
        if name != respondent.organisation.name:
            respondent.organisation = _organisation(sheet, name)
        respondent.note = note
        respondent._history_user = user
        respondent.save(update_fields=["organisation", "note"])
        sheet.touch(user)
        return respondent


def move_respondent(respondent, user, *, by):
    """Move a column `by` places (-1: left, +1: right); the others close up around it."""
    sheet = respondent.sheet
    with transaction.atomic():
        _lock(sheet)
        if not sheet.is_editable:
            raise SheetLocked(sheet)
        columns = list(sheet.respondents.order_by("position", "id"))
        index = next(i for i, r in enumerate(columns) if r.pk == respondent.pk)
        target = max(0, min(len(columns) - 1, index + by))
        if target == index:
            return False
        baseline(Respondent, columns)
        columns.insert(target, columns.pop(index))
        for position, column in enumerate(columns, start=1):
            if column.position != position:
                column.position = position
                column._history_user = user
                column.save(update_fields=["position"])
        sheet.touch(user)
        return True


def column_content(respondent):
    """How much a removal would take away: (answered cells, annotations)."""
    answers = respondent.answers.all()
    return answers.exclude(value="").count(), answers.exclude(note="").count()


def remove_respondent(respondent, user, *, version):
    """Remove a column and its answers (kept in the history). `version` must be current:
    the person confirmed the removal of what the column held when they looked."""
    sheet = respondent.sheet
    with transaction.atomic():
        _lock(sheet)
        if not sheet.is_editable:
            raise SheetLocked(sheet)
        _check_version(sheet, version)
        for answer in respondent.answers.all():
            answer._history_user = user
            answer._sheet_touched = True
            answer.delete()
        respondent._history_user = user
        respondent.delete()
        _renumber(sheet, user)
        sheet.touch(user)


# --- city report ------------------------------------------------------------------------------

REPORT_TEXTS = ("national_context", "city_observations")


class ReportConflict(Exception):
    """The report changed since the person's form was loaded; `parts` differ from theirs."""

    def __init__(self, report, parts):
        self.report, self.parts = report, parts
        super().__init__(_("Somebody else saved this report after you opened it."))


def report_parts(report):
    """{part: value} of a report as saved: its two texts and its two lists of conclusions."""
    from assessments.models import Conclusion

    parts = {name: getattr(report, name) if report else "" for name in REPORT_TEXTS}
    conclusions = list(report.conclusions.prefetch_related("topics").order_by("position", "id")) if report else []
    for kind in Conclusion.Kind.values:
        parts[kind] = [(c.text, {t.pk for t in c.topics.all()}) for c in conclusions if c.kind == kind]
    return parts


def save_report(city, round, user, mine, *, version):
    """Write the parts in `mine` ({part: value}, see `report_parts`) to the report of
    (city, round), creating it if need be. `version` is the report version the person's form
    showed (0: no report yet); when it is stale and a part differs from what is saved now,
    ReportConflict, and nothing is written. Returns (report, changed parts)."""
    from assessments.models import CityReport

    with transaction.atomic():
        report = CityReport.objects.select_for_update().filter(city=city, round=round).first()
        if report is None:
            report = CityReport(city=city, round=round, version=0)
        theirs = report_parts(report if report.pk else None)
        changed = [part for part, value in mine.items() if value != theirs[part]]
        if version != report.version and changed:
            base = _report_base(report, version)
            contested = []
            for part in list(changed):
                if part in base and base[part] == mine[part]:
                    changed.remove(part)  # not changed by this person: theirs stays
                elif part not in base or base[part] != theirs[part]:
                    contested.append(part)
            if contested:
                raise ReportConflict(report if report.pk else None, contested)
        if not changed:
            return report, []
        baseline(CityReport, [report])
        report._history_user = user
        report.updated_by = user
        report.version += 1
        for name in REPORT_TEXTS:
            if name in changed:
                setattr(report, name, mine[name])
        report.save()
        for kind in ("share", "look_at"):
            if kind in changed:
                _write_conclusions(report, kind, mine[kind], user)
        return report, changed


def _report_base(report, version):
    """What is known of the report as it was at `version`: {part: value} for the texts, and
    for each list of conclusions that nobody changed since, its current value."""
    from assessments.models import CityReport, Conclusion

    if version == 0:
        base = {name: "" for name in REPORT_TEXTS}
        current = report_parts(report if report.pk else None)
        base.update({kind: [] for kind in Conclusion.Kind.values if not current[kind]})
        return base
    records = {
        r.version: r for r in CityReport.history.filter(id=report.pk, version__in=[version, version + 1])
    }
    base = {}
    if version in records:
        base.update({name: getattr(records[version], name) for name in REPORT_TEXTS})
    if version + 1 in records:
        # Conclusions are written just after their report's record: a save after `version`
        # that touched a list left conclusion records later than the next report record.
        since = records[version + 1].history_date
        touched = set(
            Conclusion.history.filter(report_id=report.pk, history_date__gte=since).values_list("kind", flat=True)
        )
        current = report_parts(report)
        base.update({kind: current[kind] for kind in Conclusion.Kind.values if kind not in touched})
    return base


def _write_conclusions(report, kind, entries, user):
    """Make the report's `kind` list equal `entries`, changing each position in place so that
    the history of a conclusion stays with its position."""
    from django.db.models import F

    from assessments.models import Conclusion

    existing = list(report.conclusions.filter(kind=kind).prefetch_related("topics").order_by("position", "id"))
    if [c.position for c in existing] != list(range(1, len(existing) + 1)):
        # Positions are unique per list: move the old ones out of the way before renumbering.
        report.conclusions.filter(kind=kind).update(position=F("position") + 10000)
        for c in existing:
            c.position += 10000
    for c in existing[len(entries):]:
        c._history_user = user
        c.delete()
    for position, (text, topics) in enumerate(entries, start=1):
        conclusion = existing[position - 1] if position <= len(existing) else Conclusion(report=report, kind=kind)
        old_topics = {t.pk for t in conclusion.topics.all()} if conclusion.pk else set()
        conclusion._history_user = user
        if not conclusion.pk or (conclusion.text, conclusion.position) != (text, position):
            conclusion.text, conclusion.position = text, position
            conclusion.save()
        if topics != old_topics:
            conclusion.topics.set(topics)

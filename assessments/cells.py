"""Changing a sheet's cells (answers) without ever losing anybody's edit.

A cell has two parts, its value and its annotation (note). The editor's form posts, for each
cell, the answer version it showed and what it showed of each part (`CellEdit.seen`). A save
based on the current version is written as it is; one based on an older version is merged part
by part ("seen / mine / theirs", `changes.merge`): what only one side changed is kept, a part
both changed differently is a `Conflict` for the person to decide, and nothing is written.
Nothing reads the history to decide.

Every write is recorded through the model (`RecordsChanges`): a new answer version, who, when,
a history record with its reason, and a new sheet version. A sheet row is locked for the
duration of a write, so two saves of one sheet never interleave.
"""

import hashlib
import re
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from assessments.changes import Reason, baseline, merge, reason, save_recorded
from assessments.models import MAX_NOTE_LENGTH, Answer, Respondent, RoundClosed, Sheet, Statement

PARTS = ("value", "note")
SEEN = re.compile(r"^(yes|no|nd|)\.([0-9a-f]{16})$")


class BadEdit(Exception):
    """An edit that no form of this application can produce: refused, nothing written."""


class StaleSheet(Exception):
    """The sheet changed since the person loaded the page they acted from."""


class SheetLocked(Exception):
    def __init__(self, sheet):
        self.sheet = sheet
        if sheet.round.closed:
            super().__init__(str(RoundClosed(sheet.round)))
            return
        super().__init__(
            _("The sheet is %(status)s and cannot be changed.") % {"status": sheet.get_status_display().lower()}
        )


def normalise_note(text):
    """Browsers post textareas with CRLF, fetch sends LF: store LF so both compare equal."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def note_digest(note):
    return hashlib.sha256(note.encode()).hexdigest()[:16]


def seen_of(value, note):
    """What a form says it showed of a cell: its value and a fingerprint of its note (the note
    itself would double the size of a large sheet's form)."""
    return f"{value}.{note_digest(note)}"


@dataclass(frozen=True)
class CellEdit:
    """What one person wants a cell to be, the answer version their page showed (0: none), and
    what it showed of the cell (`seen`, from `seen_of`; None when the form did not say)."""

    statement_id: int
    respondent_id: int
    value: str
    note: str
    version: int
    seen: str | None = None

    @property
    def key(self):
        return (self.statement_id, self.respondent_id)

    def check(self):
        if self.value not in Answer.Value.values:
            raise BadEdit(
                _("“%(value)s” is not an answer: choose yes, no, no data or not answered.") % {"value": self.value[:20]}
            )
        if len(self.note) > MAX_NOTE_LENGTH:
            raise BadEdit(
                _("An annotation may have at most %(max)s characters; this one has %(length)s.")
                % {"max": MAX_NOTE_LENGTH, "length": len(self.note)}
            )
        if "\x00" in self.note:
            raise BadEdit(_("An annotation may not contain null characters."))
        if self.version < 0:
            raise BadEdit(_("An answer version cannot be negative."))
        if self.seen is not None and not SEEN.match(self.seen):
            raise BadEdit(_("A cell fingerprint of the form is damaged; reload the sheet and try again."))

    def parts(self):
        return {"value": self.value, "note": note_digest(self.note)}

    def seen_parts(self):
        if self.seen is None:
            return {"value": None, "note": None}
        value, digest = SEEN.match(self.seen).groups()
        return {"value": value, "note": digest}


def _parts(answer):
    return (
        {"value": answer.value, "note": note_digest(answer.note)} if answer else {"value": "", "note": note_digest("")}
    )


@dataclass
class Conflict:
    """A cell that somebody else changed after `mine` was based on it.

    `kind` is "changed" (they saved the cell), "removed" (they removed its column) or "locked"
    (the sheet was submitted or validated meanwhile, so nothing can be saved). For "changed",
    `parts` are the contested parts ("value", "note") and `resolved` is the edit to save if the
    person takes theirs where only they changed a part and mine where both did.
    """

    kind: str
    mine: CellEdit
    statement: Statement
    respondent: Respondent | None
    theirs: Answer | None = None
    parts: list = field(default_factory=list)
    resolved: CellEdit | None = None
    user: object = None  # who is saving: "you, in another window" when they made theirs

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

    @property
    def value_contested(self):
        return "value" in self.parts

    @property
    def note_contested(self):
        return "note" in self.parts

    @property
    def by_you(self):
        return bool(self.theirs and self.user and self.theirs.updated_by_id == self.user.pk)

    @property
    def who(self):
        if self.by_you:
            return _("you, in another window")
        if self.theirs and self.theirs.updated_by:
            return self.theirs.updated_by.get_username()
        return _("somebody else")

    @property
    def when(self):
        """When they saved it, in the reader's language and time zone."""
        if not (self.theirs and self.theirs.updated_at):
            return ""
        return formats.date_format(timezone.localtime(self.theirs.updated_at), "DATETIME_FORMAT")

    @property
    def message(self):
        what = {
            ("value",): _("the answer"),
            ("note",): _("the annotation"),
        }.get(tuple(self.parts), _("the answer and its annotation"))
        if self.by_you:
            text = _("You changed %(what)s in another window (%(when)s), after this page was opened.")
        else:
            text = _("%(who)s changed %(what)s (%(when)s) after you opened the page.")
        return text % {"who": self.who, "what": what, "when": self.when or _("time unknown")}


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

    @property
    def all_yours(self):
        """Every contested cell was saved meanwhile by the person saving now (another window)."""
        changed = [c for c in self.conflicts if c.kind == "changed"]
        return bool(changed) and all(c.by_you for c in changed)

    def answer(self, key):
        """The cell as it is now (after the save), or None."""
        return self.current.get(key)


def _merge_cell(edit, answer):
    """(what to write as a CellEdit, contested parts) for an edit based on an older version."""
    merged, contested = merge(edit.seen_parts(), edit.parts(), _parts(answer))
    theirs_note = answer.note if answer else ""
    value = merged["value"]
    note = edit.note if merged["note"] == note_digest(edit.note) else theirs_note
    resolved = replace(
        edit,
        value=edit.value if "value" in contested else value,
        note=edit.note if "note" in contested else note,
    )
    return replace(edit, value=value, note=note), contested, resolved


def save_cells(sheet, user, edits, *, why=None):
    """Write `edits` to `sheet` as `user`, all or nothing; `why` is the history's reason
    (the sheet editor's, by default).

    An edit based on the current answer version is written as it is; one based on an older
    version is merged part by part with what was saved meanwhile. Raises `BadEdit` for edits
    no form can produce; returns a `SaveResult`.
    """
    for edit in edits:
        edit.check()
    with transaction.atomic():
        sheet.lock()
        statement_ids = {e.statement_id for e in edits}
        respondent_ids = {e.respondent_id for e in edits}
        statements = {
            s.pk: s
            for s in Statement.objects.filter(
                pk__in=statement_ids, level__checklist_id=sheet.checklist_id
            ).select_related("level")
        }
        unknown = statement_ids - statements.keys()
        if unknown:
            raise BadEdit(
                _("Statement %(id)s is not on the checklist of this sheet; reload the sheet and try again.")
                % {"id": min(unknown)}
            )
        respondents = {
            r.pk: r
            for r in Respondent.objects.filter(pk__in=respondent_ids, sheet=sheet).select_related("organisation")
        }
        removed = _removed_columns(sheet, respondent_ids - respondents.keys())
        answers = {
            (a.statement_id, a.respondent_id): a
            for a in Answer.objects.filter(
                statement_id__in=statement_ids, respondent_id__in=respondents.keys()
            ).select_related("updated_by")
        }
        result = SaveResult(sheet, current=answers)
        changes = []
        for edit in edits:
            if edit.respondent_id in removed:
                result.conflicts.append(Conflict("removed", edit, statements[edit.statement_id], None, user=user))
                continue
            answer = answers.get(edit.key)
            now = (answer.value, answer.note) if answer else ("", "")
            if (edit.value, edit.note) == now:
                continue
            if edit.version == (answer.version if answer else 0):
                changes.append((edit, answer))
                continue
            merged, contested, resolved = _merge_cell(edit, answer)
            if contested:
                result.conflicts.append(
                    Conflict(
                        "changed",
                        edit,
                        statements[edit.statement_id],
                        respondents[edit.respondent_id],
                        answer,
                        parts=contested,
                        resolved=resolved,
                        user=user,
                    )
                )
            elif (merged.value, merged.note) == now:
                result.kept_theirs.append(edit)
            else:
                changes.append((merged, answer))
        if not sheet.is_editable:
            result.locked = True
            result.conflicts += [
                Conflict(
                    "locked",
                    edit,
                    statements[edit.statement_id],
                    respondents[edit.respondent_id],
                    answers.get(edit.key),
                    user=user,
                )
                for edit, _ in changes
            ]
            return result
        if result.conflicts:
            return result
        why = why or reason(Reason.EDITOR)
        baseline(Answer, [answer for _, answer in changes])
        result.saved = [_stage(answer, edit, user, why) for edit, answer in changes]
        save_recorded(Answer, result.saved, user, why, fields=["value", "note"])
        answers.update((edit.key, answer) for (edit, _), answer in zip(changes, result.saved))
        if result.saved:
            sheet.touch(user, why=why)
    return result


def _stage(answer, edit, user, why):
    """Apply `edit` to `answer` (None: a new one) as a recorded, unsaved change by `user`."""
    if answer is None:
        answer = Answer(respondent_id=edit.respondent_id, statement_id=edit.statement_id, version=0)
    answer.value, answer.note = edit.value, edit.note
    answer.stage_change(user, why)
    answer._sheet_touched = True  # every caller touches the sheet, which renews its cached grid
    return answer


def _removed_columns(sheet, respondent_ids):
    """Ids among `respondent_ids` that were columns of `sheet` once; others are refused."""
    if not respondent_ids:
        return set()
    once = set(
        Respondent.history.filter(id__in=respondent_ids, sheet_id=sheet.pk).values_list("id", flat=True).distinct()
    )
    foreign = respondent_ids - once
    if foreign:
        raise BadEdit(
            _("Column %(id)s is not a column of this sheet; reload the sheet and try again.") % {"id": min(foreign)}
        )
    return once

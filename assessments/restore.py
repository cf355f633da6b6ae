"""Restoring a cell to what it was before a recorded change, part by part.

A cell's value and its annotation are separate parts: a restore says, before it is made, what
each part is now and what it would become, flags a part changed again since the change being
undone (so that nothing later is lost silently), and changes only the parts the person chose.
The restore is an ordinary recorded change whose reason names the record it went back to.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _, gettext_lazy

from assessments.cells import BadEdit, CellEdit, SheetLocked, StaleSheet, save_cells
from assessments.changes import Reason, reason
from assessments.models import Answer

PART_LABELS = {"value": gettext_lazy("Answer"), "note": gettext_lazy("Annotation")}


@dataclass
class Part:
    name: str  # "value" or "note"
    now: str
    restored: str
    changed_by_record: bool  # the change being undone changed this part
    changed_since: bool  # somebody changed this part again after that change

    @property
    def label(self):
        return PART_LABELS[self.name]

    def shown(self, text):
        if self.name == "value":
            return Answer.Value(text).label
        return text

    @property
    def now_shown(self):
        return self.shown(self.now)

    @property
    def restored_shown(self):
        return self.shown(self.restored)

    @property
    def proposed(self):
        """Ticked on the confirmation page: what the change being undone changed."""
        return self.changed_by_record


@dataclass
class RestorePlan:
    record: object  # the historical answer whose change is undone
    answer: Answer | None
    parts: list  # the Parts that a restore would change

    @property
    def version(self):
        return self.answer.version if self.answer else 0


def _state(record):
    return (record.value, record.note) if record is not None and record.history_type != "-" else ("", "")


def plan(record):
    """What restoring the state from before `record` would change, part by part (only the parts
    whose restored value differs from the current one)."""
    answer = Answer.objects.filter(pk=record.id).select_related("updated_by").first()
    if answer is None:
        raise BadEdit(_("This answer no longer exists: its column was removed."))
    before = Answer.history.filter(id=record.id, history_id__lt=record.history_id).order_by("-history_id").first()
    old, new, now = _state(before), _state(record), (answer.value, answer.note)
    parts = [
        Part(name, now[i], old[i], changed_by_record=old[i] != new[i], changed_since=now[i] != new[i])
        for i, name in enumerate(("value", "note"))
        if old[i] != now[i]
    ]
    return RestorePlan(record, answer, parts)


def restore(sheet, user, record, *, parts, expected_version):
    """Restore the chosen `parts` ("value", "note") of the cell to what they were before
    `record`, as `user`. Refused (StaleSheet) when the cell changed since the person saw the
    confirmation page. Returns the names of the parts restored."""
    with transaction.atomic():
        sheet.lock()
        if not sheet.is_editable:
            raise SheetLocked(sheet)
        restore_plan = plan(record)
        if restore_plan.version != expected_version:
            raise StaleSheet(_("The answer changed after you opened this page."))
        chosen = [p for p in restore_plan.parts if p.name in parts]
        if not chosen:
            return []
        answer = restore_plan.answer
        target = {"value": answer.value, "note": answer.note} | {p.name: p.restored for p in chosen}
        edit = CellEdit(answer.statement_id, answer.respondent_id, target["value"], target["note"], answer.version)
        why = reason(Reason.RESTORE, record=record.history_id, parts=[p.name for p in chosen])
        save_cells(sheet, user, [edit], why=why)
        return [p.name for p in chosen]

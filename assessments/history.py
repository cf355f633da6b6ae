"""A sheet's history as people read it: who changed what, when, from what to what.

Built from django-simple-history's records of the sheet's answers and columns (including
columns removed since) and from its workflow transitions, in a fixed number of queries.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _, gettext_lazy

from assessments.changes import Reason, is_baseline, read_reason
from assessments.models import Answer, Respondent, Statement
from stakeholders.models import Organisation

KIND_LABELS = {
    "+": gettext_lazy("Column “%(name)s” added"),
    "~": gettext_lazy("Column “%(name)s” changed"),
    "-": gettext_lazy("Column “%(name)s” removed"),
}


@dataclass
class Change:
    at: datetime
    user: object
    kind: str  # "answer", "column" or "status"
    subject: str
    old: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    comment: str = ""
    detail: str = ""  # the statement's text, for an answer
    reason: str = ""
    record_id: int | None = None  # the historical answer a restore undoes
    current_version: int | None = None  # the answer's version now, None when it is gone
    sort_key: tuple = ()

    @property
    def restorable(self):
        return self.kind == "answer" and self.current_version is not None and self.old != self.new


def _cell_state(record):
    if record is None:
        return ("", "")
    return (record.value, record.note)


def _describe_cell(state):
    value, note = state
    lines = [str(Answer.Value(value).label) if value in Answer.Value.values else value]
    if note:
        lines.append(_("Annotation: %(note)s") % {"note": note})
    return lines


def answer_record(sheet, history_id):
    """The historical answer `history_id` if it belongs to `sheet` (or to a column it had)."""
    return Answer.history.filter(history_id=history_id, respondent_id__in=_column_ids(sheet)).first()


def _column_ids(sheet):
    """Ids of the sheet's columns now and in the past (seed data may have no history)."""
    return set(sheet.respondents.values_list("id", flat=True)) | set(
        Respondent.history.filter(sheet_id=sheet.pk).values_list("id", flat=True)
    )


def sheet_history(sheet):
    """Every recorded change of `sheet`, newest first, as `Change`s."""
    column_records = list(
        Respondent.history.filter(sheet_id=sheet.pk).select_related("history_user").order_by("id", "history_id")
    )
    names = dict(
        Organisation.objects.filter(pk__in={r.organisation_id for r in column_records}).values_list("pk", "name")
    )
    column_names = {}
    for record in column_records:
        column_names[record.id] = names.get(record.organisation_id, "a removed organisation")
    for respondent in sheet.respondents.select_related("organisation"):
        column_names[respondent.pk] = respondent.organisation.name
    statements = {
        s.pk: s for s in Statement.objects.filter(level__checklist_id=sheet.checklist_id).select_related("level")
    }
    changes = []
    changes += _column_changes(column_records, names)
    changes += _answer_changes(sheet, column_names, statements)
    changes += [
        Change(
            t.at,
            t.by,
            "status",
            "Status",
            [t.get_from_status_display()],
            [t.get_to_status_display()],
            comment=t.comment,
            reason=t.get_action_display(),
            sort_key=(t.at, 2, t.pk),
        )
        for t in sheet.transitions.select_related("by")
    ]
    changes.sort(key=lambda c: c.sort_key, reverse=True)
    return changes


def _column_changes(records, names):
    changes, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        name = names.get(record.organisation_id) or _("a removed organisation")
        state = [
            name,
            _("Header note: %(note)s") % {"note": record.note} if record.note else _("No header note"),
            _("Position %(position)s") % {"position": record.position},
        ]
        if is_baseline(record):
            previous[record.id] = state
            continue
        if record.history_type == "-":
            old, new = state, []
        elif before is None:
            old, new = [], state
        else:
            old = [line for line in before if line not in state]
            new = [line for line in state if line not in before]
            if not old and not new:
                previous[record.id] = state
                continue
        previous[record.id] = state
        changes.append(
            Change(
                record.history_date,
                record.history_user,
                "column",
                KIND_LABELS[record.history_type] % {"name": name},
                old,
                new,
                reason=describe_reason(record.history_change_reason),
                sort_key=(record.history_date, 0, record.history_id),
            )
        )
    return changes


def _answer_changes(sheet, column_names, statements):
    records = (
        Answer.history.filter(respondent_id__in=list(column_names))
        .select_related("history_user")
        .order_by("id", "history_id")
    )
    current = dict(Answer.objects.filter(respondent__sheet=sheet).values_list("pk", "version"))
    changes, previous, dates = [], {}, {}
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        dates[record.history_id] = record.history_date
        if is_baseline(record):
            continue
        old = _cell_state(before)
        new = ("", "") if record.history_type == "-" else _cell_state(record)
        if old == new and record.history_type != "-":
            continue
        statement = statements.get(record.statement_id)
        number = f"{statement.level.number}.{statement.position}" if statement else "?"
        subject = _("Statement %(number)s – %(column)s") % {
            "number": number,
            "column": column_names.get(record.respondent_id) or _("a removed column"),
        }
        changes.append(
            Change(
                record.history_date,
                record.history_user,
                "answer",
                subject,
                _describe_cell(old),
                _describe_cell(new) if record.history_type != "-" else [_("Removed with its column")],
                reason=describe_reason(record.history_change_reason, dates),
                record_id=record.history_id,
                current_version=current.get(record.id),
                sort_key=(record.history_date, 1, record.history_id),
                detail=statement.text if statement else "",
            )
        )
    return changes


PART_NAMES = {
    ("value",): gettext_lazy("the answer"),
    ("note",): gettext_lazy("the annotation"),
    ("note", "value"): gettext_lazy("the answer and the annotation"),
}


def describe_reason(stored, dates=None):
    """A history record's reason in the reader's language and time zone; `dates` maps history
    ids to their dates, for a restore that names the record it went back to."""
    data = read_reason(stored)
    if data is None:
        return stored or ""  # free text of records made before reasons were structured
    what = data["what"]
    if what == Reason.RESTORE and "at" in data:  # a report's part, restored to before a change
        at = parse_datetime(data["at"])
        if at is None:
            return str(what.label)
        return _("Restored what it was before the change of %(when)s") % {
            "when": formats.date_format(timezone.localtime(at), "DATETIME_FORMAT"),
        }
    if what == Reason.RESTORE:
        parts = PART_NAMES.get(tuple(sorted(data.get("parts") or ())), PART_NAMES[("note", "value")])
        at = (dates or {}).get(data.get("record"))
        if at is None:
            return _("Restored %(parts)s from before an earlier change") % {"parts": parts}
        return _("Restored %(parts)s from before the change of %(when)s") % {
            "parts": parts,
            "when": formats.date_format(timezone.localtime(at), "DATETIME_FORMAT"),
        }
    if what == Reason.EDITOR:
        return ""  # the ordinary way: nothing to add
    return str(what.label)

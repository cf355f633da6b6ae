"""A city report's history as people read it: who changed which text or conclusion, when, from
what to what; and what restoring one of those changes would set back.

Built from django-simple-history's records of the report and of its conclusions (those removed
since included), with their topics, in a fixed number of queries.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from assessments.changes import is_baseline
from assessments.history import describe_reason
from assessments.models import CityReport, Conclusion, Topic
from reports.editing import GONE, KIND_LABELS, TEXT_LABELS, TEXTS


@dataclass
class ReportChange:
    at: datetime
    user: object
    subject: str
    part: str  # a text's name or "conclusion"; what a restore sets back
    record_id: int
    before: object  # the value before the change: a text, (text, topic ids), or GONE
    after: object
    old: list = field(default_factory=list)  # `before` and `after` as lines of text
    new: list = field(default_factory=list)
    reason: str = ""
    restorable: bool = True


def describe(value, topic_names):
    if value is GONE:
        return []
    if isinstance(value, str):
        return [value] if value else [_("(empty)")]
    text, topics = value
    names = ", ".join(sorted(topic_names.get(t, "?") for t in topics))
    return [text, _("Topics: %(topics)s") % {"topics": names or "—"}]


def _change(record, subject, part, before, after, topic_names):
    """The change that history `record` made to `part` (a text's name or "conclusion")."""
    return ReportChange(
        record.history_date,
        record.history_user,
        subject,
        part,
        record.history_id,
        before,
        after,
        describe(before, topic_names),
        describe(after, topic_names),
        reason=describe_reason(record.history_change_reason),
    )


def _topics_of(records):
    """{historical conclusion id: {topic ids}} as each record saw them."""
    through = Conclusion.history.model._meta.get_field("historicalconclusion_topics").related_model
    topics = {}
    for history_id, topic_id in through.objects.filter(history__in=records).values_list("history_id", "topic_id"):
        topics.setdefault(history_id, set()).add(topic_id)
    return topics


def report_history(report):
    """Every recorded change of the report's texts and conclusions, newest first."""
    names = dict(Topic.objects.values_list("pk", "name"))
    changes = _text_changes(report, names) + _conclusion_changes(report, names)
    changes.sort(key=lambda c: (c.at, c.record_id), reverse=True)
    return changes


def _text_changes(report, names):
    changes, previous = [], None
    for record in CityReport.history.filter(id=report.pk).select_related("history_user").order_by("history_id"):
        if previous is not None and not is_baseline(record):
            for name in TEXTS:
                before, after = getattr(previous, name), getattr(record, name)
                if before != after:
                    changes.append(_change(record, str(TEXT_LABELS[name]), name, before, after, names))
        previous = record
    return changes


def _conclusion_changes(report, names):
    records = list(
        Conclusion.history.filter(report_id=report.pk).select_related("history_user").order_by("id", "history_id")
    )
    topics = _topics_of(records)
    changes, previous = [], {}
    for record in records:
        before_record = previous.get(record.id)
        previous[record.id] = record
        if is_baseline(record):
            continue
        if before_record is None and record.history_type != "+":
            continue  # the first record of a conclusion loaded from a fixture: its state then, not a change
        if before_record is None or before_record.history_type == "-":
            before = GONE
        else:
            before = (before_record.text, topics.get(before_record.history_id, set()))
        after = GONE if record.history_type == "-" else (record.text, topics.get(record.history_id, set()))
        list_name = KIND_LABELS.get(record.kind, record.kind)
        if record.history_type == "-":
            subject = _("Conclusion removed from “%(list)s”") % {"list": list_name}
            before = (record.text, topics.get(before_record.history_id, set()) if before_record else set())
        elif before is GONE:
            subject = _("Conclusion added to “%(list)s”") % {"list": list_name}
        elif before == after:
            if before_record.position == record.position:
                continue
            changes.append(
                ReportChange(
                    record.history_date,
                    record.history_user,
                    _("Conclusion moved in “%(list)s”") % {"list": list_name},
                    "conclusion",
                    record.history_id,
                    before,
                    after,
                    [_("Position %(n)s") % {"n": before_record.position}],
                    [_("Position %(n)s") % {"n": record.position}],
                    restorable=False,
                )
            )
            continue
        else:
            subject = _("Conclusion %(number)s of “%(list)s” changed") % {"number": record.position, "list": list_name}
        changes.append(_change(record, subject, "conclusion", before, after, names))
    return changes


def change_to_restore(report, part, record_id):
    """The `ReportChange` of `record_id` in the report's history, or None."""
    for change in report_history(report):
        if change.record_id == record_id and change.part == part and change.restorable:
            return change
    return None


def conclusion_id(record_id):
    return Conclusion.history.filter(history_id=record_id).values_list("id", flat=True).first()

"""Recording a change, the one way every write path does it.

A model that people change concurrently (an answer, a sheet, a city report, a self-assessment)
mixes in `RecordsChanges`: each change is the next version, names who made it and when, and leaves
a history record (django-simple-history) whose reason is structured data (`Reason`), rendered in
the reader's language when the history is shown. The sheet editor, the admin's change form and
spreadsheet import, the exchange import, suggestions, restores and ratings all call it.

The concurrency rule that goes with it is `merge`: a form posts what it saw, and the server
merges "seen / mine / theirs" part by part, without reading the history.
"""

import json

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Reason(models.TextChoices):
    """Why a change was made: stored in the history record, shown in the reader's language."""

    EDITOR = "editor", _("Changed in the sheet editor")
    ADMIN = "admin", _("Changed in the admin")
    SPREADSHEET = "spreadsheet", _("Imported from a spreadsheet in the admin")
    EXCHANGE = "exchange", _("Imported from an exchange file")
    SUGGESTION = "suggestion", _("Added from a matching suggestion")
    RESTORE = "restore", _("Restored")
    RATING = "rating", _("Rated")
    # The first record of an object that had none: its state before its first recorded change.
    BASELINE = "baseline", _("State before the first recorded change")


def reason(what, **details):
    """The history's change reason for `what` (a `Reason`), with details such as the historical
    record a restore went back to (`record`) and the parts it restored (`parts`)."""
    return json.dumps({"what": str(what), **details}, separators=(",", ":"), sort_keys=True)


def read_reason(text):
    """{"what": Reason, …} from a stored change reason; None for none or free text (which older
    records may hold)."""
    if not text or not text.startswith("{"):
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("what") not in Reason.values:
        return None
    data["what"] = Reason(data["what"])
    return data


BASELINE_REASON = reason(Reason.BASELINE)


class RecordsChanges:
    """For models with `version`, `updated_by`, `updated_at` and `history`: record a change."""

    def stage_change(self, user, why=None):
        """Make this object's unsaved state the next version, by `user`, for `why` (a `reason()`).
        The caller saves it (or writes it in bulk with `save_recorded`)."""
        self.version = self.version + 1 if self.pk else max(self.version, 1)
        self.updated_by = user
        self._history_user = user
        self._change_reason = why

    def record_change(self, user, why=None, *, update_fields=None):
        """Stage and save the change; `update_fields` (if given) are saved with the record's own."""
        self.stage_change(user, why)
        if update_fields is None or self.pk is None:
            self.save()
        else:
            self.save(update_fields=["version", "updated_by", "updated_at", *update_fields])
        return self


class RecordsChangesAdmin:
    """For the admin of a model that `RecordsChanges`: an edit in the admin is a recorded change
    like any other (a new version, so that a page opened before it gets a conflict)."""

    def save_model(self, request, obj, form, change):
        obj.record_change(request.user, reason(Reason.ADMIN))

    def set_history_delta_changes(self, request, historical_records, *args, **kwargs):
        """The admin's history page shows each reason in the reader's language, not its data."""
        from assessments.history import describe_reason

        super().set_history_delta_changes(request, historical_records, *args, **kwargs)
        for record in historical_records:
            record.history_change_reason = describe_reason(record.history_change_reason)


def save_recorded(model, objects, user, why=None, *, fields):
    """Write staged `objects` of `model` (new ones have no pk yet) and a history record of each,
    in a number of queries that does not grow with theirs. `fields` are the fields that differ
    from object to object; bulk writes send no signals, so the history is written here."""
    new = [o for o in objects if o.pk is None]
    changed = [o for o in objects if o.pk is not None]
    now = timezone.now()
    for o in changed:
        o.updated_at = now  # auto_now is only applied by save() and inserts
    # bulk_update writes a CASE over every row per field: only the fields that differ from row
    # to row go through it; those that are the same for all are one plain UPDATE.
    model.objects.bulk_update(changed, [*fields, "version"])
    model.objects.filter(pk__in=[o.pk for o in changed]).update(updated_by=user, updated_at=now)
    model.objects.bulk_create(new)  # sets their pks, which their history records need
    why = why or ""
    model.history.bulk_history_create(
        changed, update=True, default_user=user, default_date=now, default_change_reason=why
    )
    model.history.bulk_history_create(new, default_user=user, default_date=now, default_change_reason=why)


def baseline(model, objects):
    """Give each object that has no history yet (loaded from a fixture) a first record of its
    current state, so that its first recorded change has a known "before" for the history page
    and restores. One query, plus one insert when some are missing; the history page does not
    list these records as changes."""
    objects = [o for o in objects if o is not None and o.pk]
    if not objects:
        return
    history = model.history.model
    known = set(history.objects.filter(id__in=[o.pk for o in objects]).values_list("id", flat=True).distinct())
    now = timezone.now()
    history.objects.bulk_create(
        history(
            history_date=now,
            history_user=None,
            history_change_reason=BASELINE_REASON,
            history_type="+",
            **{f.attname: getattr(o, f.attname) for f in history.tracked_fields},
        )
        for o in objects
        if o.pk not in known
    )


def is_baseline(record):
    return record.history_change_reason in (BASELINE_REASON, OLD_BASELINE_REASON)


# What baseline records said before reasons were structured; such records may still exist.
OLD_BASELINE_REASON = "state before the first recorded change"


def merge(seen, mine, theirs, *, missing=None):
    """Three-way merge of {part: value} dicts; returns (merged, contested parts).

    `seen` is what the person's form showed, `mine` what it posts, `theirs` what is saved now.
    A part only one side changed takes that side's value; a part both changed to different
    values is contested (and keeps theirs in `merged`). A part missing from `seen` counts as
    `missing`; a part whose seen value is unknown (None in `seen`) is contested whenever mine
    and theirs differ.
    """
    merged, contested = {}, []
    for part, value in mine.items():
        before, now = seen.get(part, missing), theirs.get(part, missing)
        if value == now:
            merged[part] = now
        elif before is not None and value == before:
            merged[part] = now  # not changed in this form: keep what was saved meanwhile
        elif before is not None and now == before:
            merged[part] = value
        else:
            merged[part] = now
            contested.append(part)
    return merged, contested

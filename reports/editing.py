"""Changing a city report without ever losing anybody's edit.

A report has parts: its two texts, each conclusion (its text and topics) and the order of each
list of conclusions. The editor posts, for every part, what it showed (`seen`: a fingerprint of a
text or a conclusion, the ids of a list in order) beside what the person wants (`mine`). The
server compares these with what is saved now (`theirs`), part by part, and nothing else:

- mine equals theirs: nothing to do;
- mine equals what was seen: the person did not change it; theirs stays;
- theirs equals what was seen: nobody else changed it; mine is written;
- otherwise both changed it: a `PartConflict`, and nothing at all is written.

Adding and removing a conclusion are separate actions. Every write ends in
`CityReport.record_change`, which bumps the version and records who changed it.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _, gettext_lazy

from assessments.cells import BadEdit
from assessments.changes import BASELINE_REASON, baseline
from assessments.models import CityReport, Conclusion, Round, RoundClosed, Topic

TEXTS = ("national_context", "city_observations")
TEXT_LABELS = {
    "national_context": gettext_lazy("National context"),
    "city_observations": gettext_lazy("City-level observations"),
}
KIND_LABELS = {
    Conclusion.Kind.SHARE: gettext_lazy("May share its experiences with regard to"),
    Conclusion.Kind.LOOK_AT: gettext_lazy("May look at"),
}
GONE = None  # "theirs" of a conclusion that somebody removed


def fingerprint(value):
    """A short fingerprint of a part's value (a text, or a conclusion as (text, topic ids))."""
    if isinstance(value, tuple):
        value = [value[0], sorted(value[1])]
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode()).hexdigest()[:16]


def conclusion_part(pk):
    return f"conclusion-{pk}"


def order_part(kind):
    return f"order-{kind}"


def part_label(part, conclusions=None):
    """How a part is named to people: "National context", "Conclusion 2 (May look at)"…"""
    if part in TEXT_LABELS:
        return str(TEXT_LABELS[part])
    if part.startswith("order-"):
        return _("The order of “%(list)s”") % {"list": KIND_LABELS[part.removeprefix("order-")]}
    pk = int(part.removeprefix("conclusion-"))
    conclusion = (conclusions or {}).get(pk)
    if conclusion is None:
        return _("A removed conclusion")
    return _("Conclusion %(number)s of “%(list)s”") % {
        "number": conclusion.position,
        "list": KIND_LABELS[conclusion.kind],
    }


@dataclass
class ReportEdit:
    """What one person's form holds: for each part what they want and what their page showed.

    `texts`: {name: (mine, seen fingerprint)}; `conclusions`: {pk: ((text, topic ids), seen
    fingerprint)}; `orders`: {kind: (mine [pk], seen [pk])}.
    """

    texts: dict = field(default_factory=dict)
    conclusions: dict = field(default_factory=dict)
    orders: dict = field(default_factory=dict)

    def drop(self, part):
        """Leave `part` as it is saved (the person chose theirs)."""
        if part in self.texts:
            del self.texts[part]
        elif part.startswith("order-"):
            self.orders.pop(part.removeprefix("order-"), None)
        else:
            self.conclusions.pop(int(part.removeprefix("conclusion-")), None)

    def rebase(self, part, seen):
        """Take mine over `seen`, the value the person was shown in a conflict (their choice)."""
        if part in self.texts:
            self.texts[part] = (self.texts[part][0], seen)
        elif part.startswith("order-"):
            kind = part.removeprefix("order-")
            if kind in self.orders:
                self.orders[kind] = (self.orders[kind][0], seen)
        else:
            pk = int(part.removeprefix("conclusion-"))
            if pk in self.conclusions:
                self.conclusions[pk] = (self.conclusions[pk][0], seen)


@dataclass
class PartConflict:
    part: str
    label: str
    theirs: object  # the saved value (GONE for a removed conclusion)
    mine: object
    seen_now: str  # what to post as "seen" to take mine over theirs


@dataclass
class ReportSave:
    report: CityReport | None
    changed: list = field(default_factory=list)  # labels of the parts written
    kept_theirs: list = field(default_factory=list)  # labels of parts somebody else changed meanwhile
    conflicts: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.conflicts


def current_parts(report):
    """(texts {name: text}, conclusions {pk: Conclusion}, orders {kind: [pk]}) as saved now."""
    texts = {name: getattr(report, name) if report else "" for name in TEXTS}
    conclusions = {}
    if report is not None and report.pk:
        conclusions = {c.pk: c for c in report.conclusions.prefetch_related("topics").order_by("position", "id")}
    orders = {kind: [pk for pk, c in conclusions.items() if c.kind == kind] for kind in Conclusion.Kind.values}
    return texts, conclusions, orders


def content(conclusion):
    """A conclusion's (text, {topic ids}); GONE when there is none."""
    if conclusion is None:
        return GONE
    return conclusion.text, {t.pk for t in conclusion.topics.all()}


def _merge(mine, seen, theirs):
    """ "write", "keep" or "conflict" for one part, from fingerprints only."""
    if mine == theirs:
        return "keep"
    if mine == seen:
        return "keep"
    if theirs == seen:
        return "write"
    return "conflict"


def _merge_order(mine, seen, theirs):
    """The new order of a list, "keep" or "conflict". Conclusions added meanwhile go last."""
    if mine == seen or mine == theirs:
        return "keep"
    still = [pk for pk in seen if pk in theirs]
    if [pk for pk in theirs if pk in seen] != still:
        return "conflict"  # both reordered the conclusions they had in common
    return [pk for pk in mine if pk in theirs] + [pk for pk in theirs if pk not in mine]


def _lock(city, round):
    if Round.objects.filter(pk=round.pk, closed=True).exists():
        raise RoundClosed(round)
    return CityReport.objects.select_for_update().filter(city=city, round=round).first()


def save_report(city, round, user, edit):
    """Merge `edit` (a `ReportEdit`) into the report of (city, round) as `user`: all of it, or,
    when a part was changed by both, nothing (`ReportSave.conflicts`). Creates the report on
    its first change. Raises BadEdit for a conclusion that was never this report's."""
    with transaction.atomic():
        report = _lock(city, round)
        texts, conclusions, orders = current_parts(report)
        _check_conclusions(report, edit, conclusions)
        result = ReportSave(report)
        writes = {}
        for name, (mine, seen) in edit.texts.items():
            verdict = _merge(fingerprint(mine), seen, fingerprint(texts[name]))
            _decide(result, writes, name, verdict, mine, texts[name], seen, TEXT_LABELS[name])
        for pk, (mine, seen) in edit.conclusions.items():
            theirs = content(conclusions.get(pk))
            verdict = _merge(fingerprint(mine), seen, fingerprint(theirs))
            part = conclusion_part(pk)
            _decide(result, writes, part, verdict, mine, theirs, seen, part_label(part, conclusions))
        for kind, (mine, seen) in edit.orders.items():
            theirs = orders[kind]
            verdict = _merge_order(mine, seen, theirs)
            new_order = verdict if isinstance(verdict, list) else None
            _decide(
                result,
                writes,
                order_part(kind),
                verdict if new_order is None else "write",
                mine if new_order is None else new_order,
                theirs,
                seen,
                part_label(order_part(kind)),
            )
        if result.conflicts:
            return result
        if not writes:
            return result
        if report is None:
            report = CityReport.objects.create(city=city, round=round, version=0)
            result.report = report
        baseline(CityReport, [report])
        baseline_conclusions(conclusions.values())
        for part, value in writes.items():
            if part in TEXTS:
                setattr(report, part, value)
            elif part.startswith("conclusion-"):
                pk = int(part.removeprefix("conclusion-"))
                if pk in conclusions:
                    _set_content(conclusions[pk], value, user)
                else:
                    _revive(report, pk, value, user)
        for part, value in writes.items():
            if part.startswith("order-"):
                _reorder(report, part.removeprefix("order-"), value, user)
        report.record_change(user)
        return result


def _decide(result, writes, part, verdict, mine, theirs, seen, label):
    if verdict == "write":
        writes[part] = mine
        result.changed.append(str(label))
    elif verdict == "conflict":
        seen_now = theirs if part.startswith("order-") else fingerprint(theirs)
        result.conflicts.append(PartConflict(part, str(label), theirs, mine, seen_now))
    elif mine != theirs:
        result.kept_theirs.append(str(label))


def _check_conclusions(report, edit, conclusions):
    unknown = set(edit.conclusions) - conclusions.keys()
    for mine, seen in edit.orders.values():
        unknown |= (set(mine) | set(seen)) - conclusions.keys()
    if not unknown:
        return
    removed = set(
        Conclusion.history.filter(id__in=unknown, report_id=report.pk if report else None).values_list("id", flat=True)
    )
    if unknown - removed:
        raise BadEdit(
            _("Conclusion %(id)s is not a conclusion of this report; reload the page and try again.")
            % {"id": min(unknown - removed)}
        )


def baseline_conclusions(conclusions):
    """Give conclusions that have no history yet (loaded from a fixture) a first record with
    their topics, so that their first change has a known "before"."""
    conclusions = [c for c in conclusions if c is not None and c.pk]
    known = set(Conclusion.history.filter(id__in=[c.pk for c in conclusions]).values_list("id", flat=True).distinct())
    for conclusion in conclusions:
        if conclusion.pk not in known:
            conclusion._history_user = None
            conclusion._change_reason = BASELINE_REASON
            conclusion.save()
            del conclusion._change_reason


def _set_content(conclusion, value, user, *, reason=None):
    """Set a conclusion's text and topics with one history record (text and topics together)."""
    text, topics = value
    conclusion.text = text
    conclusion.skip_history_when_saving = True  # topics.set would record a half change
    try:
        conclusion.topics.set(topics)
    finally:
        del conclusion.skip_history_when_saving
    conclusion._history_user = user
    if reason:
        conclusion._change_reason = reason
    conclusion.save()


def _next_position(report, kind):
    last = report.conclusions.filter(kind=kind).order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


def _revive(report, pk, value, user, *, reason=None):
    """Bring back a removed conclusion (same id, so its history continues), at the end of its list."""
    record = Conclusion.history.filter(id=pk, report_id=report.pk).order_by("-history_id").first()
    conclusion = Conclusion(pk=pk, report=report, kind=record.kind, position=_next_position(report, record.kind))
    conclusion.text = value[0]
    conclusion.skip_history_when_saving = True
    try:
        conclusion.save(force_insert=True)
    finally:
        del conclusion.skip_history_when_saving
    _set_content(conclusion, value, user, reason=reason)
    return conclusion


def _reorder(report, kind, order, user):
    conclusions = {c.pk: c for c in report.conclusions.filter(kind=kind)}
    # Positions are unique per list: move them out of the way before renumbering.
    report.conclusions.filter(kind=kind).update(position=F("position") + 10000)
    for position, pk in enumerate([pk for pk in order if pk in conclusions], start=1):
        conclusion = conclusions[pk]
        conclusion.position = position
        conclusion._history_user = user
        conclusion.save(update_fields=["position"])


def add_conclusion(city, round, user, kind, text, topics):
    """Append a conclusion to the `kind` list of the report of (city, round)."""
    with transaction.atomic():
        report = _lock(city, round) or CityReport.objects.create(city=city, round=round, version=0)
        baseline(CityReport, [report])
        conclusion = Conclusion(report=report, kind=kind, position=_next_position(report, kind), text=text)
        conclusion.skip_history_when_saving = True
        try:
            conclusion.save()
        finally:
            del conclusion.skip_history_when_saving
        conclusion._history_user = user
        conclusion.topics.set(topics)  # records the conclusion with its topics…
        Conclusion.history.filter(id=conclusion.pk).update(history_type="+")  # …as the addition it is
        report.record_change(user)
        return conclusion


class StaleReport(Exception):
    """The part changed since the person looked at it: refused, nothing written."""


def remove_conclusion(report, user, pk, *, seen):
    """Remove conclusion `pk` if it is still what the person confirmed (`seen`: its fingerprint)."""
    with transaction.atomic():
        report = CityReport.objects.select_for_update().get(pk=report.pk)
        conclusion = report.conclusions.prefetch_related("topics").filter(pk=pk).first()
        if conclusion is None:
            raise StaleReport(_("This conclusion was removed already."))
        if fingerprint(content(conclusion)) != seen:
            raise StaleReport(_("Somebody changed this conclusion after you opened the page."))
        baseline_conclusions([conclusion])
        kind = conclusion.kind
        conclusion._history_user = user
        conclusion.delete()
        _reorder(report, kind, [c.pk for c in report.conclusions.filter(kind=kind).order_by("position")], user)
        report.record_change(user)


def restore(report, user, part, value, *, seen, reason):
    """Set `part` (a text or a conclusion) back to `value` (a text, a conclusion's content, or
    GONE to remove an added one), if it is still what the person saw (`seen`)."""
    with transaction.atomic():
        report = CityReport.objects.select_for_update().get(pk=report.pk)
        texts, conclusions, _orders = current_parts(report)
        if part in TEXTS:
            now = texts[part]
        else:
            now = content(conclusions.get(int(part.removeprefix("conclusion-"))))
        if fingerprint(now) != seen:
            raise StaleReport(_("It changed after you opened the history."))
        if fingerprint(now) == fingerprint(value):
            return False
        baseline(CityReport, [report])
        baseline_conclusions(conclusions.values())
        if part in TEXTS:
            setattr(report, part, value)
        else:
            pk = int(part.removeprefix("conclusion-"))
            if value is GONE:
                conclusions[pk]._history_user = user
                conclusions[pk]._change_reason = reason
                conclusions[pk].delete()
            elif pk in conclusions:
                _set_content(conclusions[pk], value, user, reason=reason)
            else:
                _revive(report, pk, value, user, reason=reason)
        report.record_change(user, reason if part in TEXTS else None)
        return True


def topic_names(ids):
    names = dict(Topic.objects.filter(pk__in=ids).values_list("pk", "name"))
    return sorted(names[pk] for pk in ids if pk in names)

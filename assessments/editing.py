"""Saving a city report's texts and conclusions without losing anybody's edit."""
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.changes import baseline

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

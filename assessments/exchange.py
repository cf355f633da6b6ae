"""The JSON exchange format ("mega-benchmark/1"): a city's whole benchmarking in one document.

`export_city` builds the document; `import_city` checks a whole document first, collecting
every error with its place (e.g. ``sheets[1].levels[0].items[3].answers[1].value``), and only
then writes, in one transaction, replacing the city's round. See README, "Exchange format".
"""
import re

from django.db import transaction
from django.db.models import Q

from assessments.changes import Reason, reason, save_recorded
from assessments.models import (
    MAX_NOTE_LENGTH, MAX_REPORT_TEXT_LENGTH, Answer, Checklist, CityReport, Conclusion, Respondent, Round, Sheet,
    Topic,
)
from assessments.sheet_table import build_sheet_table
from guidance.exchange import export_self_assessments, validate_self_assessments, write_self_assessments
from stakeholders.models import City, Organisation, StakeholderType

FORMAT = "mega-benchmark/1"
VALUES = set(Answer.Value.given())
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ExchangeError(Exception):
    """A document that cannot be imported; `errors` lists every problem with its place."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(errors))


def normalise(text):
    return " ".join(text.split())


# --- export -------------------------------------------------------------------------------

def latest_round(city):
    return (
        Round.objects.filter(Q(sheets__city=city) | Q(reports__city=city) | Q(self_assessments__city=city))
        .distinct().order_by("-name").first()
    )


def export_city(city, round=None):
    round = round or latest_round(city)
    document = {
        "format": FORMAT,
        "city": {"slug": city.slug, "name": city.name, "country": city.country},
        "round": round.name if round else None,
        "report": None,
        "sheets": [],
    }
    if round is None:
        return document
    report = CityReport.objects.filter(city=city, round=round).first()
    if report:
        document["report"] = export_report(report)
    sheets = (
        Sheet.objects.filter(city=city, round=round)
        .select_related("city", "round", "checklist__stakeholder_type")
        .order_by("checklist__stakeholder_type__position", "checklist__version")
    )
    document["sheets"] = [export_sheet(sheet) for sheet in sheets]
    self_assessments = export_self_assessments(city, round)
    if self_assessments:  # left out when empty, so a round without any reads as a version 1 file did
        document["self_assessments"] = self_assessments
    return document


def export_report(report):
    conclusions = report.conclusions.prefetch_related("topics").order_by("position", "id")

    def entries(kind):
        return [
            {"text": c.text, "topics": sorted(t.slug for t in c.topics.all())}
            for c in conclusions if c.kind == kind
        ]

    return {
        "national_context": report.national_context,
        "city_observations": report.city_observations,
        "may_share": entries(Conclusion.Kind.SHARE),
        "may_look_at": entries(Conclusion.Kind.LOOK_AT),
    }


def export_sheet(sheet):
    table = build_sheet_table(sheet)
    return {
        "stakeholder_type": sheet.checklist.stakeholder_type.slug,
        "checklist_version": sheet.checklist.version,
        "respondents": [
            {"name": column.respondent.name, "note": column.respondent.note or None} for column in table.columns
        ],
        "levels": [
            {
                "number": block.level.number,
                "items": [
                    {
                        "text": row.statement.text,
                        "answers": [{"value": cell.value or None, "note": cell.note or None} for cell in row.cells],
                    }
                    for row in block.rows
                ],
            }
            for block in table.levels
        ],
    }


# --- import: validation -------------------------------------------------------------------

class _Checker:
    """Walks a document, collecting errors with their places instead of stopping at the first."""

    def __init__(self):
        self.errors = []

    def error(self, place, message):
        self.errors.append(f"{place}: {message}")

    def obj(self, value, place, required=(), optional=()):
        if not isinstance(value, dict):
            self.error(place, f"must be an object, not {_kind(value)}")
            return None
        for key in required:
            if key not in value:
                self.error(place, f"is missing {key!r}")
        for key in value:
            if key not in required and key not in optional:
                self.error(f"{place}.{key}", "is not a known field")
        return value

    def text(self, value, place, *, max_length, allow_empty=False, allow_null=False):
        if value is None and allow_null:
            return ""
        if not isinstance(value, str):
            self.error(place, f"must be a string, not {_kind(value)}")
            return None
        if not allow_empty and not value.strip():
            self.error(place, "must not be empty")
            return None
        if len(value) > max_length:
            self.error(place, f"is {len(value)} characters long; at most {max_length} are allowed")
            return None
        return value

    def array(self, value, place):
        if not isinstance(value, list):
            self.error(place, f"must be a list, not {_kind(value)}")
            return []
        return value


def _kind(value):
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )


def validate(document):
    """Check a parsed document against the database; return a plan to write, or raise ExchangeError."""
    check = _Checker()
    doc = check.obj(
        document, "document", required=("format", "city", "round", "sheets"), optional=("report", "self_assessments")
    )
    if doc is None:
        raise ExchangeError(check.errors)
    if doc.get("format") != FORMAT:
        check.error("format", f"must be {FORMAT!r}, not {doc.get('format')!r}")
        raise ExchangeError(check.errors)

    plan = {"city": None, "round": None, "report": None, "sheets": [], "self_assessments": None}
    city = check.obj(doc.get("city"), "city", required=("slug", "name", "country"))
    if city is not None:
        slug = city.get("slug")
        if not isinstance(slug, str) or not SLUG_RE.match(slug) or len(slug) > 60:
            check.error("city.slug", f"must be a slug of lowercase letters, digits and hyphens, not {slug!r}")
        name = check.text(city.get("name"), "city.name", max_length=120)
        country = check.text(city.get("country"), "city.country", max_length=80)
        plan["city"] = {"slug": slug, "name": name, "country": country}
    if doc.get("round") is None and not doc.get("sheets") and doc.get("report") is None \
            and not doc.get("self_assessments"):
        plan["round"] = None  # a city that has not been benchmarked yet: the city alone
    else:
        plan["round"] = check.text(doc.get("round"), "round", max_length=40)

    topics = {t.slug: t for t in Topic.objects.all()}
    if doc.get("report") is not None:
        plan["report"] = _validate_report(check, doc["report"], topics)

    checklists = {
        (c.stakeholder_type.slug, c.version): c
        for c in Checklist.objects.select_related("stakeholder_type").prefetch_related("levels__statements")
    }
    known_types = set(StakeholderType.objects.values_list("slug", flat=True))
    seen_types = set()
    for i, sheet in enumerate(check.array(doc.get("sheets"), "sheets")):
        place = f"sheets[{i}]"
        planned = _validate_sheet(check, sheet, place, checklists, known_types)
        if planned is None:
            continue
        stype = planned["checklist"].stakeholder_type.slug
        if stype in seen_types:
            check.error(f"{place}.stakeholder_type", f"{stype!r} appears in more than one sheet")
        seen_types.add(stype)
        plan["sheets"].append(planned)
    if "self_assessments" in doc:  # optional: files without it leave the self-assessments alone
        plan["self_assessments"] = validate_self_assessments(check, doc["self_assessments"])

    if check.errors:
        raise ExchangeError(check.errors)
    return plan


def _validate_report(check, report, topics):
    report = check.obj(
        report, "report", required=("national_context", "city_observations", "may_share", "may_look_at")
    )
    if report is None:
        return None
    planned = {
        "national_context": check.text(
            report.get("national_context"), "report.national_context",
            max_length=MAX_REPORT_TEXT_LENGTH, allow_empty=True,
        ),
        "city_observations": check.text(
            report.get("city_observations"), "report.city_observations",
            max_length=MAX_REPORT_TEXT_LENGTH, allow_empty=True,
        ),
        "conclusions": [],
    }
    for key, kind in (("may_share", Conclusion.Kind.SHARE), ("may_look_at", Conclusion.Kind.LOOK_AT)):
        for j, entry in enumerate(check.array(report.get(key), f"report.{key}")):
            place = f"report.{key}[{j}]"
            entry = check.obj(entry, place, required=("text", "topics"))
            if entry is None:
                continue
            text = check.text(entry.get("text"), f"{place}.text", max_length=2000)
            slugs = check.array(entry.get("topics"), f"{place}.topics")
            if not slugs and isinstance(entry.get("topics"), list):
                check.error(f"{place}.topics", "must name at least one topic")
            chosen = []
            for k, slug in enumerate(slugs):
                if not isinstance(slug, str) or slug not in topics:
                    check.error(f"{place}.topics[{k}]", f"unknown topic {slug!r}")
                else:
                    chosen.append(topics[slug])
            planned["conclusions"].append({"kind": kind, "position": j + 1, "text": text, "topics": chosen})
    return planned


def _validate_sheet(check, sheet, place, checklists, known_types):
    sheet = check.obj(sheet, place, required=("stakeholder_type", "checklist_version", "respondents", "levels"))
    if sheet is None:
        return None
    stype, version = sheet.get("stakeholder_type"), sheet.get("checklist_version")
    if not isinstance(stype, str) or stype not in known_types:
        check.error(f"{place}.stakeholder_type", f"unknown stakeholder type {stype!r}")
        return None
    checklist = checklists.get((stype, version)) if isinstance(version, str) else None
    if checklist is None:
        check.error(f"{place}.checklist_version", f"the {stype} checklist has no version {version!r}")
        return None

    respondents = []
    names = set()
    for j, respondent in enumerate(check.array(sheet.get("respondents"), f"{place}.respondents")):
        rplace = f"{place}.respondents[{j}]"
        respondent = check.obj(respondent, rplace, required=("name", "note"))
        if respondent is None:
            continue
        name = check.text(respondent.get("name"), f"{rplace}.name", max_length=200)
        note = check.text(respondent.get("note"), f"{rplace}.note", max_length=MAX_NOTE_LENGTH,
                          allow_empty=True, allow_null=True)
        if name is not None and name in names:
            check.error(f"{rplace}.name", f"{name!r} is already a column of this sheet")
        names.add(name)
        respondents.append({"name": name, "note": note})
    if not respondents and isinstance(sheet.get("respondents"), list):
        check.error(f"{place}.respondents", "must have at least one respondent")

    levels = {level.number: level for level in checklist.levels.all()}
    answers = []
    seen_levels = set()
    for j, level in enumerate(check.array(sheet.get("levels"), f"{place}.levels")):
        lplace = f"{place}.levels[{j}]"
        level = check.obj(level, lplace, required=("number", "items"))
        if level is None:
            continue
        number = level.get("number")
        if isinstance(number, bool) or not isinstance(number, int) or number not in levels:
            check.error(f"{lplace}.number", f"the checklist has no level {number!r}")
            continue
        if number in seen_levels:
            check.error(f"{lplace}.number", f"level {number} appears twice")
        seen_levels.add(number)
        statements = {normalise(s.text): s for s in levels[number].statements.all()}
        seen_statements = set()
        for k, item in enumerate(check.array(level.get("items"), f"{lplace}.items")):
            iplace = f"{lplace}.items[{k}]"
            item = check.obj(item, iplace, required=("text", "answers"))
            if item is None:
                continue
            text = item.get("text")
            statement = statements.get(normalise(text)) if isinstance(text, str) else None
            if statement is None:
                shown = text[:60] + "…" if isinstance(text, str) and len(text) > 60 else text
                check.error(f"{iplace}.text", f"no statement of level {number} reads {shown!r}")
                continue
            if statement.id in seen_statements:
                check.error(f"{iplace}.text", "this statement appears twice in its level")
            seen_statements.add(statement.id)
            cells = check.array(item.get("answers"), f"{iplace}.answers")
            if isinstance(item.get("answers"), list) and len(cells) != len(respondents):
                check.error(
                    f"{iplace}.answers",
                    f"has {len(cells)} answers but the sheet has {len(respondents)} respondents",
                )
                continue
            for m, cell in enumerate(cells):
                aplace = f"{iplace}.answers[{m}]"
                cell = check.obj(cell, aplace, required=("value", "note"))
                if cell is None:
                    continue
                value = cell.get("value")
                if value is not None and (not isinstance(value, str) or value not in VALUES):
                    check.error(f"{aplace}.value", f"must be 'yes', 'no', 'nd' or null, not {value!r}")
                    continue
                note = check.text(cell.get("note"), f"{aplace}.note", max_length=MAX_NOTE_LENGTH,
                                  allow_empty=True, allow_null=True)
                if value or note:
                    answers.append({"statement": statement, "column": m, "value": value or "", "note": note or ""})
    return {"checklist": checklist, "respondents": respondents, "answers": answers}


# --- import: writing ----------------------------------------------------------------------

def import_city(document, user=None):
    """Validate `document` and replace the city's round with it; return (city, round)."""
    plan = validate(document)
    with transaction.atomic():
        info = plan["city"]
        city, _ = City.objects.update_or_create(
            slug=info["slug"], defaults={"name": info["name"], "country": info["country"]}
        )
        if plan["round"] is None:
            return city, None
        round, _ = Round.objects.get_or_create(name=plan["round"])
        if round.closed:
            raise ExchangeError([f"round: {round.name} is closed; its sheets are read-only until staff reopen it"])
        Sheet.objects.filter(city=city, round=round).delete()
        CityReport.objects.filter(city=city, round=round).delete()
        if plan["report"] is not None:
            _write_report(city, round, plan["report"], user)
        for sheet_plan in plan["sheets"]:
            _write_sheet(city, round, sheet_plan, user)
        if plan["self_assessments"] is not None:
            write_self_assessments(city, round, plan["self_assessments"], user)
    return city, round


def _write_report(city, round, planned, user):
    report = CityReport.objects.create(
        city=city, round=round, national_context=planned["national_context"],
        city_observations=planned["city_observations"], updated_by=user,
    )
    for entry in planned["conclusions"]:
        conclusion = Conclusion.objects.create(
            report=report, kind=entry["kind"], position=entry["position"], text=entry["text"]
        )
        conclusion.topics.set(entry["topics"])


def _write_sheet(city, round, planned, user):
    checklist = planned["checklist"]
    sheet = Sheet.objects.create(city=city, round=round, checklist=checklist, updated_by=user)
    respondents = []
    for position, column in enumerate(planned["respondents"], start=1):
        organisation, _ = Organisation.objects.get_or_create(
            city=city, name=column["name"], defaults={"stakeholder_type": checklist.stakeholder_type}
        )
        respondents.append(
            Respondent.objects.create(sheet=sheet, organisation=organisation, position=position, note=column["note"])
        )
    answers = [
        Answer(respondent=respondents[a["column"]], statement=a["statement"], value=a["value"], note=a["note"])
        for a in planned["answers"]
    ]
    why = reason(Reason.EXCHANGE)
    for answer in answers:
        answer.stage_change(user, why)
    save_recorded(Answer, answers, user, why, fields=["value", "note"])
    return sheet

"""The JSON exchange format ("mega-benchmark/1"): a city's whole benchmarking in one document.

`export_city` builds the document; `import_city` checks a whole document first, collecting
every error with its place (e.g. ``sheets[1].levels[0].items[3].answers[1].value``), and only
then writes, in one transaction, updating the city's round in place. See docs/exchange.md.
"""

import json
import re
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from jsonschema import Draft202012Validator

from assessments.changes import Reason, baseline, reason, save_recorded
from assessments.models import Answer, Checklist, CityReport, Conclusion, Respondent, Round, Sheet, Topic
from assessments.sheet_table import build_sheet_table
from guidance.exchange import export_self_assessments, validate_self_assessments, write_self_assessments
from stakeholders.models import City, Organisation, StakeholderType

FORMAT = "mega-benchmark/1"


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
        .distinct()
        .order_by("-name")
        .first()
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
            {"text": c.text, "topics": sorted(t.slug for t in c.topics.all())} for c in conclusions if c.kind == kind
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
#
# Two passes. The published JSON Schema (docs/exchange.schema.json) checks the document's shape:
# fields, types, lengths, vocabularies, control characters. Only a document of the right shape
# is then checked against the database (stakeholder types, checklist versions, statement texts,
# topics, guidance modules). Each pass reports every error it finds, each with its place.

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "docs" / "exchange.schema.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA)
CONTROL = re.compile(SCHEMA["$defs"]["clean"]["pattern"].replace("^[^", "[").replace("]*$", "]"))
TYPE_NAMES = {
    "object": "an object",
    "array": "a list",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true/false",
    "null": "null",
}


class Checker:
    """The errors of the second pass, each with its place."""

    def __init__(self):
        self.errors = []

    def error(self, place, message):
        self.errors.append(f"{place}: {message}")


def _kind(value):
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )


def _place(path):
    place = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".")
    return place or "document"


def _short(value):
    return repr(value[:60] + "…" if isinstance(value, str) and len(value) > 60 else value)


def schema_errors(document):
    """Every place where `document` breaks the schema, as "place: message" lines, in document order."""
    errors = []
    for error in sorted(VALIDATOR.iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path]):
        place, value, rule = _place(error.absolute_path), error.instance, error.validator
        if rule == "required":
            missing = [key for key in error.validator_value if key not in value]
            errors += [f"{place}: is missing {key!r}" for key in missing[:1] or ["?"]]
        elif rule == "additionalProperties":
            known = error.schema.get("properties", {})
            errors += [
                f"{_place([*error.absolute_path, key])}: is not a known field" for key in value if key not in known
            ]
        elif rule == "maxLength":
            errors.append(f"{place}: is {len(value)} characters long; at most {error.validator_value} are allowed")
        elif error.schema is SCHEMA["$defs"]["clean"]:
            bad = CONTROL.search(value)
            errors.append(
                f"{place}: contains the control character U+{ord(bad.group()):04X} at character "
                f"{bad.start() + 1}; remove it"
            )
        elif "x-message" in error.schema:
            shown = "" if error.schema["x-message"] == "must not be empty" else f", not {_short(value)}"
            errors.append(f"{place}: {error.schema['x-message']}{shown}")
        elif rule == "type":
            expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
            errors.append(f"{place}: must be {' or '.join(TYPE_NAMES[t] for t in expected)}, not {_kind(value)}")
        else:
            errors.append(f"{place}: {error.message[:200]}")
    return list(dict.fromkeys(errors))  # a repeated extra field is reported once


def validate(document):
    """Check a parsed document, its shape and then against the database; return a plan to write,
    or raise ExchangeError with every error found."""
    errors = schema_errors(document)
    if errors:
        raise ExchangeError(errors)
    check = Checker()
    plan = {
        "city": document["city"],
        "round": document["round"],
        "report": None,
        "sheets": [],
        "self_assessments": None,
    }
    if document["round"] is None and (document["sheets"] or document.get("report") or document.get("self_assessments")):
        check.error("round", "must name the round of the report, sheets and self-assessments of the file")
    topics = {t.slug: t for t in Topic.objects.all()}
    if document.get("report") is not None:
        plan["report"] = _validate_report(check, document["report"], topics)
    checklists = {
        (c.stakeholder_type.slug, c.version): c
        for c in Checklist.objects.select_related("stakeholder_type").prefetch_related("levels__statements")
    }
    known_types = set(StakeholderType.objects.values_list("slug", flat=True))
    seen_types = set()
    for i, sheet in enumerate(document["sheets"]):
        place = f"sheets[{i}]"
        planned = _validate_sheet(check, sheet, place, checklists, known_types)
        if planned is None:
            continue
        stype = planned["checklist"].stakeholder_type.slug
        if stype in seen_types:
            check.error(f"{place}.stakeholder_type", f"{stype!r} appears in more than one sheet")
        seen_types.add(stype)
        plan["sheets"].append(planned)
    if "self_assessments" in document:  # optional: files without it leave the self-assessments alone
        plan["self_assessments"] = validate_self_assessments(check, document["self_assessments"])
    if check.errors:
        raise ExchangeError(check.errors)
    return plan


def _validate_report(check, report, topics):
    planned = {
        "national_context": report["national_context"],
        "city_observations": report["city_observations"],
        "conclusions": [],
    }
    for key, kind in (("may_share", Conclusion.Kind.SHARE), ("may_look_at", Conclusion.Kind.LOOK_AT)):
        for j, entry in enumerate(report[key]):
            place = f"report.{key}[{j}]"
            unknown = [(k, slug) for k, slug in enumerate(entry["topics"]) if slug not in topics]
            for k, slug in unknown:
                check.error(f"{place}.topics[{k}]", f"unknown topic {slug!r}")
            chosen = [topics[slug] for slug in entry["topics"] if slug in topics]
            planned["conclusions"].append({"kind": kind, "position": j + 1, "text": entry["text"], "topics": chosen})
    return planned


def _validate_sheet(check, sheet, place, checklists, known_types):
    stype, version = sheet["stakeholder_type"], sheet["checklist_version"]
    if stype not in known_types:
        check.error(f"{place}.stakeholder_type", f"unknown stakeholder type {stype!r}")
        return None
    checklist = checklists.get((stype, version))
    if checklist is None:
        check.error(f"{place}.checklist_version", f"the {stype} checklist has no version {version!r}")
        return None

    respondents, names = [], set()
    for j, respondent in enumerate(sheet["respondents"]):
        name = respondent["name"]
        if name in names:
            check.error(f"{place}.respondents[{j}].name", f"{name!r} is already a column of this sheet")
        names.add(name)
        respondents.append({"name": name, "note": respondent["note"] or ""})

    levels = {level.number: level for level in checklist.levels.all()}
    answers, seen_levels = [], set()
    for j, level in enumerate(sheet["levels"]):
        lplace, number = f"{place}.levels[{j}]", level["number"]
        if number not in levels:
            check.error(f"{lplace}.number", f"the checklist has no level {number!r}")
            continue
        if number in seen_levels:
            check.error(f"{lplace}.number", f"level {number} appears twice")
        seen_levels.add(number)
        statements = {normalise(s.text): s for s in levels[number].statements.all()}
        seen_statements = set()
        for k, item in enumerate(level["items"]):
            iplace = f"{lplace}.items[{k}]"
            statement = statements.get(normalise(item["text"]))
            if statement is None:
                check.error(f"{iplace}.text", f"no statement of level {number} reads {_short(item['text'])}")
                continue
            if statement.id in seen_statements:
                check.error(f"{iplace}.text", "this statement appears twice in its level")
            seen_statements.add(statement.id)
            if len(item["answers"]) != len(respondents):
                check.error(
                    f"{iplace}.answers",
                    f"has {len(item['answers'])} answers but the sheet has {len(respondents)} respondents",
                )
                continue
            for m, cell in enumerate(item["answers"]):
                if cell["value"] or cell["note"]:
                    answers.append(
                        {"statement": statement, "column": m, "value": cell["value"] or "", "note": cell["note"] or ""}
                    )
    return {"checklist": checklist, "respondents": respondents, "answers": answers}


# --- import: writing ----------------------------------------------------------------------

IMPORT_ACTOR = "import_city"


def import_actor():
    """The user the history names for changes made by an import: an account nobody can sign in to."""
    user, created = get_user_model().objects.get_or_create(
        username=IMPORT_ACTOR, defaults={"is_active": False, "first_name": "Import", "last_name": "(import_city)"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def existing_round(document):
    """True when the document's city already has a report, sheets or self-assessments in its round."""
    city = City.objects.filter(slug=document["city"]["slug"]).first()
    if city is None or document.get("round") is None:
        return False
    return (
        Sheet.objects.filter(city=city, round__name=document["round"]).exists()
        or CityReport.objects.filter(city=city, round__name=document["round"]).exists()
        or city.self_assessments.filter(round__name=document["round"]).exists()
    )


def import_city(document, user=None):
    """Validate `document`, then make the city's round say what it says, in place: the sheets,
    columns and answers that stay keep their ids, and every changed answer gets a new version and
    a history record by `user`. Returns (city, round)."""
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
        wanted = {p["checklist"].pk: p for p in plan["sheets"]}
        for sheet in Sheet.objects.filter(city=city, round=round):
            if sheet.checklist_id not in wanted:
                sheet._history_user = user
                sheet.delete()
            else:
                _update_sheet(sheet, wanted.pop(sheet.checklist_id), user)
        for sheet_plan in wanted.values():
            _write_sheet(city, round, sheet_plan, user)
        _write_report(city, round, plan["report"], user)
        if plan["self_assessments"] is not None:
            write_self_assessments(city, round, plan["self_assessments"], user)
    return city, round


def _update_sheet(sheet, planned, user):
    """Bring an existing sheet to the planned columns and answers, recording each change."""
    columns = {r.organisation.name: r for r in sheet.respondents.select_related("organisation")}
    names = [column["name"] for column in planned["respondents"]]
    changed = False
    for name, respondent in columns.items():
        if name not in names:
            respondent._history_user = user
            respondent.delete()
            changed = True
    respondents = []
    for position, column in enumerate(planned["respondents"], start=1):
        respondent = columns.get(column["name"])
        if respondent is None:
            respondent = _new_respondent(sheet, column, position, user)
            changed = True
        elif (respondent.position, respondent.note) != (position, column["note"]):
            respondent.position, respondent.note = position, column["note"]
            respondent._history_user = user
            respondent.save(update_fields=["position", "note"])
            changed = True
        respondents.append(respondent)
    current = {(a.statement_id, a.respondent_id): a for a in Answer.objects.filter(respondent__sheet=sheet)}
    target = {(a["statement"].pk, respondents[a["column"]].pk): (a["value"], a["note"]) for a in planned["answers"]}
    target.update({key: ("", "") for key in current.keys() - target.keys()})  # left out: not answered
    changes = []
    for (statement_id, respondent_id), (value, note) in target.items():
        answer = current.get((statement_id, respondent_id))
        if (answer.value, answer.note) != (value, note) if answer else (value or note):
            changes.append((answer or Answer(statement_id=statement_id, respondent_id=respondent_id), value, note))
    baseline(Answer, [answer for answer, _, _ in changes])  # their state before, for history and restore
    why = reason(Reason.EXCHANGE)
    for answer, value, note in changes:
        answer.value, answer.note = value, note
        answer.stage_change(user, why)
    save_recorded(Answer, [answer for answer, _, _ in changes], user, why, fields=["value", "note"])
    if changed or changes:
        sheet.touch(user, why=why)


def _new_respondent(sheet, column, position, user):
    organisation, _ = Organisation.objects.get_or_create(
        city=sheet.city, name=column["name"], defaults={"stakeholder_type": sheet.checklist.stakeholder_type}
    )
    respondent = Respondent(sheet=sheet, organisation=organisation, position=position, note=column["note"])
    respondent._history_user = user
    respondent.save()
    return respondent


def _write_report(city, round, planned, user):
    """Make the round's report say what is planned (None: no report), in place: its id is kept,
    its version increased; its conclusions are written afresh."""
    report = CityReport.objects.filter(city=city, round=round).first()
    if planned is None:
        if report is not None:
            report._history_user = user
            report.delete()
        return
    if report is None:
        report = CityReport(city=city, round=round, version=0)
    report.national_context, report.city_observations = planned["national_context"], planned["city_observations"]
    report.record_change(user, reason(Reason.EXCHANGE))
    report.conclusions.all().delete()
    for entry in planned["conclusions"]:
        conclusion = Conclusion(report=report, kind=entry["kind"], position=entry["position"], text=entry["text"])
        conclusion._history_user = user
        conclusion.save()
        conclusion.topics.set(entry["topics"])


def _write_sheet(city, round, planned, user):
    checklist = planned["checklist"]
    sheet = Sheet.objects.create(city=city, round=round, checklist=checklist, updated_by=user)
    respondents = [
        _new_respondent(sheet, column, position, user)
        for position, column in enumerate(planned["respondents"], start=1)
    ]
    answers = [
        Answer(respondent=respondents[a["column"]], statement=a["statement"], value=a["value"], note=a["note"])
        for a in planned["answers"]
    ]
    why = reason(Reason.EXCHANGE)
    for answer in answers:
        answer.stage_change(user, why)
    save_recorded(Answer, answers, user, why, fields=["value", "note"])
    return sheet

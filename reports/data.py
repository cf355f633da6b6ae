"""The data of a city report and of a sheet report, as plain dicts.

Computed here once, presented by the HTML templates and by WeasyPrint alike, so the page and the
PDF show the same thing. The layout of a sheet and its footnote numbers come from
`sheet_table.build_sheet_table`; nothing here numbers footnotes again.
"""

import re
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Max, Sum
from django.utils.translation import get_language, gettext

from assessments.models import Answer, CityReport, Conclusion, Sheet
from assessments.sheet_table import build_sheet_table
from guidance import links
from matching import comparison
from matching import matches as topic_matches
from mega.versioned import versioned
from reports import charts, stamps
from reports import summary as report_summary
from stakeholders.models import StakeholderType
from translations.lookup import needs_translations, translated, with_translations

SUMMARY_KEYS = ("yes", "no", "nd", "open")
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


def original_lang():
    """The `lang` of text kept as written (report texts, notes, untranslated checklist texts) when
    the reader's language is another, so that screen readers and the tagged PDF read it right; ""
    when the reader reads the original language."""
    return "" if not needs_translations() else settings.LANGUAGE_CODE


def lang_of(obj, field):
    """`original_lang()` when `obj.<field>` has no translation in the reader's language, else ""."""
    if not needs_translations() or translated(obj, field) != getattr(obj, field):
        return ""
    return settings.LANGUAGE_CODE


def paragraphs(text):
    """Split a report text into paragraphs on blank lines; single line breaks stay inside one."""
    return [part.strip() for part in _BLANK_LINE.split((text or "").replace("\r\n", "\n")) if part.strip()]


_NOTES_HEADING = re.compile(r"notes?\s*:?", re.IGNORECASE)
_NOTE = re.compile(r"\[(\d+)\]\s*(.+)", re.DOTALL)
_CALL = re.compile(r"\[(\d+)\]")


def footnoted(text, prefix):
    """A report text's paragraphs with the notes typed in it ("[1]" in the text, and "[1] …"
    paragraphs after a closing "Notes:") as superscript calls linked to a list of notes.

    Returns (paragraphs, notes): a paragraph is a list of parts, {"text": …} or a call {"number",
    "id", "note_id"}; a note is {"number", "text", "id", "call_id"}. A "[n]" without a note stays
    as it was typed; the notes keep their typed numbers.
    """
    body, texts, in_notes = [], {}, False
    for paragraph in paragraphs(text):
        if _NOTES_HEADING.fullmatch(paragraph):
            in_notes = True
            continue
        note = _NOTE.fullmatch(paragraph) if in_notes else None
        if note:
            texts.setdefault(int(note[1]), note[2].strip())
        else:
            body.append(paragraph)
    called = set()

    def parts(paragraph):
        result, start = [], 0
        for call in _CALL.finditer(paragraph):
            number = int(call[1])
            if number not in texts:
                continue
            result.append({"text": paragraph[start : call.start()]})
            result.append(
                {
                    "number": number,
                    "id": f"{prefix}-call-{number}" if number not in called else "",
                    "note_id": f"{prefix}-note-{number}",
                }
            )
            called.add(number)
            start = call.end()
        return result + [{"text": paragraph[start:]}]

    laid_out = [parts(paragraph) for paragraph in body]
    notes = [
        {
            "number": number,
            "text": note,
            "id": f"{prefix}-note-{number}",
            "call_id": f"{prefix}-call-{number}" if number in called else "",
        }
        for number, note in sorted(texts.items())
    ]
    return laid_out, notes


def sheet_anchor(sheet):
    return f"sheet-{sheet.checklist.stakeholder_type.slug.replace('_', '-')}"


def statement_anchor(sheet, statement):
    """The id of a statement's row in the report, so that a reference to it is a link."""
    return f"{sheet_anchor(sheet)}-{statement.level.number}-{statement.position}"


def sheet_data(sheet, table=None):
    """One assessment sheet as printed: title, outcome, levels with rows and marks, footnotes, chart."""
    table = table or build_sheet_table(sheet)
    city = sheet.city.name
    columns = [{"name": c.respondent.name, "footnote": c.footnote} for c in table.columns]
    levels = []
    for block in table.levels:
        level = block.level
        summary = [
            dict(counts, respondent=column["name"], total=sum(counts.values()))
            for column, counts in zip(columns, block.summary())
        ]
        levels.append(
            {
                "number": level.number,
                "name": translated(level, "name"),
                "heading": f"{level.number}. {translated(level, 'name')}",
                "description": translated(level, "description"),
                "description_lang": lang_of(level, "description"),
                "checklist_heading": level.checklist_heading(city),
                "rows": [
                    {
                        "position": row.statement.position,
                        "number": f"{level.number}.{row.statement.position}",
                        "anchor": f"{sheet_anchor(sheet)}-{level.number}-{row.statement.position}",
                        "lang": lang_of(row.statement, "text"),
                        "text": translated(row.statement, "text"),
                        "consolidated": row.consolidated,
                        "disagreement": row.disagreement,
                        "cells": [
                            {
                                "value": cell.value,
                                "mark": cell.mark,
                                "label": str(Answer.Value(cell.value).phrase),
                                "footnote": cell.footnote,
                                "respondent": cell.respondent.name,
                            }
                            for cell in row.cells
                        ],
                    }
                    for row in block.rows
                ],
                "summary": summary,
            }
        )
    answered, total = table.progress()
    data = {
        "id": sheet.pk,
        "anchor": sheet_anchor(sheet),
        "title": sheet.title,
        "city": city,
        "is_sample": sheet.city.is_sample,
        "round": sheet.round.name,
        "stakeholder_type": sheet.checklist.stakeholder_type.display_name,
        "checklist_version": sheet.checklist.version,
        "status": sheet.status,
        "status_label": sheet.get_status_display(),
        "outcome": translated(sheet.checklist, "outcome"),
        "outcome_lang": lang_of(sheet.checklist, "outcome"),
        "notes_lang": original_lang(),
        "columns": columns,
        "levels": levels,
        "footnotes": [{"number": f.number, "text": f.text} for f in table.footnotes],
        "answered": answered,
        "total": total,
    }
    data["chart"] = charts.sheet_chart(data)
    return data


def conclusion_matches(conclusions):
    """Other cities matching each conclusion on its topics, by conclusion id, from
    `matching.matches.conclusion_matches` (only cities whose reports are published are named). Each match
    is a dict with at least "city" (the other city's name) and "text" (its conclusion), optionally "url".
    """
    return topic_matches.conclusion_matches(conclusions)


def _conclusions(report):
    if report is None:
        return [], []
    conclusions = list(
        report.conclusions.prefetch_related("topics", *with_translations("topics")).order_by("position", "id")
    )
    matches = conclusion_matches(conclusions)
    entries = {Conclusion.Kind.SHARE: [], Conclusion.Kind.LOOK_AT: []}
    for conclusion in conclusions:
        entries[conclusion.kind].append(
            {
                "text": conclusion.text,
                "topics": sorted(translated(topic, "name") for topic in conclusion.topics.all()),
                "matches": matches.get(conclusion.pk, []),
            }
        )
    return entries[Conclusion.Kind.SHARE], entries[Conclusion.Kind.LOOK_AT]


def appendix(city, round):
    """The appendix "Guidance for the gaps": each guidance statement linked to a statement answered
    no, once, with its recommended actions and, sheet by sheet, the statements that led to it."""
    entries = []
    for entry in links.gaps_by_guidance(links.gaps(city, round)):
        guidance = entry.guidance
        entries.append(
            {
                "number": guidance.number,
                "text": translated(guidance, "text"),
                "lang": lang_of(guidance, "text"),
                "url": guidance.get_absolute_url(),
                "actions_intro": translated(guidance, "actions_intro"),
                "actions": [{"text": translated(a, "text"), "lang": lang_of(a, "text")} for a in entry.actions],
                "sheets": [
                    {
                        "stakeholder_type": sheet.checklist.stakeholder_type.display_name,
                        "statements": [
                            {"number": s.number, "level": s.level.number, "anchor": statement_anchor(sheet, s)}
                            for s in statements
                        ],
                    }
                    for sheet, statements in entry.sheets
                ],
                "statement_count": entry.statement_count,
            }
        )
    return entries


def cohort_published(city, round):
    """Whether enough other cities of the round have published their reports for the comparison
    with the cohort to be a section of this city's report."""
    others = CityReport.objects.filter(round=round, published=True).exclude(city=city)
    return others.count() >= comparison.MIN_COHORT


def cohort_comparison(city, round, published=None):
    """The comparison with all other cities of the round, without any city's details: the chart
    of the comparison page, for the report's section; None until the cohort has published."""
    if not (cohort_published(city, round) if published is None else published):
        return None
    return comparison.comparison(city, round, AnonymousUser(), "round")


def _as_of(report, sheets, round):
    """The date of the latest change to what the report shows (not the date it is printed on,
    so that the same content always gives the same document); for data that carries no change
    date (loaded from fixtures), the round's date."""
    dates = [report.updated_at] if report and report.updated_at else []
    dates += [sheet.updated_at for sheet in sheets if sheet.updated_at]
    if sheets:
        latest_answer = Answer.objects.filter(respondent__sheet__in=sheets).aggregate(latest=Max("updated_at"))
        if latest_answer["latest"]:
            dates.append(latest_answer["latest"])
    return max(dates) if dates else (round.publishes_on or round.due_on or round.starts_on)


def sheet_as_of(sheet):
    """The date of the latest change to what the sheet's report shows (see `_as_of`)."""
    return _as_of(None, [sheet], sheet.round)


def _status(stakeholder_type, item):
    """A line of the cover's table: how far the sheet of one stakeholder type is."""
    if item is None:
        return {
            "stakeholder_type": stakeholder_type.display_name,
            "status": "",
            "status_label": gettext("No sheet"),
            "respondents": [],
            "answered": 0,
            "total": 0,
            "anchor": "",
        }
    return {
        "stakeholder_type": stakeholder_type.display_name,
        "status": item["status"],
        "status_label": item["status_label"],
        "respondents": [c["name"] for c in item["columns"]],
        "answered": item["answered"],
        "total": item["total"],
        "anchor": item["anchor"],
    }


def complete(sheet_statuses):
    """Whether a city report of sheets with these statuses is complete: it has sheets and every
    one is validated (locked). Until then its PDF prints a draft mark, dated by its data."""
    statuses = list(sheet_statuses)
    return bool(statuses) and all(status == Sheet.Status.VALIDATED for status in statuses)


def report_is_draft(city, round):
    """Whether the report of (city, round) is still a draft: a sheet not validated yet."""
    return not complete(Sheet.objects.filter(city=city, round=round).values_list("status", flat=True))


class ReportVersions(NamedTuple):
    """What `report_versions` reads: a cache key part as a whole, its fields for one sheet's."""

    city: int
    round: int
    language: str
    report: tuple | None  # id, version, change date, published
    sheets: list  # (id, version, change date, status) per sheet, by id
    answers: list  # the answers' count, latest change and version sum
    stamps: list  # the content stamp, then each sheet's stamp, then the reports' stamp
    publisher: tuple  # name and logo
    code: str


def report_versions(city, round, report):
    """The versions of what the report of (city, round) shows, besides the comparison with the
    cohort: the report's version, change date and published flag; each sheet's version, change
    date and status; the count, latest change and version sum of its answers; the stamps that
    every save or delete by any path renews (the checklist content and guidance, each sheet's
    answers and columns, every city's report texts and conclusions, which the partner matches
    read); the language and the code. Three small queries and a cache read; None when the stamps
    cannot be read. Code that writes with `QuerySet.update()` sends no signal and must touch what
    it changes (`Sheet.touch`)."""
    sheets = list(
        Sheet.objects.filter(city=city, round=round).order_by("pk").values_list("pk", "version", "updated_at", "status")
    )
    answers = Answer.objects.filter(respondent__sheet__city=city, respondent__sheet__round=round).aggregate(
        count=Count("pk"), latest=Max("updated_at"), versions=Sum("version")
    )
    current = stamps.content_stamps([pk for pk, *_ in sheets], extra=[stamps.REPORTS_STAMP])
    if current is None:
        return None
    own = (report.pk, report.version, report.updated_at, report.published) if report else None
    return ReportVersions(
        city.pk,
        round.pk,
        get_language(),
        own,
        sheets,
        sorted(answers.items()),
        current,
        (settings.REPORT_PUBLISHER, settings.REPORT_PUBLISHER_LOGO),
        stamps.code_digest(),
    )


def kept_sheet_data(sheet, versions):
    """`sheet_data(sheet)`, kept in the cache (`versioned`) under the versions of that sheet and
    of the checklist content among the report's `versions`: an autosave changes one sheet of a
    city's four, and the others are not laid out again for the report."""
    ids = [pk for pk, *_ in versions.sheets] if versions else []
    if sheet.pk not in ids:  # no stamps, or a sheet added since the versions were read
        return sheet_data(sheet)
    index = ids.index(sheet.pk)
    content, sheet_stamp = versions.stamps[0], versions.stamps[1 + index]
    key = ("report-sheet", versions.language, versions.code, versions.sheets[index], content, sheet_stamp)
    return versioned(key, "", lambda: sheet_data(sheet))


def report_data(city, round, report):
    """The whole city report of (city, round); `report` may be None (sheets but no texts yet).

    Kept in the cache (`versioned`) under the versions of what it shows (`report_versions`), so
    that anyone reading it after a save of the city's sheets or report, or of any city's
    conclusions, reads it afresh. Its comparison with the cohort reads every city's answers of
    the round: like the comparison page's, it may be `COHORT_FIGURES_MAX_AGE` seconds old."""
    versions = report_versions(city, round, report)
    published = cohort_published(city, round)
    return versioned(
        ("city-report", versions),
        None if versions is None else (round.sheets_stamp() if published else ""),
        lambda: _report_data(city, round, report, published, versions),
        max_age=settings.COHORT_FIGURES_MAX_AGE,
    )


def _report_data(city, round, report, published, versions):
    sheets = list(
        Sheet.objects.filter(city=city, round=round)
        .select_related("city", "round", "checklist__stakeholder_type")
        .prefetch_related(*with_translations("checklist"))
        .order_by("checklist__stakeholder_type__position", "checklist__version")
    )
    sheet_items = [kept_sheet_data(sheet, versions) for sheet in sheets]
    statuses = []
    for stype in StakeholderType.objects.order_by("position", "name"):
        items = [item for sheet, item in zip(sheets, sheet_items) if sheet.checklist.stakeholder_type_id == stype.pk]
        statuses += [_status(stype, item) for item in items] or [_status(stype, None)]
    may_share, may_look_at = _conclusions(report)
    guidance = appendix(city, round)
    national_context, national_notes = footnoted(report.national_context if report else "", "national-context")
    city_observations, city_notes = footnoted(report.city_observations if report else "", "city-level")
    return {
        "title": gettext("MEGA benchmarking report – %(city)s, %(round)s") % {"city": city.name, "round": round.name},
        "city": {"slug": city.slug, "name": city.name, "country": city.country, "is_sample": city.is_sample},
        "round": round.name,
        "as_of": _as_of(report, sheets, round),
        "publisher": {"name": settings.REPORT_PUBLISHER, "logo": settings.REPORT_PUBLISHER_LOGO},
        "has_report": report is not None,
        "published": bool(report and report.published),
        "complete": complete(item["status"] for item in sheet_items),
        "statuses": statuses,
        "national_context": national_context,
        "national_context_notes": national_notes,
        "city_observations": city_observations,
        "city_notes": city_notes,
        "original_lang": original_lang(),
        "may_share": may_share,
        "may_look_at": may_look_at,
        "conclusion_lists": [
            (gettext("%(city)s may share its experiences with regard to:") % {"city": city.name}, may_share),
            (gettext("%(city)s may look at:") % {"city": city.name}, may_look_at),
        ],
        "sheets": sheet_items,
        "appendix": guidance,
        "comparison": cohort_comparison(city, round, published),
        "summary": report_summary.summary(sheet_items, guidance),
    }

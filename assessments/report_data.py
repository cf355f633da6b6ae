"""The data of a city report and of a sheet report, as plain dicts.

Computed here once, presented by the HTML templates and by WeasyPrint alike, so the page and the
PDF show the same thing. The layout of a sheet and its footnote numbers come from
`sheet_table.build_sheet_table`; nothing here numbers footnotes again.
"""
import re

from django.db.models import Max
from django.utils.translation import gettext, pgettext_lazy

from assessments import charts, matching
from assessments.models import Answer, Conclusion, Sheet
from assessments.sheet_table import build_sheet_table
from stakeholders.models import StakeholderType
from translations.lookup import translated, with_translations

VALUE_LABELS = {
    "yes": pgettext_lazy("answer", "yes"), "no": pgettext_lazy("answer", "no"),
    "nd": pgettext_lazy("answer", "no data"), "": pgettext_lazy("answer", "not answered"),
}
SUMMARY_KEYS = ("yes", "no", "nd", "open")
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


def paragraphs(text):
    """Split a report text into paragraphs on blank lines; single line breaks stay inside one."""
    return [part.strip() for part in _BLANK_LINE.split((text or "").replace("\r\n", "\n")) if part.strip()]


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
        levels.append({
            "number": level.number,
            "name": translated(level, "name"),
            "heading": f"{level.number}. {translated(level, 'name')}",
            "description": translated(level, "description"),
            "checklist_heading": level.checklist_heading(city),
            "rows": [
                {
                    "position": row.statement.position,
                    "text": translated(row.statement, "text"),
                    "consolidated": row.consolidated, "disagreement": row.disagreement,  # issue 5
                    "cells": [
                        {"value": cell.value, "mark": cell.mark, "label": str(VALUE_LABELS[cell.value]),
                         "footnote": cell.footnote, "respondent": cell.respondent.name}
                        for cell in row.cells
                    ],
                }
                for row in block.rows
            ],
            "summary": summary,
        })
    answered, total = table.progress()
    data = {
        "id": sheet.pk,
        "anchor": f"sheet-{sheet.checklist.stakeholder_type.slug.replace('_', '-')}",
        "title": sheet.title,
        "city": city,
        "round": sheet.round.name,
        "stakeholder_type": sheet.checklist.stakeholder_type.display_name,
        "checklist_version": sheet.checklist.version,
        "status": sheet.status,
        "status_label": sheet.get_status_display(),
        "outcome": translated(sheet.checklist, "outcome"),
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
    `matching.conclusion_matches` (only cities whose reports are published are named). Each match
    is a dict with at least "city" (the other city's name) and "text" (its conclusion), optionally "url".
    """
    return matching.conclusion_matches(conclusions)


def _conclusions(report):
    if report is None:
        return [], []
    conclusions = list(report.conclusions.prefetch_related("topics", *with_translations("topics")).order_by("position", "id"))
    matches = conclusion_matches(conclusions)
    entries = {Conclusion.Kind.SHARE: [], Conclusion.Kind.LOOK_AT: []}
    for conclusion in conclusions:
        entries[conclusion.kind].append({
            "text": conclusion.text,
            "topics": sorted(translated(topic, "name") for topic in conclusion.topics.all()),
            "matches": matches.get(conclusion.pk, []),
        })
    return entries[Conclusion.Kind.SHARE], entries[Conclusion.Kind.LOOK_AT]


def _as_of(report, sheets):
    """The date of the latest change to what the report shows (not the date it is printed on,
    so that the same content always gives the same document)."""
    dates = [report.updated_at] if report and report.updated_at else []
    dates += [sheet.updated_at for sheet in sheets if sheet.updated_at]
    if sheets:
        latest_answer = Answer.objects.filter(respondent__sheet__in=sheets).aggregate(latest=Max("updated_at"))
        if latest_answer["latest"]:
            dates.append(latest_answer["latest"])
    return max(dates) if dates else None


def _status(stakeholder_type, item):
    """A line of the cover's table: how far the sheet of one stakeholder type is."""
    if item is None:
        return {"stakeholder_type": stakeholder_type.display_name, "status": "", "status_label": gettext("No sheet"),
                "respondents": [], "answered": 0, "total": 0, "anchor": ""}
    return {
        "stakeholder_type": stakeholder_type.display_name, "status": item["status"], "status_label": item["status_label"],
        "respondents": [c["name"] for c in item["columns"]], "answered": item["answered"], "total": item["total"],
        "anchor": item["anchor"],
    }


def report_data(city, round, report):
    """The whole city report of (city, round); `report` may be None (sheets but no texts yet)."""
    sheets = list(
        Sheet.objects.filter(city=city, round=round)
        .select_related("city", "round", "checklist__stakeholder_type")
        .prefetch_related(*with_translations("checklist"))
        .order_by("checklist__stakeholder_type__position", "checklist__version")
    )
    sheet_items = [sheet_data(sheet) for sheet in sheets]
    statuses = []
    for stype in StakeholderType.objects.order_by("position", "name"):
        items = [item for sheet, item in zip(sheets, sheet_items) if sheet.checklist.stakeholder_type_id == stype.pk]
        statuses += [_status(stype, item) for item in items] or [_status(stype, None)]
    may_share, may_look_at = _conclusions(report)
    return {
        "title": gettext("MEGA benchmarking report – %(city)s, %(round)s") % {"city": city.name, "round": round.name},
        "city": {"slug": city.slug, "name": city.name, "country": city.country},
        "round": round.name,
        "as_of": _as_of(report, sheets),
        "has_report": report is not None,
        "published": bool(report and report.published),
        "complete": bool(sheet_items) and all(s["status"] == Sheet.Status.VALIDATED for s in sheet_items),
        "statuses": statuses,
        "national_context": paragraphs(report.national_context if report else ""),
        "city_observations": paragraphs(report.city_observations if report else ""),
        "may_share": may_share,
        "may_look_at": may_look_at,
        "conclusion_lists": [
            (gettext("%(city)s may share its experiences with regard to:") % {"city": city.name}, may_share),
            (gettext("%(city)s may look at:") % {"city": city.name}, may_look_at),
        ],
        "sheets": sheet_items,
    }

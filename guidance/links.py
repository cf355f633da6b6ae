"""Which guidance helps with which MEGA statement, and the guidance for a city's gaps.

A MEGA statement and a guidance statement are linked when they share a topic; an admin adds or
removes single links with `StatementLink` rows. Plain functions, used by the sheet editor's
"What helps" pointers, the report's appendix "Guidance for the gaps" and their tests alike.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from assessments.models import Answer, Sheet, Statement
from guidance.models import GuidanceStatement, StatementLink
from translations.lookup import with_translations

GAP_VALUES = {Answer.Value.NO}
WHAT_HELPS_VALUES = {Answer.Value.NO, Answer.Value.NO_DATA}


def linked_guidance(statement_ids, guidance=None, topics=None):
    """{MEGA statement id: [guidance statements, in module order]} for the given statement ids.

    Four queries whatever the number of statements; two fewer when `guidance` is given (the
    guidance statements with their topics prefetched), one fewer when `topics` is ({statement id:
    topic ids} of all the statements, e.g. from a sheet table that has them). Statements without
    any link are left out.
    """
    statement_ids = set(statement_ids)
    if not statement_ids:
        return {}
    if guidance is None:
        guidance = list(GuidanceStatement.objects.select_related("module").prefetch_related("topics"))
    by_topic = defaultdict(set)
    for g in guidance:
        for topic in g.topics.all():
            by_topic[topic.pk].add(g.pk)

    linked = defaultdict(set)
    if topics is None:
        pairs = Statement.topics.through.objects.filter(statement_id__in=statement_ids)
        pairs = pairs.values_list("statement_id", "topic_id")
    else:
        pairs = [(statement_id, topic_id) for statement_id in statement_ids for topic_id in topics[statement_id]]
    for statement_id, topic_id in pairs:
        linked[statement_id] |= by_topic.get(topic_id, set())
    overrides = StatementLink.objects.filter(statement_id__in=statement_ids)
    for statement_id, guidance_id, kind in overrides.values_list("statement_id", "guidance_id", "kind"):
        if kind == StatementLink.Kind.ADD:
            linked[statement_id].add(guidance_id)
        else:
            linked[statement_id].discard(guidance_id)

    order = {g.pk: g for g in guidance}
    return {statement_id: [g for pk, g in order.items() if pk in ids] for statement_id, ids in linked.items() if ids}


@dataclass
class GapGuidance:
    """One guidance statement that helps with some of a sheet's gaps, with its actions."""

    guidance: GuidanceStatement
    actions: list
    statements: list = field(default_factory=list)  # the MEGA statements answered no that led here


@dataclass
class SheetGaps:
    sheet: Sheet
    statements: list  # the MEGA statements answered no (in any column), in checklist order
    guidance: list  # GapGuidance, in module order; each recommended action appears once

    @property
    def actions(self):
        return [action for entry in self.guidance for action in entry.actions]


def gaps(city, round):
    """Per sheet of the city's round, the recommended actions linked to its statements answered no.

    A statement counts as answered no when any respondent column says no. Each action appears
    once per sheet, under its guidance statement, with the statements that led to it. A fixed
    number of queries, whatever the number of sheets.
    """
    sheets = list(
        Sheet.objects.filter(city=city, round=round)
        .select_related("city", "round", "checklist__stakeholder_type")
        .order_by("checklist__stakeholder_type__position", "checklist__version")
    )
    no_pairs = (
        Answer.objects.filter(respondent__sheet__in=sheets, value__in=GAP_VALUES)
        .values_list("respondent__sheet_id", "statement_id")
        .distinct()
    )
    gaps_by_sheet = defaultdict(set)
    for sheet_id, statement_id in no_pairs:
        gaps_by_sheet[sheet_id].add(statement_id)
    all_ids = set().union(*gaps_by_sheet.values()) if gaps_by_sheet else set()
    statements = {s.pk: s for s in Statement.objects.filter(pk__in=all_ids).select_related("level")}
    guidance = list(
        GuidanceStatement.objects.select_related("module").prefetch_related(
            "topics", "actions", *with_translations("", "actions")
        )
    )
    links = linked_guidance(all_ids, guidance=guidance)

    result = []
    for sheet in sheets:
        gap_statements = sorted(
            (statements[pk] for pk in gaps_by_sheet.get(sheet.pk, ())),
            key=lambda s: (s.level.number, s.position),
        )
        entries = {}
        for statement in gap_statements:
            for g in links.get(statement.pk, []):
                entry = entries.setdefault(g.pk, GapGuidance(guidance=g, actions=list(g.actions.all())))
                entry.statements.append(statement)
        ordered = [entries[g.pk] for g in guidance if g.pk in entries]
        result.append(SheetGaps(sheet=sheet, statements=gap_statements, guidance=ordered))
    return result


@dataclass
class GuidanceForGaps:
    """One guidance statement that helps with gaps of any sheet, with the statements, sheet by
    sheet, that led to it."""

    guidance: GuidanceStatement
    actions: list
    sheets: list = field(default_factory=list)  # (Sheet, [MEGA statements answered no]), in sheet order

    @property
    def statement_count(self):
        return sum(len(statements) for _, statements in self.sheets)


def gaps_by_guidance(sheet_gaps):
    """The guidance of `gaps()` with each guidance statement once, in module order: for a city
    report's appendix, which prints each recommended action once for the whole city."""
    entries = {}
    for item in sheet_gaps:
        for entry in item.guidance:
            merged = entries.setdefault(entry.guidance.pk, GuidanceForGaps(entry.guidance, entry.actions))
            merged.sheets.append((item.sheet, entry.statements))
    return sorted(entries.values(), key=lambda e: (e.guidance.module.number, e.guidance.position))

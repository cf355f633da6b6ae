"""How far sheets are filled in: answered / total cells, overall and per level.

`SheetTable.progress()` answers this for one sheet it has laid out; this module answers it
for many sheets at once (the home page) in three queries, whatever their number and size.
A cell is a statement × respondent; it is answered when it has a value ("no data" counts).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from assessments.models import Answer, Level, Respondent


@dataclass
class LevelProgress:
    number: int
    name: str
    answered: int
    total: int


@dataclass
class Progress:
    answered: int = 0
    total: int = 0
    levels: list[LevelProgress] = field(default_factory=list)

    @property
    def complete(self):
        return self.total > 0 and self.answered == self.total

    @property
    def open(self):
        return self.total - self.answered

    @property
    def percent(self):
        return round(100 * self.answered / self.total) if self.total else 0


def progress_for_sheets(sheets):
    """{sheet id: Progress} for `sheets` (objects with pk and checklist_id)."""
    sheets = list(sheets)
    if not sheets:
        return {}
    levels = defaultdict(list)
    for level in (
        Level.objects.filter(checklist_id__in={s.checklist_id for s in sheets})
        .annotate(statement_count=Count("statements"))
        .order_by("number")
    ):
        levels[level.checklist_id].append(level)
    columns = dict(
        Respondent.objects.filter(sheet__in=sheets)
        .values("sheet_id")
        .annotate(n=Count("id"))
        .values_list("sheet_id", "n")
    )
    answered = {
        (row["respondent__sheet_id"], row["statement__level_id"]): row["n"]
        for row in Answer.objects.filter(respondent__sheet__in=sheets)
        .exclude(value="")
        .values("respondent__sheet_id", "statement__level_id")
        .annotate(n=Count("id"))
    }
    result = {}
    for sheet in sheets:
        per_level = [
            LevelProgress(
                level.number,
                level.name,
                answered.get((sheet.pk, level.pk), 0),
                level.statement_count * columns.get(sheet.pk, 0),
            )
            for level in levels[sheet.checklist_id]
        ]
        result[sheet.pk] = Progress(sum(lp.answered for lp in per_level), sum(lp.total for lp in per_level), per_level)
    return result


def progress_of_table(table):
    """The same `Progress` for a sheet already laid out by `build_sheet_table`."""
    answered, total = table.progress()
    return Progress(
        answered,
        total,
        [LevelProgress(level.number, level.name, a, t) for level, a, t in table.progress_by_level()],
    )

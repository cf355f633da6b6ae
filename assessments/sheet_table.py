"""An assessment sheet laid out as the seed prints it, with its footnotes numbered.

This is the one place that decides what a sheet looks like as a table: the editor, the
HTML and PDF reports and the exports all read a `SheetTable`. Footnote numbers are derived
here, in reading order, and never stored: header notes first (column by column), then
statement by statement, column by column within a statement.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch

from assessments import consolidation
from assessments.models import Answer, Level, Respondent, Sheet, Statement
from translations.lookup import with_translations

# What a read-only grid shows for a cell without an answer.
OPEN_MARK = "·"


@dataclass
class Footnote:
    number: int
    text: str


@dataclass
class Cell:
    respondent: Respondent
    answer: Answer | None
    statement_id: int
    footnote: int | None = None

    @property
    def key(self):
        """ "<statement id>-<respondent id>": the cell in the editor's input names and the script."""
        return f"{self.statement_id}-{self.respondent.pk}"

    @property
    def value(self):
        return self.answer.value if self.answer else ""

    @property
    def note(self):
        return self.answer.note if self.answer else ""

    @property
    def mark(self):
        return Answer.Value(self.value).mark


@dataclass
class Row:
    statement: Statement
    cells: list[Cell]

    @property
    def consolidated(self):
        """The city's answer from all columns: 'yes', 'partly', 'no', 'nd' or '' (see consolidation)."""
        return consolidation.consolidate(cell.value for cell in self.cells)

    @property
    def disagreement(self):
        """The respondents contradict each other: one says yes, another no."""
        return consolidation.disagreement(cell.value for cell in self.cells)


@dataclass
class Column:
    respondent: Respondent
    footnote: int | None = None


@dataclass
class LevelBlock:
    level: Level
    rows: list[Row]

    def summary(self):
        """Per column, how many statements of this level are yes / no / no data / open."""
        counts = [Counter() for _ in (self.rows[0].cells if self.rows else [])]
        for row in self.rows:
            for counter, cell in zip(counts, row.cells):
                counter[cell.value or "open"] += 1
        return [{"yes": c["yes"], "no": c["no"], "nd": c["nd"], "open": c["open"]} for c in counts]


@dataclass
class SheetTable:
    sheet: Sheet
    columns: list[Column]
    levels: list[LevelBlock]
    footnotes: list[Footnote] = field(default_factory=list)

    @property
    def rows(self):
        return [row for block in self.levels for row in block.rows]

    def progress(self):
        """(answered, total) over every statement × respondent cell."""
        cells = [cell for row in self.rows for cell in row.cells]
        return sum(1 for c in cells if c.value), len(cells)

    def first_open_key(self):
        """The key of the first cell without an answer, in reading order, or None."""
        return next((cell.key for row in self.rows for cell in row.cells if not cell.value), None)

    def progress_by_level(self):
        result = []
        for block in self.levels:
            cells = [cell for row in block.rows for cell in row.cells]
            result.append((block.level, sum(1 for c in cells if c.value), len(cells)))
        return result


def number_footnotes(columns, rows):
    """Give every header note and every annotation its number, in reading order."""
    footnotes = []
    for column in columns:
        if column.respondent.note.strip():
            footnotes.append(Footnote(len(footnotes) + 1, column.respondent.note.strip()))
            column.footnote = footnotes[-1].number
    for row in rows:
        for cell in row.cells:
            if cell.note.strip():
                footnotes.append(Footnote(len(footnotes) + 1, cell.note.strip()))
                cell.footnote = footnotes[-1].number
    return footnotes


def build_sheet_table(sheet, *, texts=True):
    """Lay out `sheet` in a fixed number of queries, whatever its size.

    `texts=False` leaves out what only a page prints (statement topics and translations, the
    respondents' organisations): the layout, answers and footnote numbers alone, in three
    queries, as the editor script's autosave reply needs them.
    """
    if texts:
        levels = [
            (level, list(level.statements.all()))
            for level in Level.objects.filter(checklist_id=sheet.checklist_id)
            .order_by("number")
            .prefetch_related(
                *with_translations(""),
                Prefetch(
                    "statements",
                    queryset=Statement.objects.order_by("position").prefetch_related("topics", *with_translations("")),
                ),
            )
        ]
        respondents = list(sheet.respondents.select_related("organisation").order_by("position", "id"))
    else:
        levels = {}
        for statement in (
            Statement.objects.filter(level__checklist_id=sheet.checklist_id)
            .select_related("level")
            .order_by("level__number", "position")
        ):
            levels.setdefault(statement.level_id, (statement.level, []))[1].append(statement)
        levels = list(levels.values())
        respondents = list(sheet.respondents.order_by("position", "id"))
    answers = {(a.statement_id, a.respondent_id): a for a in Answer.objects.filter(respondent__sheet=sheet)}
    columns = [Column(r) for r in respondents]
    blocks = [
        LevelBlock(
            level,
            [
                Row(statement, [Cell(r, answers.get((statement.id, r.id)), statement.id) for r in respondents])
                for statement in statements
            ],
        )
        for level, statements in levels
    ]
    table = SheetTable(sheet, columns, blocks)
    table.footnotes = number_footnotes(columns, table.rows)
    return table

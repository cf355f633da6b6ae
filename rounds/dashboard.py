"""The round dashboard: cities × stakeholder types, each cell a sheet with its status, progress
and last change; and the review queue. A fixed number of queries, however many cities."""
from dataclasses import dataclass, field

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Sheet, SheetTransition
from assessments.progress import progress_for_sheets
from stakeholders.models import StakeholderType

OVERDUE = "overdue"
STATUS_FILTERS = [*Sheet.Status.choices, (OVERDUE, _("Overdue"))]


@dataclass
class Cell:
    sheet: Sheet
    progress: object
    overdue: bool


@dataclass
class CityRow:
    city: object
    cells: list = field(default_factory=list)  # one per stakeholder type, None where no sheet

    def matches(self, status):
        cells = [c for c in self.cells if c is not None]
        if status == OVERDUE:
            return any(c.overdue for c in cells)
        return any(c.sheet.status == status for c in cells)


def is_overdue(round, sheet, today):
    """Due date passed and the sheet still not submitted."""
    return bool(round.due_on and round.due_on < today and sheet.status == Sheet.Status.DRAFT)


def dashboard(round, *, country="", status=""):
    """{"types", "rows", "countries", "totals"} of `round`, filtered by country and status."""
    types = list(StakeholderType.objects.order_by("position", "name"))
    column = {stype.pk: index for index, stype in enumerate(types)}
    sheets = list(
        Sheet.objects.filter(round=round)
        .select_related("city", "checklist", "updated_by")
        .order_by("city__name", "city_id")
    )
    countries = sorted({s.city.country for s in sheets})
    if country:
        sheets = [s for s in sheets if s.city.country == country]
    progress = progress_for_sheets(sheets)
    today = timezone.localdate()
    rows = {}
    for sheet in sheets:
        row = rows.get(sheet.city_id)
        if row is None:
            row = rows[sheet.city_id] = CityRow(sheet.city, [None] * len(types))
        sheet.round = round
        row.cells[column[sheet.checklist.stakeholder_type_id]] = Cell(
            sheet, progress[sheet.pk], is_overdue(round, sheet, today)
        )
    rows = [row for row in rows.values() if not status or row.matches(status)]
    totals = {value: 0 for value, _label in STATUS_FILTERS}
    for row in rows:
        for cell in row.cells:
            if cell is not None:
                totals[cell.sheet.status] += 1
                totals[OVERDUE] += cell.overdue
    return {"types": types, "rows": rows, "countries": countries, "totals": totals}


def review_queue(round):
    """The round's submitted sheets, the longest waiting first, with when they were submitted."""
    return list(
        Sheet.objects.filter(round=round, status=Sheet.Status.SUBMITTED)
        .select_related("city", "checklist__stakeholder_type")
        .annotate(submitted_at=Max("transitions__at", filter=Q(transitions__action=SheetTransition.Action.SUBMIT)))
        .order_by("submitted_at", "pk")
    )

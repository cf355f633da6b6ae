"""The round dashboard: cities × stakeholder types, each cell a sheet with its status, progress
and last change; and the review queue. A fixed number of queries, however many cities."""
from dataclasses import dataclass, field

from django.core.paginator import Paginator
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


# Cities per page: the grid of a 500-city round stays quick to render and to read.
PER_PAGE = 50


def dashboard(round, *, country="", status="", page=None):
    """{"types", "rows", "countries", "totals", "page"} of `round`, filtered by country and status;
    with `page` (a page number), the rows of that page of PER_PAGE cities, else every row."""
    types = list(StakeholderType.objects.order_by("position", "name"))
    column = {stype.pk: index for index, stype in enumerate(types)}
    sheets = list(
        Sheet.objects.filter(round=round)
        .select_related("city", "checklist", "updated_by")
        .order_by("city__name", "city_id")
    )
    countries = sorted({s.city.country for s in sheets})
    today = timezone.localdate()
    rows = {}
    for sheet in sheets:
        if country and sheet.city.country != country:
            continue
        row = rows.get(sheet.city_id)
        if row is None:
            row = rows[sheet.city_id] = CityRow(sheet.city, [None] * len(types))
        sheet.round = round
        row.cells[column[sheet.checklist.stakeholder_type_id]] = Cell(sheet, None, is_overdue(round, sheet, today))
    rows = [row for row in rows.values() if not status or row.matches(status)]
    totals = {value: 0 for value, _label in STATUS_FILTERS}
    for row in rows:
        for cell in row.cells:
            if cell is not None:
                totals[cell.sheet.status] += 1
                totals[OVERDUE] += cell.overdue
    shown = None
    if page is not None:
        shown = Paginator(rows, PER_PAGE).get_page(page)
        rows = list(shown.object_list)
    cells = [cell for row in rows for cell in row.cells if cell is not None]
    progress = progress_for_sheets([cell.sheet for cell in cells])
    for cell in cells:
        cell.progress = progress[cell.sheet.pk]
    return {"types": types, "rows": rows, "countries": countries, "totals": totals, "page": shown}


def review_queue(round):
    """The round's submitted sheets, the longest waiting first, with when they were submitted."""
    return list(
        Sheet.objects.filter(round=round, status=Sheet.Status.SUBMITTED)
        .select_related("city", "checklist__stakeholder_type")
        .annotate(submitted_at=Max("transitions__at", filter=Q(transitions__action=SheetTransition.Action.SUBMIT)))
        .order_by("submitted_at", "pk")
    )

"""The round dashboard: cities × stakeholder types, each cell a sheet with its status, progress
and last change; and the review queue. A fixed number of queries, however many cities."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Sheet, SheetTransition
from assessments.progress import progress_for_sheets
from mega.versioned import versioned
from reports import stamps
from stakeholders.models import StakeholderType

OVERDUE = "overdue"
STATUS_FILTERS = [*Sheet.Status.choices, (OVERDUE, _("Overdue"))]


@dataclass
class Cell:
    sheet: Sheet
    progress: object
    overdue: bool
    stakeholder_type: object


@dataclass
class CityRow:
    city: object
    cells: list = field(default_factory=list)  # one per stakeholder type, None where no sheet


def is_overdue(round, status, today):
    """Due date passed and the sheet still not submitted."""
    return bool(round.due_on and round.due_on < today and status == Sheet.Status.DRAFT)


# Cities per page: the grid of a 500-city round stays quick to render and to read.
PER_PAGE = 50


def _sheets(round):
    """The round's sheets in the dashboard's order: by city, then as created."""
    return Sheet.objects.filter(round=round).order_by("city__name", "city_id", "pk")


def round_figures(round, country, status, today):
    """(every country of the round, the ids of the cities shown by the filters in order, the
    totals per status of their sheets), worked out on a light listing of every sheet of the
    round (city, country, status)."""
    countries, by_city = set(), {}
    for city_id, city_country, sheet_status in _sheets(round).values_list("city_id", "city__country", "status"):
        countries.add(city_country)
        if not country or city_country == country:
            by_city.setdefault(city_id, []).append((sheet_status, is_overdue(round, sheet_status, today)))

    def matches(cells):
        return any(overdue if status == OVERDUE else sheet_status == status for sheet_status, overdue in cells)

    city_ids = [city_id for city_id, cells in by_city.items() if not status or matches(cells)]
    totals = {value: 0 for value, _label in STATUS_FILTERS}
    for city_id in city_ids:
        for sheet_status, overdue in by_city[city_id]:
            totals[sheet_status] += 1
            totals[OVERDUE] += overdue
    return sorted(countries), city_ids, totals


def dashboard(round, *, country="", status="", page=None):
    """{"types", "rows", "countries", "totals", "page"} of `round`, filtered by country and status;
    with `page` (a page number), the rows of that page of PER_PAGE cities, else every row.

    Filters, totals and pages read every sheet of the round (`round_figures`): they are kept in
    the cache (`versioned`) until a sheet of the round changes (`Round.sheets_stamp`: a status
    change is a new version of its sheet) or a city's name or country does (the content stamp).
    Whole sheets, and their progress, are read only for the rows shown, on every request."""
    types = list(StakeholderType.objects.order_by("position", "name"))
    column = {stype.pk: index for index, stype in enumerate(types)}
    today = timezone.localdate()
    countries, city_ids, totals = versioned(
        ("round-dashboard", round.pk, round.due_on, today, country, status),
        stamps.round_stamp(round),
        lambda: round_figures(round, country, status, today),
    )
    shown = None
    sheets = _sheets(round).select_related("city", "checklist", "updated_by")
    if page is not None:
        shown = Paginator(city_ids, PER_PAGE).get_page(page)
        city_ids = list(shown.object_list)
        sheets = sheets.filter(city_id__in=city_ids)
    wanted = set(city_ids)
    sheets = [sheet for sheet in sheets if sheet.city_id in wanted]
    progress = progress_for_sheets(sheets)
    rows = {city_id: None for city_id in city_ids}
    for sheet in sheets:
        row = rows[sheet.city_id] or CityRow(sheet.city, [None] * len(types))
        rows[sheet.city_id] = row
        sheet.round = round
        index = column[sheet.checklist.stakeholder_type_id]
        row.cells[index] = Cell(sheet, progress[sheet.pk], is_overdue(round, sheet.status, today), types[index])
    return {
        "types": types,
        "rows": list(rows.values()),
        "countries": countries,
        "totals": totals,
        "page": shown,
    }


def review_queue(round):
    """The round's submitted sheets, the longest waiting first, with when they were submitted."""
    return list(
        Sheet.objects.filter(round=round, status=Sheet.Status.SUBMITTED)
        .select_related("city", "checklist__stakeholder_type")
        .annotate(submitted_at=Max("transitions__at", filter=Q(transitions__action=SheetTransition.Action.SUBMIT)))
        .order_by("submitted_at", "pk")
    )

"""The home page: the cities and rounds a person works on, each sheet's state, and what needs
their action first. A fixed number of queries, however many sheets."""

import operator
from dataclasses import dataclass, field
from functools import reduce

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.shortcuts import render
from django.utils.translation import gettext as _

from assessments.models import CityReport, Sheet, SheetTransition
from assessments.permissions import can_edit, roles
from assessments.progress import progress_for_sheets
from assessments.workflow import latest_transitions


@dataclass
class Todo:
    priority: int
    sheet: Sheet | None
    text: str
    detail: str = ""
    report_of: tuple | None = None  # (city, round) for the report


@dataclass
class Benchmarking:
    """One city in one round, as the home page lists it."""

    city: object
    round: object
    roles: list
    editable: bool
    report: CityReport | None
    sheets: list = field(default_factory=list)


def _todos(user, sheet, editable):
    """Admins review submitted sheets; the city's officers fill in and submit drafts."""
    latest = sheet.latest_transition
    if user.is_staff:
        if sheet.status == Sheet.Status.SUBMITTED:
            return [Todo(1, sheet, _("Validate or return"), _("Submitted for validation"))]
        return []
    if not editable or not sheet.is_editable:
        return []
    if latest is not None and latest.action == SheetTransition.Action.RETURN:
        by = latest.by.get_username() if latest.by else _("the reviewer")
        return [Todo(0, sheet, _("Returned for changes"), f"{by}: {latest.comment}")]
    if sheet.progress.complete:
        return [Todo(2, sheet, _("Ready to submit"), _("Every answer is given"))]
    return [
        Todo(
            3,
            sheet,
            _("Fill in"),
            _("%(open)s of %(total)s answers still open")
            % {"open": sheet.progress.open, "total": sheet.progress.total},
        )
    ]


def group_todos(todos):
    """[(city, round, todos)]: what needs action per city and round, in the order of the sheets
    (current round first), each group's most pressing first."""
    groups = {}
    for todo in todos:
        city, round = (todo.sheet.city, todo.sheet.round) if todo.sheet else todo.report_of
        groups.setdefault((city.pk, round.pk), (city, round, []))[2].append(todo)
    return [(city, round, sorted(items, key=lambda t: t.priority)) for city, round, items in groups.values()]


# Cities × rounds per page: an admin of a thousand cities gets pages, not one endless list.
PER_PAGE = 20


@login_required
def home(request):
    user = request.user
    sheets = (
        Sheet.objects.for_user(user)
        .select_related("city", "round", "checklist__stakeholder_type", "updated_by")
        .order_by(
            "round__closed",
            F("round__starts_on").desc(nulls_last=True),
            "-round__name",
            "round_id",
            "city__name",
            "city_id",
            "checklist__stakeholder_type__position",
            "checklist__version",
        )
    )
    # The database pages over the (city, round) pairs, so an admin's page reads 20 of them, not every
    # sheet; the ids break ties between cities of the same name, so that pages neither overlap nor skip.
    # Open rounds come first, the newest first: the current round is where the work is; closed
    # rounds follow, read-only.
    round_order = ("round__closed", F("round__starts_on").desc(nulls_last=True), "-round__name", "round_id")
    pairs = sheets.values("city", "round").distinct().order_by(*round_order, "city__name", "city_id")
    page = Paginator(pairs, PER_PAGE).get_page(request.GET.get("page"))
    keys = [(pair["city"], pair["round"]) for pair in page.object_list]
    # What needs action is looked for everywhere: staff read this page's sheets and the submitted
    # sheets of every city (they review those); everyone else reads all of their few cities' sheets.
    if user.is_staff:
        # Q(pk__in=[]) matches nothing: an empty page adds no sheets.
        on_page = reduce(operator.or_, (Q(city=city, round=round) for city, round in keys), Q(pk__in=[]))
        sheets = sheets.filter(on_page | Q(status=Sheet.Status.SUBMITTED))
    sheets = list(sheets)
    shown = set(keys)
    listed = [s for s in sheets if (s.city_id, s.round_id) in shown]
    to_check = [s for s in sheets if s.status == Sheet.Status.SUBMITTED] if user.is_staff else sheets
    measured = list({s.pk: s for s in listed + to_check}.values())
    progress = progress_for_sheets(measured)
    latest = latest_transitions(measured)
    for sheet in measured:
        sheet.progress, sheet.latest_transition = progress[sheet.pk], latest.get(sheet.pk)
    reports = {
        (r.city_id, r.round_id): r
        for r in CityReport.objects.filter(city__in={s.city_id for s in sheets}, round__in={s.round_id for s in sheets})
    }
    groups, todos, seen = {}, [], set()
    for sheet in to_check:
        key = (sheet.city_id, sheet.round_id)
        editable = can_edit(user, sheet.city) and not sheet.round.closed
        if key not in seen:
            seen.add(key)
            report = reports.get(key)
            if (
                editable
                and not user.is_staff
                and not (report and (report.national_context or report.city_observations))
            ):
                todos.append(
                    Todo(
                        4,
                        None,
                        _("Write the city report"),
                        f"{sheet.city} {sheet.round}",
                        report_of=(sheet.city, sheet.round),
                    )
                )
        todos += _todos(user, sheet, editable)
    for sheet in listed:
        key = (sheet.city_id, sheet.round_id)
        if key not in groups:
            groups[key] = Benchmarking(
                sheet.city,
                sheet.round,
                sorted(roles(user, sheet.city)),
                can_edit(user, sheet.city) and not sheet.round.closed,
                reports.get(key),
            )
        groups[key].sheets.append(sheet)
    context = {
        "benchmarkings": [groups[key] for key in keys if key in groups],
        "todo_groups": group_todos(todos),
        "page": page,
    }
    return render(request, "assessments/home.html", context)

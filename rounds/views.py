"""The pages programme staff run rounds with: the rounds, a new round, a round's dashboard with
its cities and review queue, adding and removing cities, closing and reopening.

Only staff reach them (`staff_required`); the rules live on the models (`Round`,
`ArchivedBenchmarking`), the views only ask and report.
"""

import tablib
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from assessments.models import Round
from assessments.permissions import staff_required
from downloads.views import download
from mega.spreadsheets import as_csv
from rounds.dashboard import STATUS_FILTERS, dashboard, review_queue
from rounds.forms import AddCityForm, ConfirmForm, RoundForm
from rounds.models import ArchivedBenchmarking


def _round(name):
    return get_object_or_404(Round, name=name)


@staff_required
@require_safe
def round_list(request):
    rounds = Round.objects.order_by(F("starts_on").desc(nulls_last=True), "-name")
    return render(request, "rounds/round_list.html", {"rounds": rounds})


@staff_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            round = form.save()
        messages.success(request, _("Created round %(round)s: now add its cities.") % {"round": round.name})
        return redirect("rounds:dashboard", round=round.name)
    return render(request, "rounds/round_form.html", {"form": form}, status=400 if form.errors else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def round_edit(request, round):
    round = _round(round)
    form = RoundForm(request.POST or None, instance=round)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            round = form.save()
        messages.success(request, _("Saved round %(round)s.") % {"round": round.name})
        return redirect("rounds:dashboard", round=round.name)
    return render(request, "rounds/round_form.html", {"form": form, "round": round}, status=400 if form.errors else 200)


@staff_required
@require_safe
def round_dashboard(request, round):
    round = _round(round)
    country, status = request.GET.get("country", ""), request.GET.get("status", "")
    if status not in dict(STATUS_FILTERS):
        status = ""
    context = {
        "round": round,
        "grid": dashboard(round, country=country, status=status, page=request.GET.get("page", 1)),
        "queue": review_queue(round),
        "country": country,
        "status": status,
        "statuses": STATUS_FILTERS,
        "add_form": AddCityForm(round=round),
    }
    return render(request, "rounds/dashboard.html", context)


@staff_required
@require_safe
def round_dashboard_csv(request, round):
    round = _round(round)
    grid = dashboard(round, country=request.GET.get("country", ""), status=request.GET.get("status", ""))
    dataset = tablib.Dataset(
        headers=[
            "city",
            "country",
            "stakeholder_type",
            "status",
            "answered",
            "total",
            "last_change",
            "changed_by",
            "overdue",
        ]
    )
    for row in grid["rows"]:
        for stype, cell in zip(grid["types"], row.cells):
            if cell is None:
                continue
            sheet = cell.sheet
            dataset.append(
                [
                    row.city.name,
                    row.city.country,
                    stype.slug,
                    sheet.status,
                    cell.progress.answered,
                    cell.progress.total,
                    sheet.updated_at.isoformat(timespec="seconds") if sheet.updated_at else "",
                    sheet.updated_by.get_username() if sheet.updated_by else "",
                    "yes" if cell.overdue else "",
                ]
            )
    return download(as_csv(dataset), f"mega-round-{slugify(round.name)}.csv", "text/csv; charset=utf-8")


@staff_required
@require_POST
def round_add_city(request, round):
    round = _round(round)
    form = AddCityForm(request.POST, round=round)
    if not form.is_valid():
        errors = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, " ".join(errors))
        return redirect("rounds:dashboard", round=round.name)
    city = form.city_to_add()
    try:
        with transaction.atomic():
            if city.pk is None:
                city.save()
            round.add_city(city, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("rounds:dashboard", round=round.name)
    messages.success(
        request,
        _("Added %(city)s to round %(round)s: its four sheets and its report are ready.")
        % {"city": city.name, "round": round.name},
    )
    return redirect("rounds:dashboard", round=round.name)


@staff_required
@require_http_methods(["GET", "POST"])
def round_remove_city(request, round, city):
    round = _round(round)
    city = get_object_or_404(round.cities(), slug=city)
    contents = round.contents_of(city)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and (form.is_valid() or not any(contents.values())):
        try:
            archive = ArchivedBenchmarking.remove_city(round, city, request.user, confirmed=form.is_valid())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("rounds:dashboard", round=round.name)
        if archive:
            messages.success(
                request,
                _("Took %(city)s out of round %(round)s; what was written is archived.")
                % {"city": city.name, "round": round.name},
            )
        else:
            messages.success(
                request, _("Took %(city)s out of round %(round)s.") % {"city": city.name, "round": round.name}
            )
        return redirect("rounds:dashboard", round=round.name)
    context = {"round": round, "city": city, "contents": contents, "written": any(contents.values()), "form": form}
    return render(request, "rounds/remove_city.html", context, status=400 if form.errors else 200)


@staff_required
@require_POST
def round_close_or_reopen(request, round, close):
    """Closing makes the round's sheets and reports read-only; reopening undoes it."""
    round = _round(round)
    if close:
        round.close(request.user)
        messages.success(
            request, _("Closed round %(round)s: its sheets and reports are read-only.") % {"round": round.name}
        )
    else:
        round.reopen(request.user)
        messages.success(request, _("Reopened round %(round)s.") % {"round": round.name})
    return redirect("rounds:dashboard", round=round.name)

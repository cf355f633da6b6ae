"""A sheet's history, and restoring a cell to what it was before a change (confirmed first)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments import restore
from assessments.cells import BadEdit, SheetLocked, StaleSheet
from assessments.forms import MAX_ID, RestoreForm
from assessments.history import answer_record, sheet_history
from assessments.permissions import can_edit, sheet_for_user

PAGE_SIZE = 50


@login_required
def sheet_history_view(request, sheet):
    sheet = sheet_for_user(request.user, sheet)
    page = Paginator(sheet_history(sheet), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"sheet": sheet, "page": page, "may_restore": sheet.is_editable and can_edit(request.user, sheet.city)}
    return render(request, "assessments/sheet_history.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def sheet_restore(request, sheet, record):
    """GET: what restoring the cell to before change `record` would change, part by part, with
    a choice of parts; POST: restore the chosen parts."""
    sheet = sheet_for_user(request.user, sheet, edit=True)
    found = answer_record(sheet, record) if record <= MAX_ID else None
    if found is None:
        raise Http404("There is no such change in this sheet's history.")
    if not sheet.is_editable:
        messages.error(request, _("Not restored: %(error)s") % {"error": SheetLocked(sheet)})
        return redirect("sheets:history", sheet=sheet.pk)
    try:
        plan = restore.plan(found)
    except BadEdit as error:
        messages.error(request, _("Not restored: %(error)s") % {"error": error})
        return redirect("sheets:history", sheet=sheet.pk)
    status = 200
    if request.method == "POST":
        form = RestoreForm(request.POST)
        if form.is_valid():
            try:
                restored = restore.restore(
                    sheet,
                    request.user,
                    found,
                    parts=form.cleaned_data["parts"],
                    expected_version=form.cleaned_data["version"],
                )
            except (SheetLocked, StaleSheet, BadEdit) as error:
                messages.error(request, _("Not restored: %(error)s Check what it would change now.") % {"error": error})
                return redirect("sheets:restore", sheet=sheet.pk, record=record)
            if restored:
                messages.success(request, _("Restored; the restore is itself in the history."))
            else:
                messages.info(request, _("Nothing to restore: the cell already reads so."))
            return redirect("sheets:history", sheet=sheet.pk)
        status = 400
    else:
        form = RestoreForm(
            initial={
                "version": plan.version,
                "parts": [p.name for p in plan.parts if p.proposed],
            }
        )
    statement = plan.answer.statement
    context = {
        "sheet": sheet,
        "plan": plan,
        "form": form,
        "change": found,
        "number": f"{statement.level.number}.{statement.position}",
    }
    return render(request, "assessments/sheet_restore.html", context, status=status)

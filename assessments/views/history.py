"""A sheet's history, and restoring an answer to what it was before a change."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import editing
from assessments.forms import RestoreForm
from assessments.history import answer_record, sheet_history
from assessments.permissions import can_edit, sheet_for_user

PAGE_SIZE = 50


@login_required
def sheet_history_view(request, pk):
    sheet = sheet_for_user(request.user, pk)
    page = Paginator(sheet_history(sheet), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"sheet": sheet, "page": page, "may_restore": sheet.is_editable and can_edit(request.user, sheet.city)}
    return render(request, "assessments/sheet_history.html", context)


@login_required
@require_POST
def sheet_restore(request, pk):
    sheet = sheet_for_user(request.user, pk, edit=True)
    form = RestoreForm(request.POST)
    record = answer_record(sheet, form.cleaned_data["record"]) if form.is_valid() else None
    if record is None:
        return render(request, "assessments/sheet_edit_invalid.html", {
            "sheet": sheet, "message": "There is no such change in this sheet's history.",
        }, status=400)
    try:
        answer, changed = editing.restore_answer(sheet, request.user, record, expected_version=form.cleaned_data["version"])
    except (editing.SheetLocked, editing.StaleSheet, editing.BadEdit) as error:
        messages.error(request, _("Not restored: %(error)s Check the history and try again.") % {"error": error})
    else:
        if changed:
            messages.success(request, _("Restored the earlier answer; the restore is itself in the history."))
        else:
            messages.info(request, _("The answer already had that value: nothing to restore."))
    return redirect("sheet_history", pk=sheet.pk)

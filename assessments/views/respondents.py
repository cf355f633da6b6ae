"""The respondent columns of a sheet: add, rename (with the header note), reorder, remove.

Removing asks for confirmation and says how many answers and annotations go with the
column; the history keeps them. Every change bumps the sheet's version.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django.utils.translation import gettext as _

from assessments import columns
from assessments.cells import SheetLocked, StaleSheet
from assessments.forms import RemoveRespondentForm, RespondentForm
from assessments.permissions import sheet_for_user


def _respondent(sheet, respondent_pk):
    respondent = sheet.respondents.select_related("organisation").filter(pk=respondent_pk).first()
    if respondent is None:
        raise Http404("This sheet has no such column.")
    respondent.sheet = sheet
    return respondent


def _refused(request, sheet, error):
    messages.error(request, str(error))
    return redirect("sheets:respondents", sheet=sheet.pk)


@login_required
@require_http_methods(["GET", "POST"])
def sheet_respondents(request, sheet):
    """The list of columns, and the form that adds one."""
    sheet = sheet_for_user(request.user, sheet, edit=True)
    form = RespondentForm(request.POST or None, sheet=sheet, prefix="add")
    if request.method == "POST" and form.is_valid():
        try:
            respondent = columns.add_respondent(
                sheet, request.user, name=form.cleaned_data["name"], note=form.cleaned_data["note"]
            )
        except SheetLocked as error:
            return _refused(request, sheet, error)
        messages.success(request, _("Added the column “%(name)s”.") % {"name": respondent.name})
        return redirect("sheets:respondents", sheet=sheet.pk)
    respondents = list(sheet.respondents.select_related("organisation").order_by("position", "id"))
    context = {"sheet": sheet, "respondents": respondents, "form": form, "editable": sheet.is_editable}
    return render(request, "assessments/respondents.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def respondent_edit(request, sheet, respondent):
    sheet = sheet_for_user(request.user, sheet, edit=True)
    respondent = _respondent(sheet, respondent)
    initial = {
        "name": respondent.name,
        "note": respondent.note,
        "was_name": respondent.name,
        "was_note": respondent.note,
    }
    form = RespondentForm(request.POST or None, sheet=sheet, respondent=respondent, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            columns.change_respondent(
                respondent,
                request.user,
                name=form.cleaned_data["name"],
                note=form.cleaned_data["note"],
                was=form.was(),
            )
        except SheetLocked as error:
            return _refused(request, sheet, error)
        except StaleSheet:
            # Show what the other person saved; keep what this person typed, based on it now.
            data = request.POST.copy()
            data["was_name"], data["was_note"] = respondent.name, respondent.note
            form = RespondentForm(data, sheet=sheet, respondent=respondent)
            form.is_valid()
            context = {"sheet": sheet, "respondent": respondent, "form": form, "stale": True, "editable": True}
            return render(request, "assessments/respondent_form.html", context, status=409)
        messages.success(request, _("Saved the column “%(name)s”.") % {"name": respondent.name})
        return redirect("sheets:respondents", sheet=sheet.pk)
    context = {"sheet": sheet, "respondent": respondent, "form": form, "editable": sheet.is_editable}
    return render(request, "assessments/respondent_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def respondent_move(request, sheet, respondent):
    sheet = sheet_for_user(request.user, sheet, edit=True)
    respondent = _respondent(sheet, respondent)
    by = {"left": -1, "right": 1}.get(request.POST.get("direction"))
    if by is None:
        return _refused(request, sheet, "Move a column to the left or to the right.")
    try:
        columns.move_respondent(respondent, request.user, by=by)
    except SheetLocked as error:
        return _refused(request, sheet, error)
    return redirect("sheets:respondents", sheet=sheet.pk)


@login_required
@require_http_methods(["GET", "POST"])
def respondent_remove(request, sheet, respondent):
    sheet = sheet_for_user(request.user, sheet, edit=True)
    respondent = _respondent(sheet, respondent)
    form = RemoveRespondentForm(request.POST or None, initial={"version": sheet.version})
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            columns.remove_respondent(respondent, request.user, version=form.cleaned_data["version"])
        except SheetLocked as error:
            return _refused(request, sheet, error)
        except StaleSheet:
            stale = True
            form = RemoveRespondentForm(initial={"version": sheet.version})
        else:
            messages.success(
                request,
                _("Removed the column “%(name)s”. Its answers are kept in the history.") % {"name": respondent.name},
            )
            return redirect("sheets:respondents", sheet=sheet.pk)
    answered, annotated = columns.column_content(respondent)
    context = {
        "sheet": sheet,
        "respondent": respondent,
        "form": form,
        "answered": answered,
        "annotated": annotated,
        "stale": stale,
        "editable": sheet.is_editable,
    }
    status = 409 if stale else 400 if form.errors else 200
    return render(request, "assessments/respondent_remove.html", context, status=status)

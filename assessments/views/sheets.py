"""The sheet editor: the grid of answers (read-only for whoever may not change it), the
full-form save and its conflict screen, the one-cell autosave of the editor's script, and
the review workflow's buttons. Domain rules live in `editing` and `workflow`."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from assessments import workflow
from assessments.cells import BadEdit, save_cells, seen_of
from assessments.forms import AnswerForm, TransitionForm, parse_sheet_post
from assessments.models import MAX_NOTE_LENGTH, Answer, Sheet
from assessments.permissions import can_edit, sheet_for_user
from assessments.progress import progress_of_table
from assessments.sheet_table import OPEN_MARK, build_sheet_table


def mark_legend():
    """(mark, meaning) of each mark a read-only grid shows."""
    return [(Answer.Value(value).mark or OPEN_MARK, label) for value, label in Answer.Value.choices]


def editor_context(request, sheet):
    may_edit = can_edit(request.user, sheet.city)
    editable = may_edit and sheet.is_editable
    grid = _render_grid(sheet, editable)
    return {
        "sheet": sheet,
        "grid": grid,
        "progress": grid["progress"],
        "editable": editable,
        "may_edit": may_edit,
        "transitions": list(sheet.transitions.select_related("by").order_by("-at", "-id")),
        "actions": [
            (t, reverse(f"sheets:{t.action}", args=[sheet.pk])) for t in workflow.available(request.user, sheet)
        ],
        "max_note_length": MAX_NOTE_LENGTH,
        "first_open": grid.get("first_open"),
        "legend": mark_legend(),
    }


def grid_choices():
    """The grid's radio buttons in the current language: (value, label, the value in their ids)."""
    return [(value, str(label), value or "open") for value, label in Answer.Value.choices]


RADIO = (
    '<div class="form-check">\n    <input class="form-check-input" type="radio" name="cell-{key}-value" '
    'id="v{key}-{slug}" value="{value}"{checked}>\n    <label class="form-check-label{muted}" for="v{key}-{slug}">'
    "{label}</label>\n  </div>"
)


def radios(cell, choices):
    """A cell's radio buttons: the same markup for each of hundreds of cells, built here because a
    template loop over them was most of the editor's rendering time."""
    return format_html_join(
        "\n  ",
        RADIO,
        (
            {
                "key": cell.key,
                "slug": slug,
                "value": value,
                "label": label,
                "checked": mark_safe(" checked") if cell.value == value else "",
                "muted": mark_safe(" text-body-secondary") if not value else "",
            }
            for value, label, slug in choices
        ),
    )


def label_cells(table):
    """Give each cell of `table` what the grid shows of it, computed once here rather than by
    template tags per cell (a large sheet has hundreds of cells): what the form says it showed
    of the cell, its translated labels and its radio buttons."""
    choices = grid_choices()
    for block in table.levels:
        for row in block.rows:
            for cell in row.cells:
                cell.seen = seen_of(cell.value, cell.note)
                names = {"level": block.level.number, "position": row.statement.position, "name": cell.respondent.name}
                cell.legend = _("Statement %(level)s.%(position)s, %(name)s") % names
                cell.note_label = _("Annotation to statement %(level)s.%(position)s, %(name)s") % names
                cell.radios = radios(cell, choices)


def _render_grid(sheet, editable):
    """The grid's HTML and the figures shown around it."""
    table = build_sheet_table(sheet)
    label_cells(table)
    html = render_to_string(
        "assessments/_editor_grid.html",
        {
            "sheet": sheet,
            "table": table,
            "editable": editable,
            "max_note_length": MAX_NOTE_LENGTH,
            "choices": grid_choices(),
        },
    )
    return {
        "html": mark_safe(html),
        "progress": progress_of_table(table),
        "columns": len(table.columns),
        "first_open": table.first_open_key(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def sheet_edit(request, sheet):
    sheet = sheet_for_user(request.user, sheet, edit=request.method == "POST")
    if request.method == "POST":
        return _save(request, sheet)
    return render(request, "assessments/sheet_edit.html", editor_context(request, sheet))


def bad_request(request, sheet, message):
    return render(request, "assessments/sheet_edit_invalid.html", {"sheet": sheet, "message": message}, status=400)


def _save(request, sheet):
    try:
        version, edits = parse_sheet_post(request.POST)
        result = save_cells(sheet, request.user, edits)
    except BadEdit as error:
        return bad_request(request, sheet, str(error))
    if not result.ok:
        return _conflict(request, sheet, result, version, edits)
    if result.saved:
        count = len(result.saved)
        messages.success(
            request, ngettext("Saved %(count)s change.", "Saved %(count)s changes.", count) % {"count": count}
        )
    else:
        messages.info(request, _("Nothing had changed: nothing to save."))
    if result.kept_theirs:
        messages.info(
            request,
            ngettext(
                "%(count)s answer was changed by somebody else while you worked; "
                "you had not changed it, so its value is kept.",
                "%(count)s answers were changed by somebody else while you worked; "
                "you had not changed them, so their values are kept.",
                len(result.kept_theirs),
            )
            % {"count": len(result.kept_theirs)},
        )
    return redirect("sheets:edit", sheet=sheet.pk)


def _conflict(request, sheet, result, version, edits):
    """Show, statement by statement, what the others saved and what you tried to save."""
    contested = {c.key: c for c in result.conflicts}
    dropped = {e.key for e in result.kept_theirs} | {c.key for c in result.conflicts if c.kind == "removed"}
    carried = [
        contested[edit.key].resolved or edit if edit.key in contested else edit
        for edit in edits
        if edit.key not in dropped and (edit.key in contested or _differs(edit, result.answer(edit.key)))
    ]
    context = {
        "sheet": sheet,
        "result": result,
        "conflicts": result.conflicts,
        "carried": carried,
        "uncontested": len([e for e in carried if e.key not in contested]),
        "posted_version": version,
    }
    return render(request, "assessments/sheet_conflict.html", context, status=409)


def _differs(edit, answer):
    return (edit.value, edit.note) != ((answer.value, answer.note) if answer else ("", ""))


@login_required
@require_POST
def sheet_answer(request, sheet):
    """Autosave one cell: JSON in, JSON out; 409 with the other person's answer on a conflict."""
    sheet = sheet_for_user(request.user, sheet, edit=True)
    data = request.POST
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            return JsonResponse({"error": "invalid", "message": _("The request is not valid JSON.")}, status=400)
        if not isinstance(data, dict):
            return JsonResponse({"error": "invalid", "message": _("Send one answer as a JSON object.")}, status=400)
    form = AnswerForm(data)
    if not form.is_valid():
        return JsonResponse({"error": "invalid", "message": form.error_message()}, status=400)
    edit = form.edit()
    try:
        result = save_cells(sheet, request.user, [edit])
    except BadEdit as error:
        return JsonResponse({"error": "invalid", "message": str(error)}, status=400)
    if result.locked:
        return JsonResponse(
            {
                "error": "locked",
                "status": sheet.status,
                "message": _("The sheet is %(status)s: it cannot be changed any more. Reload the page.")
                % {"status": sheet.get_status_display().lower()},
            },
            status=409,
        )
    if result.conflicts:
        return JsonResponse(_conflict_json(result.conflicts[0]), status=409)
    answer = result.answer(edit.key)
    table = build_sheet_table(sheet, texts=False)
    value, note = (answer.value, answer.note) if answer else ("", "")
    return JsonResponse(
        {
            "version": answer.version if answer else 0,
            "value": value,
            "note": note,
            "seen": seen_of(value, note),
            "sheet_version": sheet.version,
            **table_state(table),
        }
    )


def _conflict_json(conflict):
    if conflict.kind == "removed":
        return {"error": "removed", "message": _("This column was removed by somebody else. Reload the page.")}
    theirs, resolved = conflict.theirs, conflict.resolved
    return {
        "error": "conflict",
        "message": conflict.message,
        "parts": conflict.parts,
        "value": conflict.theirs_value,
        "value_label": conflict.theirs_label,
        "note": conflict.theirs_note,
        "version": conflict.theirs_version,
        "seen": seen_of(conflict.theirs_value, conflict.theirs_note),
        # "Take mine": mine where both changed a part, theirs where only they did.
        "resolved": {"value": resolved.value, "note": resolved.note},
        "by": conflict.who,
        "by_you": conflict.by_you,
        "at": theirs.updated_at.isoformat() if theirs and theirs.updated_at else None,
    }


def table_state(table):
    """What the script shows after a save: progress and the renumbered footnotes."""
    progress = progress_of_table(table)
    return {
        "progress": {
            "answered": progress.answered,
            "total": progress.total,
            "levels": [{"number": lp.number, "answered": lp.answered, "total": lp.total} for lp in progress.levels],
        },
        "footnotes": {cell.key: cell.footnote for row in table.rows for cell in row.cells if cell.footnote},
        "columns": {str(column.respondent.pk): column.footnote for column in table.columns if column.footnote},
    }


@login_required
@require_http_methods(["GET", "POST"])
def sheet_submit(request, sheet):
    """Submitting locks the sheet: without JavaScript this page says what locks and who reviews
    before the POST (with it, the editor shows the same text in a dialog)."""
    if request.method == "POST":
        return sheet_transition(request, sheet, workflow.Action.SUBMIT)
    sheet = sheet_for_user(request.user, sheet)
    if not workflow.may(request.user, sheet, workflow.Action.SUBMIT):
        raise PermissionDenied
    table = build_sheet_table(sheet)
    return render(
        request,
        "assessments/sheet_submit.html",
        {
            "sheet": sheet,
            "progress": progress_of_table(table),
            "first_open": table.first_open_key(),
            "submittable": sheet.status == Sheet.Status.DRAFT,
        },
    )


@login_required
@require_POST
def sheet_transition(request, sheet, action):
    sheet = sheet_for_user(request.user, sheet)
    if not workflow.may(request.user, sheet, action):
        raise PermissionDenied
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; reload the sheet and try again."))
        return redirect("sheets:edit", sheet=sheet.pk)
    try:
        record = workflow.transition(
            sheet, request.user, action, comment=form.cleaned_data["comment"], version=form.cleaned_data["version"]
        )
    except workflow.IncompleteSheet as error:
        # The count links to the first open cell of the editor this redirects to.
        messages.error(
            request,
            format_html(
                '<a href="#cell-{}">{}</a> {}',
                build_sheet_table(sheet).first_open_key(),
                workflow.open_count_text(error.open, error.total),
                workflow.OPEN_ADVICE,
            ),
        )
        return redirect("sheets:edit", sheet=sheet.pk)
    except workflow.TransitionError as error:
        messages.error(request, str(error))
        return redirect("sheets:edit", sheet=sheet.pk)
    messages.success(
        request,
        _("%(action)s: the sheet is now %(status)s.")
        % {"action": record.get_action_display(), "status": sheet.get_status_display().lower()},
    )
    return redirect("sheets:edit", sheet=sheet.pk)

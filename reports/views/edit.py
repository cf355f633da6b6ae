"""Editing a city report: the two texts and the conclusions with their topics, autosaved; adding
and removing a conclusion.

The form posts, for every part, what it showed; `reports.editing.save_report` merges that with
what is saved now, part by part. A part both people changed is shown with both versions and a
choice, and nothing is written until each such part has one.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments.cells import BadEdit
from assessments.models import Conclusion, RoundClosed
from assessments.permissions import report_for_user
from reports.editing import (
    GONE,
    KIND_LABELS,
    TEXTS,
    StaleReport,
    add_conclusion,
    content,
    current_parts,
    fingerprint,
    remove_conclusion,
    save_report,
    topic_names,
)
from reports.forms import (
    AddConclusionForm,
    RemoveConclusionForm,
    editor_forms,
    error_summary,
    report_edit as edit_of,
)

THEN = re.compile(r"^(add-(share|look_at)|remove-(\d{1,18}))$")


def _editor(request, city, round):
    city, round, report = report_for_user(request.user, city, round, edit=True)
    form, lists = editor_forms(report, request.POST if request.method == "POST" else None)
    return city, round, report, form, lists


def _edit_with_choices(request, edit):
    """Apply the choices of the conflict section; [contested parts left without a choice]."""
    unchosen = []
    for part in request.POST.getlist("contested")[:300]:
        choice = request.POST.get(f"choice-{part}")
        if choice == "theirs":
            edit.drop(part)
        elif choice == "mine":
            seen = request.POST.get(f"theirs-{part}", "")
            if part.startswith("order-"):
                seen = [int(pk) for pk in seen.split(",") if pk.isdigit()]
            edit.rebase(part, seen)
        else:
            unchosen.append(part)
    return unchosen


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, city, round):
    city, round, report, form, lists = _editor(request, city, round)
    if round.closed and request.method == "POST":
        messages.error(request, str(RoundClosed(round)))
        return redirect("reports:city", city=city.slug, round=round.name)
    conflicts, unchosen = None, False
    valid = request.method == "POST" and form.is_valid() and all(f.is_valid() for f in lists.values())
    if valid:
        edit = edit_of(form, lists)
        unchosen = bool(_edit_with_choices(request, edit))
        try:
            result = save_report(city, round, request.user, edit)
        except BadEdit as error:
            return _refused(request, city, round, str(error))
        if result.ok and not unchosen:
            _announce(request, result)
            return _then(request, city, round)
        conflicts = _conflicts_context(result, request.user)
    context = {
        "city": city,
        "round": round,
        "report": report,
        "form": form,
        "lists": [(kind, KIND_LABELS[kind], lists[kind]) for kind in Conclusion.Kind.values],
        "conflicts": conflicts,
        "unchosen": unchosen,
        "errors": error_summary(form, lists, KIND_LABELS) if request.method == "POST" and not valid else [],
    }
    status = 409 if conflicts else 400 if request.method == "POST" else 200
    return render(request, "reports/report_form.html", context, status=status)


def _announce(request, result):
    if result.changed:
        messages.success(request, _("Saved: %(parts)s.") % {"parts": "; ".join(result.changed)})
    elif not result.kept_theirs:
        messages.info(request, _("Nothing had changed: nothing to save."))
    if result.kept_theirs:
        messages.info(
            request,
            _("Changed by somebody else meanwhile, and kept as they left it: %(parts)s.")
            % {"parts": "; ".join(result.kept_theirs)},
        )


def _then(request, city, round):
    """Where to go after a save: the editor, or the action whose button saved the form first."""
    match = THEN.match(request.POST.get("then", ""))
    if match and match[2]:
        return redirect("reports:conclusion_add", city=city.slug, round=round.name, kind=match[2])
    if match and match[3]:
        return redirect("reports:conclusion_remove", city=city.slug, round=round.name, conclusion=int(match[3]))
    return redirect("reports:edit", city=city.slug, round=round.name)


def _refused(request, city, round, message):
    return render(
        request, "reports/report_refused.html", {"city": city, "round": round, "message": message}, status=400
    )


def _show(value):
    """A part's value as lines of text for the conflict screen."""
    if value is GONE:
        return [_("(removed)")]
    if isinstance(value, str):
        return [value] if value else [_("(empty)")]
    text, topics = value
    return [text, _("Topics: %(topics)s") % {"topics": ", ".join(topic_names(topics)) or "—"}]


def _who(report, user):
    """Who saved the report last, as the conflict messages name them."""
    if report is None or report.updated_by is None:
        return _("somebody else")
    if report.updated_by_id == user.pk:
        return _("you (in another window)")
    return report.updated_by.get_username()


def _conflicts_context(result, user):
    report = result.report
    _texts, conclusions, _orders = current_parts(report)
    names = {pk: c.text for pk, c in conclusions.items()}
    by = _who(report, user)
    parts = []
    for conflict in result.conflicts:
        if conflict.part.startswith("order-"):
            theirs = [names.get(pk, "?") for pk in conflict.theirs]
            mine = [names.get(pk, _("(removed)")) for pk in conflict.mine]
            seen_now = ",".join(str(pk) for pk in conflict.seen_now)
        else:
            theirs, mine, seen_now = _show(conflict.theirs), _show(conflict.mine), conflict.seen_now
        parts.append(
            {"name": conflict.part, "label": conflict.label, "theirs": theirs, "mine": mine, "seen_now": seen_now}
        )
    return {"by": by, "at": report.updated_at if report else None, "parts": parts}


@login_required
@require_POST
def report_autosave(request, city, round):
    """The editor's script saves the whole form here as the person types: JSON out."""
    city, round, report, form, lists = _editor(request, city, round)
    if round.closed:
        return JsonResponse({"error": "locked", "message": str(RoundClosed(round)), "errors": []}, status=409)
    if not (form.is_valid() and all(f.is_valid() for f in lists.values())):
        errors = error_summary(form, lists, KIND_LABELS)
        return JsonResponse(
            {
                "error": "invalid",
                "message": " ".join(message for message, _anchor in errors),
                "errors": [{"message": message, "anchor": anchor} for message, anchor in errors],
            },
            status=400,
        )
    edit = edit_of(form, lists)
    try:
        result = save_report(city, round, request.user, edit)
    except BadEdit as error:
        return JsonResponse({"error": "invalid", "message": str(error), "errors": []}, status=400)
    if not result.ok:
        by = _who(result.report, request.user)
        return JsonResponse(
            {
                "error": "conflict",
                "parts": [c.label for c in result.conflicts],
                "message": _("Not saved: %(by)s also changed %(parts)s after you opened the page.")
                % {"by": by, "parts": "; ".join(c.label for c in result.conflicts)},
            },
            status=409,
        )
    return JsonResponse(
        {
            "saved": result.changed,
            "kept_theirs": result.kept_theirs,
            "seen": _seen_now(result.report, form, lists),
        }
    )


def _seen_now(report, form, lists):
    """{input name: value} of the "seen" inputs of the parts the page now shows as saved."""
    texts, conclusions, orders = current_parts(report)
    seen = {}
    for name in TEXTS:
        if form.cleaned_data[name] == texts[name]:
            seen[f"seen_{name}"] = fingerprint(texts[name])
    for kind, formset in lists.items():
        for f in formset.forms:
            now = content(conclusions.get(f.cleaned_data["id"]))
            if now is not GONE and now == (f.cleaned_data["text"], {t.pk for t in f.cleaned_data["topics"]}):
                seen[f.add_prefix("seen")] = fingerprint(now)
        if [f.cleaned_data["id"] for f in formset.ordered_forms] == orders[kind]:
            seen[formset.seen_order_name()] = ",".join(str(pk) for pk in orders[kind])
    return seen


@login_required
@require_http_methods(["GET", "POST"])
def conclusion_add(request, city, round, kind):
    city, round, report = report_for_user(request.user, city, round, edit=True)
    if kind not in Conclusion.Kind.values:
        raise Http404
    form = AddConclusionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        conclusion = add_conclusion(
            city, round, request.user, kind, form.cleaned_data["text"], form.cleaned_data["topics"]
        )
        messages.success(
            request,
            _("Added conclusion %(number)s to “%(list)s”.")
            % {"number": conclusion.position, "list": KIND_LABELS[kind]},
        )
        url = reverse("reports:edit", kwargs={"city": city.slug, "round": round.name})
        return redirect(f"{url}#conclusion-{conclusion.pk}")
    context = {
        "city": city,
        "round": round,
        "form": form,
        "kind": kind,
        "label": KIND_LABELS[kind],
        "errors": error_summary_of(form) if form.is_bound else [],
    }
    return render(request, "reports/report_conclusion_add.html", context, status=400 if form.is_bound else 200)


def error_summary_of(form):
    anchors = {"text": form["text"].id_for_label, "topics": f"{form['topics'].auto_id}_0"}
    return [
        (f"{form[name].label}: {message}", anchors[name]) for name, errors in form.errors.items() for message in errors
    ]


@login_required
@require_http_methods(["GET", "POST"])
def conclusion_remove(request, city, round, conclusion):
    city, round, report = report_for_user(request.user, city, round, edit=True)
    conclusion_id = conclusion
    conclusion = report.conclusions.prefetch_related("topics").filter(pk=conclusion_id).first() if report else None
    editor = reverse("reports:edit", kwargs={"city": city.slug, "round": round.name})
    if conclusion is None:
        messages.info(request, _("That conclusion is not in the report (any more)."))
        return redirect(editor)
    form = RemoveConclusionForm(request.POST or None, initial={"seen": fingerprint(content(conclusion))})
    if request.method == "POST" and form.is_valid():
        try:
            remove_conclusion(report, request.user, conclusion.pk, seen=form.cleaned_data["seen"])
        except StaleReport as error:
            messages.error(request, _("Not removed: %(error)s Look at it again.") % {"error": error})
            return redirect(request.path)
        messages.success(
            request, _("Removed the conclusion “%(text)s”; the history keeps it.") % {"text": conclusion.text[:80]}
        )
        return redirect(editor)
    context = {
        "city": city,
        "round": round,
        "conclusion": conclusion,
        "form": form,
        "label": KIND_LABELS[conclusion.kind],
        "topics": [t.name for t in conclusion.topics.all()],
    }
    return render(request, "reports/report_conclusion_remove.html", context, status=400 if form.is_bound else 200)

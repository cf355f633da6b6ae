"""Rating a module for a city and round, and the group results.

Each participant rates for themselves; who may rate and who may read the results is decided in
`assessments.permissions.self_assessment_for_user`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_safe

from assessments.permissions import can_rate, self_assessment_for_user
from guidance.forms import SelfAssessmentForm, label_of
from guidance.models import GuidanceModule
from guidance.rating import StaleSave, assessment_of, current_choices, merge, save_ratings
from guidance.results import build_results
from translations.lookup import with_translations


def module_or_404(number):
    return get_object_or_404(GuidanceModule.objects.prefetch_related(*with_translations("")), number=number)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def rate(request, module, city, round):
    city, round = self_assessment_for_user(request.user, city, round, rate=True)
    module = module_or_404(module)
    statements = list(module.statements.prefetch_related(*with_translations("")).order_by("position"))
    status = 200
    if request.method == "POST":
        form = SelfAssessmentForm(request.POST, statements=statements)
        if form.is_valid():
            try:
                _, kept = save_ratings(
                    request.user,
                    city,
                    round,
                    module,
                    statements,
                    version=form.cleaned_data["version"],
                    seen=form.seen(),
                    mine=form.chosen(),
                )
            except StaleSave as stale:
                return _conflict(request, city, round, module, statements, form, stale)
            messages.success(request, gettext("Your ratings are saved."))
            if kept:
                numbers = ", ".join(s.number for s in statements if s.pk in kept)
                messages.info(
                    request,
                    gettext("Ratings you saved meanwhile in another window are kept for %(numbers)s.")
                    % {"numbers": numbers},
                )
            return redirect("guidance:results", module.number, city.slug, round.name)
        status = 400
    else:
        form = _form_for(request.user, city, round, module, statements)
    return render(request, "guidance/rate.html", _context(city, round, module, form), status=status)


def _context(city, round, module, form, conflicts=()):
    by_statement = {c["statement"].pk: c for c in conflicts}
    rows = [
        {"statement": s, "field": field, "seen": seen, "conflict": by_statement.get(s.pk)}
        for s, field, seen in form.rows()
    ]
    return {"city": city, "round": round, "module": module, "form": form, "rows": rows, "conflicts": conflicts}


def _form_for(user, city, round, module, statements):
    assessment = assessment_of(user, city, round, module)
    current = current_choices(assessment, statements)
    initial = {"version": assessment.version if assessment else 0}
    for s in statements:
        initial[SelfAssessmentForm.score_name(s)] = initial[SelfAssessmentForm.seen_name(s)] = current[s.pk]
    return SelfAssessmentForm(initial=initial, statements=statements)


def _conflict(request, city, round, module, statements, form, stale):
    """Nothing was saved. Show the page again, based on what is saved now: the participant's own
    choices where both sides changed a statement (with the saved value beside them), what was
    saved meanwhile elsewhere, so that saving again is a deliberate choice."""
    assessment = assessment_of(request.user, city, round, module)
    current = current_choices(assessment, statements)
    mine = form.chosen()
    merged, conflicts = merge(form.seen(), mine, current)
    data = {"version": assessment.version if assessment else 0}
    for s in statements:
        data[form.score_name(s)] = merged.get(s.pk, mine[s.pk])
        data[form.seen_name(s)] = current[s.pk]
    by_pk = {s.pk: s for s in statements}
    shown = [
        {"statement": by_pk[c.statement_id], "mine": label_of(c.mine), "theirs": label_of(c.theirs)} for c in conflicts
    ]
    messages.error(
        request,
        gettext(
            "Nothing was saved: your ratings were changed in another window meanwhile. "
            "Check the statements marked below and save again."
        ),
    )
    fresh = SelfAssessmentForm(data, statements=statements)
    fresh.is_valid()
    return render(request, "guidance/rate.html", _context(city, round, module, fresh, shown), status=409)


@login_required
@require_safe
def results(request, module, city, round):
    city, round = self_assessment_for_user(request.user, city, round)
    data = build_results(city, round, module_or_404(module))
    return render(request, "guidance/results.html", {"data": data, "can_rate": can_rate(request.user, city)})

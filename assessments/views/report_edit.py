"""Editing a city report: the two texts and the two lists of conclusions with their topics.

The form carries the report's version; a save based on an older one that collides with
what somebody else saved shows both, part by part, and lets the person choose.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django.utils.translation import gettext as _, gettext_lazy

from assessments.editing import REPORT_TEXTS, ReportConflict, report_parts, save_report
from assessments.forms import CityReportForm, ConclusionFormSet, conclusion_initial
from assessments.models import CityReport, Conclusion, RoundClosed, Topic
from assessments.permissions import report_for_user

PART_LABELS = {
    "national_context": gettext_lazy("National context"),
    "city_observations": gettext_lazy("City-level observations"),
    Conclusion.Kind.SHARE: gettext_lazy("May share its experiences with regard to"),
    Conclusion.Kind.LOOK_AT: gettext_lazy("May look at"),
}


def _forms(data, report):
    if report is not None:
        report = CityReport.objects.prefetch_related("conclusions__topics").get(pk=report.pk)
    form = CityReportForm(data, instance=report, initial={"version": report.version if report else 0})
    lists = {
        kind: ConclusionFormSet(data, prefix=kind, initial=conclusion_initial(report, kind))
        for kind in Conclusion.Kind.values
    }
    return form, lists


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, slug, round):
    city, round, report = report_for_user(request.user, slug, round, edit=True)
    if round.closed and request.method == "POST":
        messages.error(request, str(RoundClosed(round)))
        return redirect("city_report", slug=city.slug, round_name=round.name)
    form, lists = _forms(request.POST or None, report)
    conflict = None
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in lists.values()):
        mine = {name: form.cleaned_data[name] for name in REPORT_TEXTS}
        mine.update({kind: formset.entries() for kind, formset in lists.items()})
        contested = [part for part in request.POST.getlist("contested") if part in PART_LABELS]
        choices = {part: request.POST.get(f"choice-{part}") for part in contested}
        for part, choice in choices.items():
            if choice == "theirs":
                mine.pop(part)
        try:
            unchosen = [part for part, choice in choices.items() if choice not in ("mine", "theirs")]
            if unchosen:
                raise ReportConflict(CityReport.objects.filter(city=city, round=round).first(), unchosen)
            saved, changed = save_report(city, round, request.user, mine, version=form.cleaned_data["version"])
        except ReportConflict as error:
            conflict = _conflict_context(error, mine)
            conflict["unchosen"] = bool(contested)
            data = request.POST.copy()
            data["version"] = error.report.version if error.report else 0
            form, lists = _forms(data, report)
            form.is_valid()
        else:
            if changed:
                messages.success(request, _("Saved the report: %(parts)s.") % {
                    "parts": ", ".join(str(PART_LABELS[p]).lower() for p in changed)})
            else:
                messages.info(request, _("Nothing had changed: nothing to save."))
            return redirect("report_edit", slug=city.slug, round=round.name)
    context = {
        "city": city, "round": round, "report": report, "form": form,
        "lists": [(kind, PART_LABELS[kind], lists[kind]) for kind in Conclusion.Kind.values],
        "conflict": conflict,
    }
    status = 409 if conflict else 400 if request.method == "POST" else 200
    return render(request, "assessments/report_form.html", context, status=status)


def _conflict_context(error, mine):
    theirs = report_parts(error.report)
    topics = dict(Topic.objects.values_list("pk", "name"))

    def show(part, value):
        if part in REPORT_TEXTS:
            return [value] if value else ["(empty)"]
        return [f"{text} [{', '.join(sorted(topics[t] for t in ids))}]" for text, ids in value] or ["(no conclusions)"]

    by = error.report.updated_by if error.report else None
    return {
        "by": by.get_username() if by else "somebody else",
        "at": error.report.updated_at if error.report else None,
        "parts": [
            {"name": part, "label": PART_LABELS[part], "theirs": show(part, theirs[part]), "mine": show(part, mine[part])}
            for part in error.parts
        ],
    }

"""A city report's history, and restoring a text or a conclusion to what it was before a change."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.changes import Reason, reason
from assessments.permissions import can_edit, report_for_user
from assessments.models import Topic
from reports.editing import GONE, TEXTS, StaleReport, content, current_parts, fingerprint, restore
from reports.forms import RestoreForm
from reports.history import change_to_restore, describe, conclusion_id, report_history as history_of

PAGE_SIZE = 50


@login_required
def report_history(request, city, round):
    city, round, report = report_for_user(request.user, city, round)
    changes = history_of(report) if report else []
    page = Paginator(changes, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "city": city,
        "round": round,
        "report": report,
        "page": page,
        "may_restore": can_edit(request.user, city),
    }
    return render(request, "reports/report_history.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report_restore(request, city, round, part, record):
    city, round, report = report_for_user(request.user, city, round, edit=True)
    if report is None or part not in (*TEXTS, "conclusion"):
        raise Http404
    change = change_to_restore(report, part, record)
    if change is None:
        raise Http404
    target = part if part in TEXTS else f"conclusion-{conclusion_id(record)}"
    texts, conclusions, _orders = current_parts(report)
    now = texts[part] if part in TEXTS else content(conclusions.get(int(target.removeprefix("conclusion-"))))
    form = RestoreForm(request.POST or None, initial={"seen": fingerprint(now)})
    if request.method == "POST" and form.is_valid():
        try:
            changed = restore(
                report,
                request.user,
                target,
                change.before,
                seen=form.cleaned_data["seen"],
                reason=reason(Reason.RESTORE, at=change.at.isoformat()),
            )
        except StaleReport as error:
            messages.error(request, _("Not restored: %(error)s Look at it again.") % {"error": error})
            return redirect(request.path)
        if changed:
            messages.success(
                request,
                _("Restored what it was before this change: %(what)s. The restore is itself in the history.")
                % {"what": change.subject},
            )
        else:
            messages.info(request, _("It already was like that: nothing to restore."))
        return redirect("reports:history", city=city.slug, round=round.name)
    names = dict(Topic.objects.values_list("pk", "name"))
    context = {
        "city": city,
        "round": round,
        "change": change,
        "form": form,
        "now": describe(now, names),
        "then": describe(change.before, names),
        "removes": change.before is GONE,
        "revives": now is GONE,
        "same": fingerprint(now) == fingerprint(change.before),
    }
    return render(request, "reports/report_restore.html", context, status=400 if form.is_bound else 200)

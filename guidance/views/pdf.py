"""The group results of a self-assessment as a PDF, rendered by the project's one PDF module."""

from django.contrib.auth.decorators import login_required
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from assessments.permissions import self_assessment_for_user
from downloads.views import pdf_download
from guidance.results import build_results
from guidance.views.self_assessment import module_or_404


@login_required
@require_safe
def results_pdf(request, module, city, round):
    city, round = self_assessment_for_user(request.user, city, round)
    data = build_results(city, round, module_or_404(module))
    filename = f"mega-{city.slug}-{slugify(round.name)}-self-assessment-module-{slugify(data['module'].number)}.pdf"
    back_url = reverse("guidance:results", args=[data["module"].number, city.slug, round.name])
    return pdf_download(
        request, lambda: render_to_string("guidance/results_pdf.html", {"data": data}), filename, back_url
    )

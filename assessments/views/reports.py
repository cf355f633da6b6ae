"""The city report and each assessment sheet, as web pages and as PDF downloads."""
import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from assessments import pdf
from assessments.permissions import can_edit, report_for_user, sheet_for_user
from assessments.report_data import report_data, sheet_data
from translations.languages import in_requested_language

logger = logging.getLogger(__name__)


def download(content, filename, content_type):
    """A file download: attachment with a clear name, never stored by shared caches."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    patch_cache_control(response, private=True, no_cache=True)
    return response


def pdf_download(request, make_pdf, filename, back_url):
    try:
        content = make_pdf()
    except pdf.PdfError:
        logger.exception("rendering %s failed", filename)
        context = {"filename": filename, "back_url": back_url}
        return render(request, "assessments/report_pdf_error.html", context, status=500)
    return download(content, filename, "application/pdf")


@login_required
@require_safe
@in_requested_language
def city_report(request, slug, round_name):
    city, round, report = report_for_user(request.user, slug, round_name)
    return render(request, "assessments/report.html", {
        "data": report_data(city, round, report), "may_edit": can_edit(request.user, city),
    })


@login_required
@require_safe
@in_requested_language
def city_report_pdf(request, slug, round_name):
    city, round, report = report_for_user(request.user, slug, round_name)
    return pdf_download(
        request, lambda: pdf.report_pdf(city, round, report), pdf.report_filename(city, round),
        reverse("city_report", args=[city.slug, round.name]),
    )


@login_required
@require_safe
@in_requested_language
def sheet_report(request, pk):
    sheet = sheet_for_user(request.user, pk)
    context = {"sheet": sheet_data(sheet), "report_url": reverse("city_report", args=[sheet.city.slug, sheet.round.name])}
    return render(request, "assessments/sheet_report.html", context)


@login_required
@require_safe
@in_requested_language
def sheet_pdf(request, pk):
    sheet = sheet_for_user(request.user, pk)
    return pdf_download(
        request, lambda: pdf.sheet_pdf(sheet), pdf.sheet_filename(sheet), reverse("sheet_report", args=[sheet.pk])
    )

"""The city report and each assessment sheet, as web pages and as PDF downloads."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from assessments.permissions import can_edit, report_for_user, sheet_for_user
from downloads.store import document
from downloads.views import pdf_download
from reports import pdf
from reports.data import report_data, report_is_draft, sheet_data
from translations.languages import in_requested_language


@login_required
@require_safe
@in_requested_language
def city_report(request, city, round):
    city, round, report = report_for_user(request.user, city, round)
    return render(
        request,
        "reports/report.html",
        {
            "data": report_data(city, round, report),
            "may_edit": can_edit(request.user, city),
        },
    )


@login_required
@require_safe
@in_requested_language
def city_report_pdf(request, city, round):
    city, round, report = report_for_user(request.user, city, round)
    return pdf_download(
        request,
        lambda: pdf.report_html(city, round, report),
        pdf.report_filename(city, round),
        reverse("reports:city", args=[city.slug, round.name]),
        key=pdf.report_cache_key(city, round, report),
        document=document("report", report.pk) if report else None,
        draft=report_is_draft(city, round),
    )


@login_required
@require_safe
@in_requested_language
def sheet_report(request, sheet):
    sheet = sheet_for_user(request.user, sheet)
    context = {
        "sheet": sheet_data(sheet),
        "report_url": reverse("reports:city", args=[sheet.city.slug, sheet.round.name]),
    }
    return render(request, "reports/sheet_report.html", context)


@login_required
@require_safe
@in_requested_language
def sheet_pdf(request, sheet):
    sheet = sheet_for_user(request.user, sheet)
    return pdf_download(
        request,
        lambda: pdf.sheet_html(sheet),
        pdf.sheet_filename(sheet),
        reverse("reports:sheet", args=[sheet.pk]),
        document=document("sheet", sheet.pk),
        draft=sheet.status != sheet.Status.VALIDATED,
    )

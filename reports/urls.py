"""The city report and each sheet in HTML and PDF, the data exports, and the report editor with
its history."""

from django.urls import path

from reports.views import edit, exports, history, pages

app_name = "reports"

urlpatterns = [
    path("cities/<slug:city>/<str:round>/", pages.city_report, name="city"),
    path("cities/<slug:city>/<str:round>/report.pdf", pages.city_report_pdf, name="city_pdf"),
    path("cities/<slug:city>/<str:round>/answers.csv", exports.answers_csv, name="answers_csv"),
    path("cities/<slug:city>/<str:round>/answers.xlsx", exports.answers_xlsx, name="answers_xlsx"),
    path("cities/<slug:city>/<str:round>/exchange.json", exports.exchange_json, name="exchange_json"),
    path("sheets/<int:sheet>/report/", pages.sheet_report, name="sheet"),
    path("sheets/<int:sheet>/sheet.pdf", pages.sheet_pdf, name="sheet_pdf"),
    path("cities/<slug:city>/<str:round>/edit/", edit.report_edit, name="edit"),
    path("cities/<slug:city>/<str:round>/edit/autosave/", edit.report_autosave, name="autosave"),
    path("cities/<slug:city>/<str:round>/edit/add/<str:kind>/", edit.conclusion_add, name="conclusion_add"),
    path(
        "cities/<slug:city>/<str:round>/edit/conclusions/<int:conclusion>/remove/",
        edit.conclusion_remove,
        name="conclusion_remove",
    ),
    path("cities/<slug:city>/<str:round>/edit/history/", history.report_history, name="history"),
    path(
        "cities/<slug:city>/<str:round>/edit/history/<str:part>/<int:record>/restore/",
        history.report_restore,
        name="restore",
    ),
]

"""Reading a benchmarking: the city report and each sheet in HTML and PDF, and the data exports."""
from django.urls import path

from assessments.views import exports, reports

urlpatterns = [
    path("cities/<slug:slug>/<str:round_name>/", reports.city_report, name="city_report"),
    path("cities/<slug:slug>/<str:round_name>/report.pdf", reports.city_report_pdf, name="city_report_pdf"),
    path("cities/<slug:slug>/<str:round_name>/answers.csv", exports.answers_csv, name="city_answers_csv"),
    path("cities/<slug:slug>/<str:round_name>/answers.xlsx", exports.answers_xlsx, name="city_answers_xlsx"),
    path("cities/<slug:slug>/<str:round_name>/exchange.json", exports.exchange_json, name="city_exchange_json"),
    path("sheets/<int:pk>/report/", reports.sheet_report, name="sheet_report"),
    path("sheets/<int:pk>/sheet.pdf", reports.sheet_pdf, name="sheet_pdf"),
]

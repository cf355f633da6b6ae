"""URLs of the benchmarking. Editing (sheets, report texts) and reading (reports, PDFs, exports)
live in their own modules so each concern is seen at a glance."""
from django.urls import include, path

from assessments.views import home

urlpatterns = [
    path("", home.home, name="home"),
    path("", include("assessments.urls_editor")),
    path("", include("assessments.urls_reports")),
    path("", include("assessments.urls_matching")),
]

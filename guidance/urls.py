from django.urls import path

from guidance.views import pages, pdf, self_assessment

app_name = "guidance"

urlpatterns = [
    path("", pages.index, name="index"),
    path("search/", pages.search, name="search"),
    path("<str:module>/", pages.module, name="module"),
    path("<str:module>/self-assessment/<slug:city>/<str:round>/", self_assessment.rate, name="rate"),
    path("<str:module>/self-assessment/<slug:city>/<str:round>/results/", self_assessment.results, name="results"),
    path("<str:module>/self-assessment/<slug:city>/<str:round>/results.pdf", pdf.results_pdf, name="results_pdf"),
    path("<str:module>/<str:number>/", pages.statement, name="statement"),
]

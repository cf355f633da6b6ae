"""Matching cities for mutual learning and comparing them (issue 5)."""
from django.urls import path

from assessments.views import matching

urlpatterns = [
    path("rounds/<str:round_name>/matching/", matching.matching, name="matching"),
    path("cities/<slug:slug>/<str:round_name>/partners/", matching.partners, name="city_partners"),
    path("cities/<slug:slug>/<str:round_name>/suggestions/", matching.suggestions, name="city_suggestions"),
    path("cities/<slug:slug>/<str:round_name>/suggestions/add/", matching.add_suggestion,
         name="city_suggestion_add"),
    path("cities/<slug:slug>/<str:round_name>/comparison/", matching.comparison, name="city_comparison"),
    path("cities/<slug:slug>/<str:round_name>/comparison.pdf", matching.comparison_pdf, name="city_comparison_pdf"),
    path("cities/<slug:slug>/<str:round_name>/new-round/", matching.new_round, name="city_new_round"),
    path("cities/<slug:slug>/rounds/<str:before>/<str:after>/", matching.round_comparison, name="city_rounds"),
]

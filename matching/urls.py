"""Matching cities for mutual learning and comparing them: the round's matching grid, a city's
partners and suggestions, its comparison with the cohort, and its rounds over time."""

from django.urls import path

from matching import views

app_name = "matching"

urlpatterns = [
    path("rounds/<str:round>/matching/", views.matching, name="round"),
    path("cities/<slug:city>/<str:round>/partners/", views.partners, name="partners"),
    path("cities/<slug:city>/<str:round>/suggestions/", views.suggestions, name="suggestions"),
    path("cities/<slug:city>/<str:round>/suggestions/add/", views.add_suggestion, name="suggestion_add"),
    path("cities/<slug:city>/<str:round>/comparison/", views.comparison, name="comparison"),
    path("cities/<slug:city>/<str:round>/comparison.pdf", views.comparison_pdf, name="comparison_pdf"),
    path("cities/<slug:city>/<str:round>/new-round/", views.new_round, name="new_round"),
    path("cities/<slug:city>/rounds/<str:before>/<str:after>/", views.round_comparison, name="rounds"),
]

"""Editing a benchmarking: the sheet editor and its autosave, respondent columns, the review
workflow, the history, and the city report texts."""
from django.urls import path

from assessments.views import history, report_edit, report_history, respondents, sheets

urlpatterns = [
    path("sheets/<int:pk>/", sheets.sheet_edit, name="sheet_edit"),
    path("sheets/<int:pk>/answer/", sheets.sheet_answer, name="sheet_answer"),
    path("sheets/<int:pk>/submit/", sheets.sheet_submit, name="sheet_submit"),
    path("sheets/<int:pk>/validate/", sheets.sheet_transition, {"action": "validate"}, name="sheet_validate"),
    path("sheets/<int:pk>/return/", sheets.sheet_transition, {"action": "return"}, name="sheet_return"),
    path("sheets/<int:pk>/reopen/", sheets.sheet_transition, {"action": "reopen"}, name="sheet_reopen"),
    path("sheets/<int:pk>/history/", history.sheet_history_view, name="sheet_history"),
    path("sheets/<int:pk>/history/<int:record>/restore/", history.sheet_restore, name="sheet_restore"),
    path("sheets/<int:pk>/respondents/", respondents.sheet_respondents, name="sheet_respondents"),
    path("sheets/<int:pk>/respondents/<int:respondent>/", respondents.respondent_edit, name="respondent_edit"),
    path("sheets/<int:pk>/respondents/<int:respondent>/move/", respondents.respondent_move, name="respondent_move"),
    path(
        "sheets/<int:pk>/respondents/<int:respondent>/remove/", respondents.respondent_remove,
        name="respondent_remove",
    ),
    path("cities/<slug:slug>/<str:round>/edit/", report_edit.report_edit, name="report_edit"),
    path("cities/<slug:slug>/<str:round>/edit/autosave/", report_edit.report_autosave, name="report_autosave"),
    path(
        "cities/<slug:slug>/<str:round>/edit/add/<str:kind>/", report_edit.conclusion_add,
        name="report_conclusion_add",
    ),
    path(
        "cities/<slug:slug>/<str:round>/edit/conclusions/<int:pk>/remove/", report_edit.conclusion_remove,
        name="report_conclusion_remove",
    ),
    path("cities/<slug:slug>/<str:round>/edit/history/", report_history.report_history, name="report_history"),
    path(
        "cities/<slug:slug>/<str:round>/edit/history/<str:part>/<int:record>/restore/", report_history.report_restore,
        name="report_restore",
    ),
]

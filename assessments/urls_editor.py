"""Editing a benchmarking: the sheet editor and its autosave, respondent columns, the review
workflow, the history, and the city report texts."""
from django.urls import path

from assessments.views import history, report_edit, respondents, sheets

urlpatterns = [
    path("sheets/<int:pk>/", sheets.sheet_edit, name="sheet_edit"),
    path("sheets/<int:pk>/answer/", sheets.sheet_answer, name="sheet_answer"),
    path("sheets/<int:pk>/submit/", sheets.sheet_submit, name="sheet_submit"),
    path("sheets/<int:pk>/validate/", sheets.sheet_transition, {"action": "validate"}, name="sheet_validate"),
    path("sheets/<int:pk>/return/", sheets.sheet_transition, {"action": "return"}, name="sheet_return"),
    path("sheets/<int:pk>/reopen/", sheets.sheet_transition, {"action": "reopen"}, name="sheet_reopen"),
    path("sheets/<int:pk>/history/", history.sheet_history_view, name="sheet_history"),
    path("sheets/<int:pk>/history/restore/", history.sheet_restore, name="sheet_restore"),
    path("sheets/<int:pk>/respondents/", respondents.sheet_respondents, name="sheet_respondents"),
    path("sheets/<int:pk>/respondents/<int:respondent>/", respondents.respondent_edit, name="respondent_edit"),
    path("sheets/<int:pk>/respondents/<int:respondent>/move/", respondents.respondent_move, name="respondent_move"),
    path(
        "sheets/<int:pk>/respondents/<int:respondent>/remove/", respondents.respondent_remove,
        name="respondent_remove",
    ),
    path("cities/<slug:slug>/<str:round>/edit/", report_edit.report_edit, name="report_edit"),
]

"""The sheet editor: answering and its autosave, respondent columns, the review workflow and the
sheet's history. Reading a sheet (its report and PDF) is in `reports.urls`."""

from django.urls import path

from assessments.views import history, respondents, sheets

app_name = "sheets"

urlpatterns = [
    path("sheets/<int:sheet>/", sheets.sheet_edit, name="edit"),
    path("sheets/<int:sheet>/answer/", sheets.sheet_answer, name="answer"),
    path("sheets/<int:sheet>/submit/", sheets.sheet_submit, name="submit"),
    path("sheets/<int:sheet>/validate/", sheets.sheet_transition, {"action": "validate"}, name="validate"),
    path("sheets/<int:sheet>/return/", sheets.sheet_transition, {"action": "return"}, name="return"),
    path("sheets/<int:sheet>/reopen/", sheets.sheet_transition, {"action": "reopen"}, name="reopen"),
    path("sheets/<int:sheet>/history/", history.sheet_history_view, name="history"),
    path("sheets/<int:sheet>/history/<int:record>/restore/", history.sheet_restore, name="restore"),
    path("sheets/<int:sheet>/respondents/", respondents.sheet_respondents, name="respondents"),
    path("sheets/<int:sheet>/respondents/<int:respondent>/", respondents.respondent_edit, name="respondent_edit"),
    path("sheets/<int:sheet>/respondents/<int:respondent>/move/", respondents.respondent_move, name="respondent_move"),
    path(
        "sheets/<int:sheet>/respondents/<int:respondent>/remove/",
        respondents.respondent_remove,
        name="respondent_remove",
    ),
]

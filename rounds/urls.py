"""The pages programme staff run rounds with."""
from django.urls import path

from rounds import views

app_name = "rounds"

urlpatterns = [
    path("", views.round_list, name="list"),
    path("new/", views.round_create, name="create"),
    path("<str:round_name>/", views.round_dashboard, name="dashboard"),
    path("<str:round_name>/edit/", views.round_edit, name="edit"),
    path("<str:round_name>/dashboard.csv", views.round_dashboard_csv, name="dashboard_csv"),
    path("<str:round_name>/cities/add/", views.round_add_city, name="add_city"),
    path("<str:round_name>/cities/<slug:slug>/remove/", views.round_remove_city, name="remove_city"),
    path("<str:round_name>/close/", views.round_close_or_reopen, {"close": True}, name="close"),
    path("<str:round_name>/reopen/", views.round_close_or_reopen, {"close": False}, name="reopen"),
]

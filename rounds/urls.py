"""The pages programme staff run rounds with."""

from django.urls import path

from rounds import views

app_name = "rounds"

urlpatterns = [
    path("", views.round_list, name="list"),
    path("new/", views.round_create, name="create"),
    path("<str:round>/", views.round_dashboard, name="dashboard"),
    path("<str:round>/edit/", views.round_edit, name="edit"),
    path("<str:round>/dashboard.csv", views.round_dashboard_csv, name="dashboard_csv"),
    path("<str:round>/cities/add/", views.round_add_city, name="add_city"),
    path("<str:round>/cities/<slug:city>/remove/", views.round_remove_city, name="remove_city"),
    path("<str:round>/close/", views.round_close_or_reopen, {"close": True}, name="close"),
    path("<str:round>/reopen/", views.round_close_or_reopen, {"close": False}, name="reopen"),
]

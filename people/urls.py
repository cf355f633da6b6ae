from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("", views.index, name="index"),
    path("invite/", views.invite, name="invite"),
    path("invitations/<int:pk>/resend/", views.resend, name="resend"),
    path("invitations/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("accounts/<int:pk>/active/", views.set_active, name="set_active"),
    path("join/<str:token>/", views.accept_link, name="accept_link"),
    path("join/", views.accept, name="accept"),
    path("profile/", views.profile, name="profile"),
]

from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("", views.index, name="index"),
    path("invite/", views.invite, name="invite"),
    path("invitations/<int:invitation>/resend/", views.resend, name="resend"),
    path("invitations/<int:invitation>/revoke/", views.revoke, name="revoke"),
    path("accounts/<int:account>/active/", views.set_active, name="set_active"),
    path("join/<str:token>/", views.accept_link, name="accept_link"),
    path("join/", views.accept, name="accept"),
    path("profile/", views.profile, name="profile"),
]

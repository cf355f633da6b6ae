from django.urls import path

from assessments import views

urlpatterns = [
    path("", views.home, name="home"),
]

"""The site's URLs plus a view that fails, to see the 500 page as a user would."""

from django.urls import include, path


def boom(request):
    return 1 / 0


urlpatterns = [path("boom/", boom), path("", include("mega.urls"))]

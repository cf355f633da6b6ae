from django.contrib import admin
from django.urls import include, path

from mega.health import healthz

admin.site.site_header = "MEGA Benchmark administration"
admin.site.site_title = "MEGA Benchmark"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("guidance/", include("guidance.urls")),
    path("rounds/", include("rounds.urls")),
    path("", include("assessments.urls")),
]

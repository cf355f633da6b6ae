from django.contrib import admin
from django.urls import include, path

from mega.health import healthz
from mega.password_reset import ThrottledPasswordResetView

admin.site.site_header = "MEGA Benchmark administration"
admin.site.site_title = "MEGA Benchmark"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Before Django's own: the reset request is throttled.
    path("accounts/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("guidance/", include("guidance.urls")),
    path("people/", include("people.urls")),
    path("", include("assessments.urls")),
]

from django.contrib import admin
from django.urls import include, path

from mega.health import healthz
from mega.auth_views import SignOutView, ThrottledPasswordResetView

admin.site.site_header = "MEGA Benchmark administration"
admin.site.site_title = "MEGA Benchmark"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Before Django's own: the reset request is throttled, signing out clears the browser's storage.
    path("accounts/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("accounts/logout/", SignOutView.as_view(), name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("guidance/", include("guidance.urls")),
    path("", include("assessments.urls")),
]

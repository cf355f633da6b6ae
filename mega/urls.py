from django.contrib import admin
from django.contrib.auth import urls as auth_urls
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from assessments.views.home import home
from mega.auth_views import SignOutView, ThrottledPasswordResetView
from mega.health import healthz

admin.site.site_header = "MEGA Benchmark administration"
admin.site.site_title = "MEGA Benchmark"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Django's sign-in views, but the reset request is throttled and signing out clears the
    # browser's storage (mega/auth_views.py).
    path("accounts/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("accounts/logout/", SignOutView.as_view(), name="logout"),
    path("accounts/", include([p for p in auth_urls.urlpatterns if p.name not in {"password_reset", "logout"}])),
    path("i18n/", include("django.conf.urls.i18n")),
    # The scripts' texts in the reader's language (locale/*/LC_MESSAGES/djangojs.po).
    path("i18n/js/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("guidance/", include("guidance.urls")),
    path("people/", include("people.urls")),
    path("rounds/", include("rounds.urls")),
    path("", home, name="home"),
    # The benchmarking, one app per subject; the paths are the same as before the split.
    path("", include("assessments.urls")),
    path("", include("reports.urls")),
    path("", include("matching.urls")),
]

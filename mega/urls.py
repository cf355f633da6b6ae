from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from mega.health import healthz

admin.site.site_header = "MEGA Benchmark administration"
admin.site.site_title = "MEGA Benchmark"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The scripts' texts in the reader's language (locale/*/LC_MESSAGES/djangojs.po).
    path("i18n/js/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("guidance/", include("guidance.urls")),
    path("", include("assessments.urls")),
]

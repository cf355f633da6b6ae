from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.i18n import JavaScriptCatalog
from django.views.generic import RedirectView

from mega.health import healthz

admin.site.site_header = "MEGA Benchmark administration"
admin.site.site_title = "MEGA Benchmark"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Browsers and feed readers ask for /favicon.ico; the file is a static one (hashed name in
    # production, so the redirect is temporary). Lazy: the manifest is read on the first request.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.ico")), name="favicon"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The scripts' texts in the reader's language (locale/*/LC_MESSAGES/djangojs.po).
    path("i18n/js/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("guidance/", include("guidance.urls")),
    path("", include("assessments.urls")),
]

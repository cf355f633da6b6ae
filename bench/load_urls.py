"""bench/load.sh only: the site plus two views that show how fast the sheet editor could be at best.

Never part of the deployed site (`mega.urls` does not include them); gunicorn loads them with
DJANGO_SETTINGS_MODULE=bench.load_settings.

- `/bench/signed-in/`: a signed-in request and nothing else: session, user, an empty answer.
- `/bench/sheet-ceiling/<pk>/`: what the editor cannot skip while it reads permissions afresh on
  every request: the signed-in user, the sheet and the user's roles from the database, the grid
  from the cache, returned as it is (no page around it, no review history, no workflow buttons).
"""
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from assessments import editor_cache
from assessments.permissions import can_edit, sheet_for_user
from assessments.views.sheets import _render_grid
from mega.urls import urlpatterns as site_urlpatterns


@login_required
def signed_in(request):
    return HttpResponse(b"")


@login_required
def sheet_ceiling(request, pk):
    sheet = sheet_for_user(request.user, pk)
    editable = can_edit(request.user, sheet.city) and sheet.is_editable
    return HttpResponse(editor_cache.grid(sheet, editable, lambda: _render_grid(sheet, editable))["html"])


urlpatterns = site_urlpatterns + [
    path("bench/signed-in/", signed_in),
    path("bench/sheet-ceiling/<int:pk>/", sheet_ceiling),
]

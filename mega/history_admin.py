"""django-simple-history's admin, with its history URLs checked before they reach the database.

`/admin/<app>/<model>/<id>/history/<version>/` takes any text for both ids; the library passes it
to the query as it is, so `…/history/x/` was a server error. Here an id that is not a whole number
of the size the database holds is simply not found (404).
"""

from django.http import Http404
from simple_history import admin as simple_history_admin

LARGEST_ID = 2**63 - 1


def _whole_number(text):
    return str(text).isascii() and str(text).isdigit() and int(text) <= LARGEST_ID


class SimpleHistoryAdmin(simple_history_admin.SimpleHistoryAdmin):
    def history_view(self, request, object_id, extra_context=None):
        if not _whole_number(object_id):
            raise Http404
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not (_whole_number(object_id) and _whole_number(version_id)):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)

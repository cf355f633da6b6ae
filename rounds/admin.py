from django.contrib import admin

from rounds.models import ArchivedBenchmarking


@admin.register(ArchivedBenchmarking)
class ArchivedBenchmarkingAdmin(admin.ModelAdmin):
    list_display = ["city", "round", "archived_at", "archived_by"]
    list_filter = ["round"]
    readonly_fields = ["city", "round", "document", "contents", "archived_at", "archived_by"]

    def has_add_permission(self, request):
        return False

from django.contrib import admin

from assessments.changes import Reason, RecordsChangesAdmin, reason
from assessments.forms import AnswerAdminForm
from assessments.models import (
    Answer,
    Checklist,
    CityReport,
    Conclusion,
    Level,
    Respondent,
    Round,
    Sheet,
    Statement,
    Topic,
)
from assessments.resources import AnswerResource, StatementResource
from mega.history_admin import SimpleHistoryAdmin
from mega.limits import LimitedImportExportModelAdmin
from translations.admin import (
    ChecklistTranslationInline,
    LevelTranslationInline,
    StatementTranslationInline,
    TopicTranslationInline,
)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug", "description"]
    inlines = [TopicTranslationInline]


class LevelInline(admin.StackedInline):
    model = Level
    extra = 0
    max_num = 3
    show_change_link = True


class StatementInline(admin.TabularInline):
    model = Statement
    extra = 0
    fields = ["position", "text", "topics"]
    filter_horizontal = ["topics"]


@admin.register(Checklist)
class ChecklistAdmin(admin.ModelAdmin):
    list_display = ["__str__", "stakeholder_type", "version"]
    list_filter = ["stakeholder_type"]
    search_fields = ["outcome", "levels__statements__text"]
    inlines = [LevelInline, ChecklistTranslationInline]


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ["__str__", "checklist"]
    list_filter = ["checklist__stakeholder_type", "number"]
    search_fields = ["name", "description", "statements__text"]
    inlines = [StatementInline, LevelTranslationInline]


@admin.register(Statement)
class StatementAdmin(LimitedImportExportModelAdmin):
    resource_classes = [StatementResource]
    list_display = ["text", "level", "position"]
    list_filter = ["level__checklist__stakeholder_type", "level__checklist__version", "level__number", "topics"]
    search_fields = ["text"]
    filter_horizontal = ["topics"]
    list_select_related = ["level__checklist__stakeholder_type"]
    inlines = [StatementTranslationInline]


class ClosedRoundReadOnly:
    """A closed round's sheets, columns and answers are read-only here too (staff reopen the round
    on its dashboard); `round_of` finds an object's round."""

    round_of = staticmethod(lambda obj: obj.round)

    def _closed(self, obj):
        return obj is not None and obj.pk is not None and self.round_of(obj).closed

    def has_change_permission(self, request, obj=None):
        return not self._closed(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._closed(obj) and super().has_delete_permission(request, obj)


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "due_on", "closed"]
    search_fields = ["name"]


class RespondentInline(admin.TabularInline):
    model = Respondent
    extra = 0
    fields = ["position", "organisation", "note"]
    autocomplete_fields = ["organisation"]


@admin.register(Sheet)
class SheetAdmin(ClosedRoundReadOnly, RecordsChangesAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "city", "round", "checklist", "status", "updated_at", "updated_by"]
    # By country, not by city: a filter would print every city. Search finds a city by name.
    list_filter = ["status", "round", "checklist__stakeholder_type", "city__country"]
    search_fields = ["city__name", "respondents__organisation__name"]
    autocomplete_fields = ["city"]
    list_select_related = ["city", "round", "checklist__stakeholder_type", "updated_by"]
    readonly_fields = ["version", "updated_at", "updated_by"]
    inlines = [RespondentInline]


@admin.register(Respondent)
class RespondentAdmin(ClosedRoundReadOnly, SimpleHistoryAdmin):
    round_of = staticmethod(lambda obj: obj.sheet.round)
    list_display = ["organisation", "sheet", "position", "note"]
    list_filter = ["sheet__round", "sheet__checklist__stakeholder_type", "sheet__city__country"]
    search_fields = ["organisation__name", "note", "sheet__city__name"]
    autocomplete_fields = ["sheet", "organisation"]
    list_select_related = ["organisation__city", "sheet__city", "sheet__round", "sheet__checklist__stakeholder_type"]


@admin.register(Answer)
class AnswerAdmin(ClosedRoundReadOnly, RecordsChangesAdmin, LimitedImportExportModelAdmin, SimpleHistoryAdmin):
    round_of = staticmethod(lambda obj: obj.respondent.sheet.round)
    resource_classes = [AnswerResource]
    list_display = ["statement", "respondent", "value", "note", "updated_at"]
    list_filter = [
        "value",
        "respondent__sheet__round",
        "respondent__sheet__checklist__stakeholder_type",
        "respondent__sheet__city__country",
    ]
    search_fields = ["statement__text", "note", "respondent__organisation__name"]
    list_select_related = ["statement", "respondent__organisation"]
    # Newest first, along the primary key: the model's order (sheet, level, statement, column)
    # sorts every answer of every round through four tables before showing the first hundred,
    # about a second at 10,000 cities. A column header still sorts by that column.
    ordering = ["-pk"]
    # A filtered list counts its own rows only, not every answer again for "of N in all".
    show_full_result_count = False
    raw_id_fields = ["respondent", "statement"]
    readonly_fields = ["version", "updated_at", "updated_by"]

    form = AnswerAdminForm

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        obj.respondent.sheet.touch(request.user, why=reason(Reason.ADMIN))


class ConclusionInline(admin.StackedInline):
    model = Conclusion
    extra = 0
    fields = ["kind", "position", "text", "topics"]
    filter_horizontal = ["topics"]


@admin.register(CityReport)
class CityReportAdmin(RecordsChangesAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "city", "round", "published", "updated_at"]
    list_filter = ["published", "round", "city__country"]
    autocomplete_fields = ["city"]
    search_fields = ["city__name", "national_context", "city_observations", "conclusions__text"]
    list_select_related = ["city", "round"]
    readonly_fields = ["version", "updated_at", "updated_by"]
    inlines = [ConclusionInline]


@admin.register(Conclusion)
class ConclusionAdmin(SimpleHistoryAdmin):
    list_display = ["text", "kind", "report"]
    list_filter = ["kind", "topics", "report__round"]
    search_fields = ["text"]
    filter_horizontal = ["topics"]
    list_select_related = ["report__city", "report__round"]
    autocomplete_fields = ["report"]

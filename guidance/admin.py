from django.contrib import admin

from assessments.changes import RecordsChangesAdmin
from guidance.models import (
    GuidanceBlock,
    GuidanceModule,
    GuidanceStatement,
    Rating,
    RecommendedAction,
    Reference,
    SelfAssessment,
    StatementLink,
)
from guidance.resources import GuidanceBlockResource, GuidanceStatementResource, RecommendedActionResource
from mega.history_admin import SimpleHistoryAdmin
from mega.limits import LimitedImportExportModelAdmin
from translations.admin import (
    GuidanceBlockTranslationInline,
    GuidanceModuleTranslationInline,
    GuidanceStatementTranslationInline,
    RecommendedActionTranslationInline,
)


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 0


@admin.register(GuidanceModule)
class GuidanceModuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "number"]
    search_fields = ["title", "introduction"]
    inlines = [ReferenceInline, GuidanceModuleTranslationInline]


class GuidanceBlockInline(admin.StackedInline):
    model = GuidanceBlock
    extra = 0
    fields = ["position", "kind", "ordered", "text", "items"]


class RecommendedActionInline(admin.TabularInline):
    model = RecommendedAction
    extra = 0


class StatementLinkInline(admin.TabularInline):
    model = StatementLink
    extra = 0
    raw_id_fields = ["statement"]
    fields = ["statement", "kind", "note"]


@admin.register(GuidanceStatement)
class GuidanceStatementAdmin(LimitedImportExportModelAdmin):
    resource_classes = [GuidanceStatementResource]
    list_display = ["number", "text", "module"]
    list_filter = ["module", "topics"]
    search_fields = ["number", "text", "summary", "blocks__text", "actions__text"]
    filter_horizontal = ["topics"]
    list_select_related = ["module"]
    inlines = [GuidanceBlockInline, RecommendedActionInline, StatementLinkInline, GuidanceStatementTranslationInline]


@admin.register(GuidanceBlock)
class GuidanceBlockAdmin(LimitedImportExportModelAdmin):
    resource_classes = [GuidanceBlockResource]
    list_display = ["__str__", "statement", "position", "kind", "ordered"]
    list_filter = ["statement", "kind"]
    search_fields = ["text"]
    list_select_related = ["statement"]
    inlines = [GuidanceBlockTranslationInline]


@admin.register(RecommendedAction)
class RecommendedActionAdmin(LimitedImportExportModelAdmin):
    resource_classes = [RecommendedActionResource]
    list_display = ["text", "statement", "position"]
    list_filter = ["statement"]
    search_fields = ["text"]
    list_select_related = ["statement"]
    inlines = [RecommendedActionTranslationInline]


@admin.register(StatementLink)
class StatementLinkAdmin(admin.ModelAdmin):
    """Corrections of the topic-derived links between MEGA and guidance statements."""

    list_display = ["statement", "kind", "guidance", "note"]
    list_filter = ["kind", "guidance", "statement__level__checklist__stakeholder_type"]
    search_fields = ["statement__text", "guidance__number", "guidance__text", "note"]
    raw_id_fields = ["statement"]
    list_select_related = ["statement", "guidance"]


class ReadOnlyRatings:
    """Ratings are the participants' own, changed on their page (which guards against lost edits);
    the admin shows them and their history, and may delete a whole assessment."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RatingInline(ReadOnlyRatings, admin.TabularInline):
    model = Rating
    extra = 0
    fields = ["statement", "score"]
    readonly_fields = ["statement", "score"]


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(RecordsChangesAdmin, SimpleHistoryAdmin):
    list_display = ["participant_name", "city", "round", "module", "version", "updated_at"]
    list_filter = ["round", "module", "city"]
    search_fields = ["participant_name", "city__name"]
    list_select_related = ["city", "round", "module"]
    raw_id_fields = ["participant"]
    readonly_fields = ["version", "updated_at", "updated_by"]
    inlines = [RatingInline]


@admin.register(Rating)
class RatingAdmin(ReadOnlyRatings, SimpleHistoryAdmin):
    list_display = ["__str__", "statement", "score", "assessment"]
    list_filter = ["statement", "assessment__city", "assessment__round"]
    search_fields = ["assessment__participant_name"]
    list_select_related = ["statement", "assessment__city", "assessment__round"]
    raw_id_fields = ["assessment"]

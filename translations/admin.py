"""Translations are edited inline on the checklist, level, statement and topic pages."""

from django.contrib import admin

from translations.models import (
    ChecklistTranslation,
    GuidanceBlockTranslation,
    GuidanceModuleTranslation,
    GuidanceStatementTranslation,
    LevelTranslation,
    RecommendedActionTranslation,
    StatementTranslation,
    TopicTranslation,
)


class ChecklistTranslationInline(admin.StackedInline):
    model = ChecklistTranslation
    extra = 0


class LevelTranslationInline(admin.StackedInline):
    model = LevelTranslation
    extra = 0


class StatementTranslationInline(admin.TabularInline):
    model = StatementTranslation
    extra = 0


class TopicTranslationInline(admin.TabularInline):
    model = TopicTranslation
    extra = 0


class GuidanceModuleTranslationInline(admin.StackedInline):
    model = GuidanceModuleTranslation
    extra = 0


class GuidanceStatementTranslationInline(admin.StackedInline):
    model = GuidanceStatementTranslation
    extra = 0


class GuidanceBlockTranslationInline(admin.StackedInline):
    model = GuidanceBlockTranslation
    extra = 0


class RecommendedActionTranslationInline(admin.TabularInline):
    model = RecommendedActionTranslation
    extra = 0


@admin.action(description="Mark the selected translations as reviewed")
def mark_reviewed(modeladmin, request, queryset):
    count = queryset.update(reviewed=True)
    modeladmin.message_user(request, f"{count} translation(s) marked as reviewed.")


class TranslationAdmin(admin.ModelAdmin):
    """One list per kind of text, to find the draft translations a person still has to confirm."""

    list_display = ["__str__", "language", "reviewed"]
    list_select_related = True
    list_filter = ["reviewed", "language"]
    actions = [mark_reviewed]


for model in (
    ChecklistTranslation,
    LevelTranslation,
    StatementTranslation,
    TopicTranslation,
    GuidanceModuleTranslation,
    GuidanceStatementTranslation,
    GuidanceBlockTranslation,
    RecommendedActionTranslation,
):
    admin.site.register(model, TranslationAdmin)

"""Translations are edited inline on the checklist, level, statement and topic pages."""
from django.contrib import admin

from translations.models import (
    ChecklistTranslation, GuidanceBlockTranslation, GuidanceStatementTranslation, LevelTranslation,
    RecommendedActionTranslation, StatementTranslation, TopicTranslation,
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


class GuidanceStatementTranslationInline(admin.StackedInline):
    model = GuidanceStatementTranslation
    extra = 0


class GuidanceBlockTranslationInline(admin.StackedInline):
    model = GuidanceBlockTranslation
    extra = 0


class RecommendedActionTranslationInline(admin.TabularInline):
    model = RecommendedActionTranslation
    extra = 0

"""Translations are edited inline on the checklist, level, statement and topic pages."""
from django.contrib import admin

from translations.models import ChecklistTranslation, LevelTranslation, StatementTranslation, TopicTranslation


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

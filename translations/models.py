"""Translations of the checklists' and topics' texts into the interface languages.

The original (English) text stays on the object; a translation is a row per object and
language, so a missing one simply shows the original. Answers and annotations are never
translated: they stay as typed.
"""

from django.conf import settings
from django.db import models

from assessments.models import Checklist, Level, Statement, Topic


def content_languages():
    """Languages a text can be translated into: every interface language but the original's."""
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


class TranslationManager(models.Manager):
    def get_by_natural_key(self, *key):
        """`key`: the translated object's natural key, then the language."""
        *parent_key, language = key
        parent_model = self.model._meta.get_field(self.model.parent_field).related_model
        try:
            parent = parent_model._default_manager.get_by_natural_key(*parent_key)
        except parent_model.DoesNotExist:
            raise self.model.DoesNotExist(f"No {parent_model._meta.verbose_name} {parent_key}.") from None
        return self.get(**{self.model.parent_field: parent}, language=language)


def translation_natural_key(parent_model):
    """A translation's natural key: the translated object's, then the language; `parent_model`
    ("app.model") must therefore be serialised first."""

    def natural_key(self):
        return self.parent.natural_key() + (self.language,)

    natural_key.dependencies = [parent_model]
    return natural_key


class Translation(models.Model):
    language = models.CharField(max_length=10, choices=content_languages)
    # Drafts shipped for a language (machine-made or by a non-native speaker) come unreviewed; a
    # translation typed or confirmed by a person in the admin is reviewed.
    reviewed = models.BooleanField(
        default=True,
        help_text="Confirmed by a person who reads the language. Untick for a draft translation.",
    )

    objects = TranslationManager()

    parent_field = None  # each kind names its foreign key to the translated object

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.get_language_display()}: {self.parent}"

    @property
    def parent(self):
        return getattr(self, self.parent_field)


class ChecklistTranslation(Translation):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="translations")
    outcome = models.TextField("final outcome statement", max_length=4000)

    parent_field = "checklist"

    class Meta:
        ordering = ["checklist", "language"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "language"], name="checklist_translation_unique_language"),
        ]

    natural_key = translation_natural_key("assessments.checklist")


class LevelTranslation(Translation):
    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="translations")
    name = models.CharField(max_length=120)
    description = models.TextField(max_length=4000)

    parent_field = "level"

    class Meta:
        ordering = ["level", "language"]
        constraints = [
            models.UniqueConstraint(fields=["level", "language"], name="level_translation_unique_language"),
        ]

    natural_key = translation_natural_key("assessments.level")


class StatementTranslation(Translation):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="translations")
    text = models.TextField(max_length=2000)

    parent_field = "statement"

    class Meta:
        ordering = ["statement", "language"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "language"], name="statement_translation_unique_language"),
        ]

    natural_key = translation_natural_key("assessments.statement")


class TopicTranslation(Translation):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="translations")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=1000)

    parent_field = "topic"

    class Meta:
        ordering = ["topic", "language"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "language"], name="topic_translation_unique_language"),
        ]

    natural_key = translation_natural_key("assessments.topic")


# --- the OECD guidance ------------------------------------------------------------------------


class GuidanceModuleTranslation(Translation):
    module = models.ForeignKey("guidance.GuidanceModule", on_delete=models.CASCADE, related_name="translations")
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True, max_length=4000)

    class Meta:
        ordering = ["module", "language"]
        constraints = [
            models.UniqueConstraint(fields=["module", "language"], name="guidance_module_translation_unique"),
        ]

    parent_field = "module"
    natural_key = translation_natural_key("guidance.guidancemodule")


class GuidanceStatementTranslation(Translation):
    statement = models.ForeignKey("guidance.GuidanceStatement", on_delete=models.CASCADE, related_name="translations")
    text = models.TextField(max_length=1000)
    summary = models.TextField(blank=True, max_length=4000)
    actions_intro = models.TextField(blank=True, max_length=1000)

    class Meta:
        ordering = ["statement", "language"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "language"], name="guidance_statement_translation_unique"),
        ]

    parent_field = "statement"
    natural_key = translation_natural_key("guidance.guidancestatement")


class GuidanceBlockTranslation(Translation):
    block = models.ForeignKey("guidance.GuidanceBlock", on_delete=models.CASCADE, related_name="translations")
    text = models.TextField(blank=True, max_length=8000, help_text="Paragraphs only.")
    items = models.JSONField(default=list, blank=True, help_text="Lists only: the items, as a JSON list of strings.")

    parent_field = "block"

    class Meta:
        ordering = ["block", "language"]
        constraints = [
            models.UniqueConstraint(fields=["block", "language"], name="guidance_block_translation_unique"),
        ]

    natural_key = translation_natural_key("guidance.guidanceblock")


class RecommendedActionTranslation(Translation):
    action = models.ForeignKey("guidance.RecommendedAction", on_delete=models.CASCADE, related_name="translations")
    text = models.TextField(max_length=2000)

    parent_field = "action"

    class Meta:
        ordering = ["action", "language"]
        constraints = [
            models.UniqueConstraint(fields=["action", "language"], name="recommended_action_translation_unique"),
        ]

    natural_key = translation_natural_key("guidance.recommendedaction")

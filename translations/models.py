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


class Translation(models.Model):
    language = models.CharField(max_length=10, choices=content_languages)
    # Drafts shipped for a language (machine-made or by a non-native speaker) come unreviewed; a
    # translation typed or confirmed by a person in the admin is reviewed.
    reviewed = models.BooleanField(
        default=True, help_text="Confirmed by a person who reads the language. Untick for a draft translation.",
    )

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.get_language_display()}: {self.parent}"


class ChecklistTranslationManager(models.Manager):
    def get_by_natural_key(self, stakeholder_type_slug, version, language):
        return self.get(checklist=Checklist.objects.get_by_natural_key(stakeholder_type_slug, version), language=language)


class ChecklistTranslation(Translation):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="translations")
    outcome = models.TextField("final outcome statement", max_length=4000)

    objects = ChecklistTranslationManager()

    class Meta:
        ordering = ["checklist", "language"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "language"], name="checklist_translation_unique_language"),
        ]

    @property
    def parent(self):
        return self.checklist

    def natural_key(self):
        return self.checklist.natural_key() + (self.language,)

    natural_key.dependencies = ["assessments.checklist"]


class LevelTranslationManager(models.Manager):
    def get_by_natural_key(self, stakeholder_type_slug, version, number, language):
        return self.get(level=Level.objects.get_by_natural_key(stakeholder_type_slug, version, number), language=language)


class LevelTranslation(Translation):
    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="translations")
    name = models.CharField(max_length=120)
    description = models.TextField(max_length=4000)

    objects = LevelTranslationManager()

    class Meta:
        ordering = ["level", "language"]
        constraints = [
            models.UniqueConstraint(fields=["level", "language"], name="level_translation_unique_language"),
        ]

    @property
    def parent(self):
        return self.level

    def natural_key(self):
        return self.level.natural_key() + (self.language,)

    natural_key.dependencies = ["assessments.level"]


class StatementTranslationManager(models.Manager):
    def get_by_natural_key(self, stakeholder_type_slug, version, number, position, language):
        statement = Statement.objects.get_by_natural_key(stakeholder_type_slug, version, number, position)
        return self.get(statement=statement, language=language)


class StatementTranslation(Translation):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="translations")
    text = models.TextField(max_length=2000)

    objects = StatementTranslationManager()

    class Meta:
        ordering = ["statement", "language"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "language"], name="statement_translation_unique_language"),
        ]

    @property
    def parent(self):
        return self.statement

    def natural_key(self):
        return self.statement.natural_key() + (self.language,)

    natural_key.dependencies = ["assessments.statement"]


class TopicTranslationManager(models.Manager):
    def get_by_natural_key(self, slug, language):
        return self.get(topic__slug=slug, language=language)


class TopicTranslation(Translation):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="translations")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=1000)

    objects = TopicTranslationManager()

    class Meta:
        ordering = ["topic", "language"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "language"], name="topic_translation_unique_language"),
        ]

    @property
    def parent(self):
        return self.topic

    def natural_key(self):
        return self.topic.natural_key() + (self.language,)

    natural_key.dependencies = ["assessments.topic"]


# --- the OECD guidance ------------------------------------------------------------------------

class GuidanceStatementTranslationManager(models.Manager):
    def get_by_natural_key(self, number, language):
        return self.get(statement__number=number, language=language)


class GuidanceStatementTranslation(Translation):
    statement = models.ForeignKey(
        "guidance.GuidanceStatement", on_delete=models.CASCADE, related_name="translations"
    )
    text = models.TextField(max_length=1000)
    summary = models.TextField(blank=True, max_length=4000)
    actions_intro = models.TextField(blank=True, max_length=1000)

    objects = GuidanceStatementTranslationManager()

    class Meta:
        ordering = ["statement", "language"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "language"], name="guidance_statement_translation_unique"),
        ]

    @property
    def parent(self):
        return self.statement

    def natural_key(self):
        return self.statement.natural_key() + (self.language,)

    natural_key.dependencies = ["guidance.guidancestatement"]


class GuidanceBlockTranslationManager(models.Manager):
    def get_by_natural_key(self, statement_number, position, language):
        return self.get(block__statement__number=statement_number, block__position=position, language=language)


class GuidanceBlockTranslation(Translation):
    block = models.ForeignKey("guidance.GuidanceBlock", on_delete=models.CASCADE, related_name="translations")
    text = models.TextField(blank=True, max_length=8000, help_text="Paragraphs only.")
    items = models.JSONField(default=list, blank=True, help_text="Lists only: the items, as a JSON list of strings.")

    objects = GuidanceBlockTranslationManager()

    class Meta:
        ordering = ["block", "language"]
        constraints = [
            models.UniqueConstraint(fields=["block", "language"], name="guidance_block_translation_unique"),
        ]

    @property
    def parent(self):
        return self.block

    def natural_key(self):
        return self.block.natural_key() + (self.language,)

    natural_key.dependencies = ["guidance.guidanceblock"]


class RecommendedActionTranslationManager(models.Manager):
    def get_by_natural_key(self, statement_number, position, language):
        return self.get(action__statement__number=statement_number, action__position=position, language=language)


class RecommendedActionTranslation(Translation):
    action = models.ForeignKey(
        "guidance.RecommendedAction", on_delete=models.CASCADE, related_name="translations"
    )
    text = models.TextField(max_length=2000)

    objects = RecommendedActionTranslationManager()

    class Meta:
        ordering = ["action", "language"]
        constraints = [
            models.UniqueConstraint(fields=["action", "language"], name="recommended_action_translation_unique"),
        ]

    @property
    def parent(self):
        return self.action

    def natural_key(self):
        return self.action.natural_key() + (self.language,)

    natural_key.dependencies = ["guidance.recommendedaction"]

"""The OECD/EU Better Entrepreneurship Policy Tool guidance and the cities' self-assessment against it.

A guidance module (module 6, "Expanding Networks for Migrant Entrepreneurs") has good-practice
statements (6.1–6.6); each has a summary, guidance text kept as blocks (paragraphs and lists) and
recommended actions. Cities rate each statement from 0 to 10, or "no answer"; several people of
a city rate independently and the results are aggregated (see `guidance.results`).

MEGA statements are linked to guidance statements through shared topics, corrected by an admin
with `StatementLink` rows (see `guidance.links`).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from assessments.changes import RecordsChanges
from assessments.models import Round, Statement, Topic
from stakeholders.models import City
from translations.lookup import with_translations

MAX_SCORE = 10


class GuidanceModuleManager(models.Manager):
    def get_by_natural_key(self, number):
        return self.get(number=number)


class GuidanceModule(models.Model):
    """One module of the policy tool, e.g. 6 "Expanding Networks for Migrant Entrepreneurs"."""

    number = models.CharField(max_length=10, unique=True, help_text="As the tool numbers it, e.g. '6'.")
    title = models.CharField(max_length=200)
    introduction = models.TextField(max_length=4000)

    objects = GuidanceModuleManager()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def natural_key(self):
        return (self.number,)

    def get_absolute_url(self):
        return reverse("guidance:module", args=[self.number])


class ReferenceManager(models.Manager):
    def get_by_natural_key(self, module_number, position):
        return self.get(module__number=module_number, position=position)


class Reference(models.Model):
    """A publication the guidance note refers to for further discussion."""

    module = models.ForeignKey(GuidanceModule, on_delete=models.CASCADE, related_name="references")
    position = models.PositiveSmallIntegerField()
    text = models.TextField(max_length=1000)

    objects = ReferenceManager()

    class Meta:
        ordering = ["module", "position"]
        constraints = [
            models.UniqueConstraint(fields=["module", "position"], name="reference_unique_position"),
        ]

    def __str__(self):
        return self.text[:80]

    def natural_key(self):
        return self.module.natural_key() + (self.position,)

    natural_key.dependencies = ["guidance.guidancemodule"]


class GuidanceStatementQuerySet(models.QuerySet):
    def with_content(self):
        """Everything a statement page, a search or a report shows, in a fixed number of queries,
        the texts in the active language included."""
        return self.select_related("module").prefetch_related(
            "topics", "blocks", "actions", *with_translations("", "topics", "blocks", "actions")
        )


class GuidanceStatementManager(models.Manager.from_queryset(GuidanceStatementQuerySet)):
    def get_by_natural_key(self, number):
        return self.get(number=number)


class GuidanceStatement(models.Model):
    """A good-practice statement, e.g. 6.1 "Needs assessments are used to identify …"."""

    module = models.ForeignKey(GuidanceModule, on_delete=models.CASCADE, related_name="statements")
    number = models.CharField(
        max_length=10, unique=True, help_text="As the tool numbers it, e.g. '6.1'; part of the exchange format."
    )
    position = models.PositiveSmallIntegerField(help_text="Order within the module, from 1.")
    text = models.TextField(max_length=1000)
    summary = models.TextField(max_length=4000, help_text="The paragraph that opens the statement's guidance.")
    actions_intro = models.TextField(
        max_length=1000, help_text="The sentence before the recommended actions, e.g. '… policy makers should:'."
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="guidance_statements")

    objects = GuidanceStatementManager()

    class Meta:
        ordering = ["module__number", "position"]
        constraints = [
            models.UniqueConstraint(fields=["module", "position"], name="guidance_statement_unique_position"),
        ]

    def __str__(self):
        return f"{self.number} {self.text[:80]}"

    def natural_key(self):
        return (self.number,)

    natural_key.dependencies = ["guidance.guidancemodule", "assessments.topic"]

    def get_absolute_url(self):
        return reverse("guidance:statement", args=[self.module.number, self.number])


class GuidanceBlockManager(models.Manager):
    def get_by_natural_key(self, statement_number, position):
        return self.get(statement__number=statement_number, position=position)


class GuidanceBlock(models.Model):
    """A piece of a statement's guidance text: a paragraph, or a list (kept as a list, not flattened)."""

    class Kind(models.TextChoices):
        PARAGRAPH = "paragraph", "Paragraph"
        LIST = "list", "List"

    statement = models.ForeignKey(GuidanceStatement, on_delete=models.CASCADE, related_name="blocks")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PARAGRAPH)
    ordered = models.BooleanField(default=False, help_text="Lists only: numbered (1., 2., …) rather than bulleted.")
    text = models.TextField(blank=True, max_length=8000, help_text="Paragraphs only.")
    items = models.JSONField(default=list, blank=True, help_text="Lists only: the items, as a JSON list of strings.")

    objects = GuidanceBlockManager()

    class Meta:
        ordering = ["statement", "position"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "position"], name="guidance_block_unique_position"),
            models.CheckConstraint(condition=Q(kind__in=["paragraph", "list"]), name="guidance_block_kind_valid"),
            # Only a list can be numbered; a paragraph marked "ordered" would be a silent mistake.
            models.CheckConstraint(
                condition=Q(kind="list") | Q(ordered=False), name="guidance_block_only_lists_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.statement.number} block {self.position} ({self.get_kind_display()})"

    def natural_key(self):
        return self.statement.natural_key() + (self.position,)

    natural_key.dependencies = ["guidance.guidancestatement"]

    def clean(self):
        if self.kind == self.Kind.PARAGRAPH:
            if not self.text.strip():
                raise ValidationError({"text": "A paragraph needs its text."})
            if self.items:
                raise ValidationError({"items": "A paragraph has no items; make it a list or remove them."})
        else:
            if (
                not isinstance(self.items, list)
                or not self.items
                or not all(isinstance(item, str) and item.strip() for item in self.items)
            ):
                raise ValidationError({"items": "A list needs its items, as a JSON list of non-empty strings."})
            if self.text.strip():
                raise ValidationError({"text": "A list has items, not text; make it a paragraph or move the text."})


class RecommendedActionManager(models.Manager):
    def get_by_natural_key(self, statement_number, position):
        return self.get(statement__number=statement_number, position=position)


class RecommendedAction(models.Model):
    """One of the things policy makers should do about a statement."""

    statement = models.ForeignKey(GuidanceStatement, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveSmallIntegerField()
    text = models.TextField(max_length=2000)

    objects = RecommendedActionManager()

    class Meta:
        ordering = ["statement", "position"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "position"], name="recommended_action_unique_position"),
        ]

    def __str__(self):
        return f"{self.statement.number}.{self.position} {self.text[:80]}"

    def natural_key(self):
        return self.statement.natural_key() + (self.position,)

    natural_key.dependencies = ["guidance.guidancestatement"]


class StatementLink(models.Model):
    """An admin's correction of the links between MEGA and guidance statements.

    Statements sharing a topic are linked without any row here; a row adds a link the topics do
    not give, or removes one they give.
    """

    class Kind(models.TextChoices):
        ADD = "add", "Add this link"
        REMOVE = "remove", "Remove this link"

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="guidance_links")
    guidance = models.ForeignKey(GuidanceStatement, on_delete=models.CASCADE, related_name="statement_links")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    note = models.TextField(blank=True, max_length=1000, help_text="Why the topics are not enough here.")

    class Meta:
        ordering = ["guidance", "statement"]
        constraints = [
            # Adding and removing the same link at once would be contradictory.
            models.UniqueConstraint(fields=["statement", "guidance"], name="statement_link_unique_pair"),
            models.CheckConstraint(condition=Q(kind__in=["add", "remove"]), name="statement_link_kind_valid"),
        ]

    def __str__(self):
        verb = "linked to" if self.kind == self.Kind.ADD else "not linked to"
        return f"{self.statement} – {verb} {self.guidance.number}"


class SelfAssessmentQuerySet(models.QuerySet):
    def of(self, city, round, module):
        return self.filter(city=city, round=round, module=module)


class SelfAssessment(RecordsChanges, models.Model):
    """One participant's ratings of one module, for a city in a round.

    The participant is named by `participant_name` (their username when they rated here); an
    assessment imported from another installation keeps the name even when no such user exists.
    """

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="self_assessments")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="self_assessments")
    module = models.ForeignKey(GuidanceModule, on_delete=models.PROTECT, related_name="self_assessments")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="self_assessments"
    )
    participant_name = models.CharField(max_length=150)
    # Optimistic locking: every save bumps it; a save based on an older one is merged or refused.
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SelfAssessmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["city__name", "-round__name", "module__number", "participant_name"]
        constraints = [
            # Each person rates once per city, round and module; they change their ratings, not add more.
            models.UniqueConstraint(
                fields=["city", "round", "module", "participant_name"], name="self_assessment_unique_participant_name"
            ),
            models.UniqueConstraint(
                fields=["city", "round", "module", "participant"], name="self_assessment_unique_participant"
            ),
        ]

    def __str__(self):
        return f"{self.city} {self.round} – module {self.module.number} – {self.participant_name}"


class Rating(models.Model):
    """A participant's rating of one statement: 0–10, or no score for "no answer".

    No row at all means "not rated yet"; neither "no answer" nor "not rated" counts in averages.
    """

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="ratings")
    statement = models.ForeignKey(GuidanceStatement, on_delete=models.PROTECT, related_name="ratings")
    score = models.PositiveSmallIntegerField(null=True, blank=True, help_text="0 to 10; empty means “no answer”.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "statement__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "statement"], name="rating_unique_per_statement"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=MAX_SCORE), name="rating_score_0_to_10"
            ),
        ]

    def __str__(self):
        shown = "no answer" if self.score is None else self.score
        return f"{self.statement.number}: {shown} ({self.assessment.participant_name})"

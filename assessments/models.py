"""The MEGA benchmarking: checklists, rounds, assessment sheets, answers and city reports."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _, pgettext_lazy
from simple_history.models import HistoricalRecords

from assessments.changes import RecordsChanges
from stakeholders.models import City, Organisation, StakeholderType

MAX_NOTE_LENGTH = 4000
MAX_REPORT_TEXT_LENGTH = 50000


class TopicManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Topic(models.Model):
    """A theme of the MEGA policy agenda; cities are matched on topics."""

    slug = models.SlugField(max_length=60, unique=True, help_text="Part of the exchange format: never rename.")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=1000)

    objects = TopicManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class ChecklistManager(models.Manager):
    def get_by_natural_key(self, stakeholder_type_slug, version):
        return self.get(stakeholder_type__slug=stakeholder_type_slug, version=version)


class Checklist(models.Model):
    """One stakeholder type's checklist, in one version.

    Answers point at the statements of the version they were given to, so a changed
    checklist is a new version and never rewrites answers given to an older one.
    """

    stakeholder_type = models.ForeignKey(StakeholderType, on_delete=models.PROTECT, related_name="checklists")
    version = models.CharField(max_length=20, default="1")
    outcome = models.TextField("final outcome statement", max_length=4000)

    objects = ChecklistManager()

    class Meta:
        ordering = ["stakeholder_type__position", "version"]
        constraints = [
            models.UniqueConstraint(fields=["stakeholder_type", "version"], name="checklist_unique_version"),
        ]

    def __str__(self):
        return f"{self.stakeholder_type} checklist v{self.version}"

    def natural_key(self):
        return (self.stakeholder_type.slug, self.version)

    natural_key.dependencies = ["stakeholders.stakeholdertype"]

    def is_answered(self):
        return Answer.objects.filter(statement__level__checklist=self).exists()


class LevelManager(models.Manager):
    def get_by_natural_key(self, stakeholder_type_slug, version, number):
        return self.get(
            checklist__stakeholder_type__slug=stakeholder_type_slug, checklist__version=version, number=number
        )


class Level(models.Model):
    class Number(models.IntegerChoices):
        BASIC = 1, _("Laying the foundations")
        INTERMEDIATE = 2, _("Expanding the work")
        ADVANCED = 3, _("Making the work normal practice")

    # "Milan's checklist at the basic level of performance"
    PERFORMANCE = {
        1: pgettext_lazy("level of performance", "basic"),
        2: pgettext_lazy("level of performance", "intermediate"),
        3: pgettext_lazy("level of performance", "advanced"),
    }

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField(choices=Number.choices)
    name = models.CharField(max_length=120)
    description = models.TextField(max_length=4000)

    objects = LevelManager()

    class Meta:
        ordering = ["checklist", "number"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "number"], name="level_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=3), name="level_number_1_to_3"),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"

    def natural_key(self):
        return self.checklist.natural_key() + (self.number,)

    natural_key.dependencies = ["assessments.checklist"]

    @property
    def performance(self):
        return str(self.PERFORMANCE[self.number])

    def checklist_heading(self, city_name):
        """ "Milan’s checklist at the basic level of performance", in the reader's language."""
        return gettext("%(city)s’s checklist at the %(performance)s level of performance") % {
            "city": city_name,
            "performance": self.performance,
        }


class StatementManager(models.Manager):
    def get_by_natural_key(self, stakeholder_type_slug, version, level_number, position):
        return self.get(
            level__checklist__stakeholder_type__slug=stakeholder_type_slug,
            level__checklist__version=version,
            level__number=level_number,
            position=position,
        )


class Statement(models.Model):
    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="statements")
    position = models.PositiveSmallIntegerField(help_text="Order within the level, from 1.")
    text = models.TextField(max_length=2000)
    topics = models.ManyToManyField(Topic, blank=True, related_name="statements")

    objects = StatementManager()

    class Meta:
        ordering = ["level__checklist", "level__number", "position"]
        constraints = [
            models.UniqueConstraint(fields=["level", "position"], name="statement_unique_position"),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def number(self):
        """ "2.3": the level's number and the position within it, printed beside the statement in
        every sheet, report and export so that a reference to it can be followed."""
        return f"{self.level.number}.{self.position}"

    def natural_key(self):
        return self.level.natural_key() + (self.position,)

    natural_key.dependencies = ["assessments.level", "assessments.topic"]


class RoundManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Round(models.Model):
    """A benchmarking round, e.g. '2018'; cities are compared within a round."""

    name = models.CharField(max_length=40, unique=True)
    starts_on = models.DateField(_("opening date"), null=True, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True, help_text=_("Sheets are due on this day."))
    publishes_on = models.DateField(_("publication date"), null=True, blank=True)
    checklists = models.ManyToManyField(
        "Checklist",
        blank=True,
        related_name="rounds",
        help_text=_("The checklist version each stakeholder type answers in this round."),
    )
    # A closed round's sheets are read-only; staff may reopen it.
    closed = models.BooleanField(_("closed"), default=False)

    objects = RoundManager()
    history = HistoricalRecords(excluded_fields=["checklists"])

    class Meta:
        ordering = ["-name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)

    def sheets_stamp(self):
        """A value that changes whenever one of the round's sheets, answers or columns changes,
        for caching figures computed from the whole round: every such change is recorded on its
        sheet (`Sheet.touch`: a new version), and a sheet added or removed changes the count."""
        stamp = self.sheets.aggregate(
            count=models.Count("id"), versions=models.Sum("version"), last=models.Max("updated_at")
        )
        last = stamp["last"].isoformat() if stamp["last"] else ""
        return f"{stamp['count']}.{stamp['versions'] or 0}.{last}"

    def clean(self):
        dates = [
            (self.starts_on, _("opening date")),
            (self.due_on, _("due date")),
            (self.publishes_on, _("publication date")),
        ]
        given = [(day, label) for day, label in dates if day is not None]
        for (earlier, first), (later, second) in zip(given, given[1:]):
            if later < earlier:
                raise ValidationError(
                    _("The %(second)s cannot come before the %(first)s.") % {"first": first, "second": second}
                )

    def checklist_of_type(self):
        """{stakeholder type id: the checklist version the round uses for it}."""
        return {c.stakeholder_type_id: c for c in self.checklists.select_related("stakeholder_type")}

    def cities(self):
        """The cities benchmarked in the round: those with sheets in it."""
        return City.objects.filter(sheets__round=self).distinct()

    def contents_of(self, city):
        """What `city` has written in the round: {what: how many}, zero everywhere while empty."""
        answers = Answer.objects.filter(respondent__sheet__city=city, respondent__sheet__round=self)
        report = CityReport.objects.filter(city=city, round=self).first()
        return {
            "answers": answers.exclude(value="").count(),
            "annotations": answers.exclude(note="").count(),
            "report_texts": sum(1 for text in (report.national_context, report.city_observations) if text)
            if report
            else 0,
            "conclusions": report.conclusions.count() if report else 0,
        }

    @transaction.atomic
    def add_city(self, city, user):
        """Start `city`'s benchmarking in the round: one sheet per checklist of the round, each with
        one respondent column (the city's organisation of that type, else a new one with a default
        name the officer can rename), and its empty report. Returns the new sheets."""
        if self.closed:
            raise ValidationError(_("Round %(round)s is closed: reopen it to add cities.") % {"round": self.name})
        if Sheet.objects.filter(city=city, round=self).exists():
            raise ValidationError(
                _("%(city)s is already in round %(round)s.") % {"city": city.name, "round": self.name}
            )
        checklists = sorted(self.checklist_of_type().values(), key=lambda c: c.stakeholder_type.position)
        if not checklists:
            raise ValidationError(_("Round %(round)s has no checklists: choose them first.") % {"round": self.name})
        organisations = {}
        for organisation in Organisation.objects.filter(city=city).order_by("name"):
            organisations.setdefault(organisation.stakeholder_type_id, organisation)
        sheets = []
        for checklist in checklists:
            stype = checklist.stakeholder_type
            organisation = (
                organisations.get(stype.pk)
                or Organisation.objects.get_or_create(
                    city=city,
                    name=gettext("%(type)s of %(city)s") % {"type": stype.display_name, "city": city.name},
                    defaults={"stakeholder_type": stype},
                )[0]
            )
            sheet = Sheet(city=city, round=self, checklist=checklist, updated_by=user)
            sheet._history_user = user
            sheet.save()
            respondent = Respondent(sheet=sheet, organisation=organisation, position=1)
            respondent._history_user = user
            respondent.save()
            sheets.append(sheet)
        CityReport.objects.get_or_create(city=city, round=self, defaults={"updated_by": user})
        return sheets

    def _set_closed(self, closed, user):
        with transaction.atomic():
            # Waits for saves in progress on the round's sheets, so none lands after the close.
            list(Sheet.objects.select_for_update().filter(round=self).values_list("pk", flat=True))
            self.closed = closed
            self._history_user = user
            self.save(update_fields=["closed"])

    def close(self, user):
        """Make the round's sheets and reports read-only."""
        self._set_closed(True, user)

    def reopen(self, user):
        self._set_closed(False, user)


class RoundClosed(PermissionDenied):
    """A write to a sheet or report of a closed round: refused (403) wherever nobody catches it."""

    def __init__(self, round):
        self.round = round
        super().__init__(_("Round %(round)s is closed: its sheets and reports are read-only.") % {"round": round.name})


class SheetQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(city__in=City.objects.for_user(user))


class SheetManager(models.Manager.from_queryset(SheetQuerySet)):
    def get_by_natural_key(self, city_slug, round, stakeholder_type_slug, version):
        return self.get(
            city__slug=city_slug,
            round__name=round,
            checklist__stakeholder_type__slug=stakeholder_type_slug,
            checklist__version=version,
        )


class Sheet(RecordsChanges, models.Model):
    """One checklist answered for one city in one round."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        VALIDATED = "validated", _("Validated")

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="sheets")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="sheets")
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="sheets")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Optimistic locking: every save bumps it; a save based on an older one is a conflict.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True, null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SheetManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["city__name", "-round__name", "checklist__stakeholder_type__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "checklist", "round"], name="sheet_unique_per_city_checklist_round"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "validated"]), name="sheet_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.city} {self.round} – {self.checklist.stakeholder_type}"

    def natural_key(self):
        return (self.city.slug, self.round.name) + self.checklist.natural_key()

    natural_key.dependencies = ["stakeholders.city", "assessments.round", "assessments.checklist"]

    @property
    def stakeholder_type(self):
        return self.checklist.stakeholder_type

    @property
    def title(self):
        return gettext("MEGA %(city)s’s assessment sheet – %(stakeholder_type)s") % {
            "city": self.city.name,
            "stakeholder_type": self.checklist.stakeholder_type.display_name,
        }

    @property
    def is_editable(self):
        """Only a draft of an open round can be changed: a submitted sheet is under review, a
        validated one final, and a closed round's sheets are read-only."""
        return self.status == self.Status.DRAFT and not self.round.closed

    def lock(self):
        """Lock the sheet's row until the transaction ends, and refresh what may have changed, so
        that two writes of one sheet never interleave."""
        locked = (
            Sheet.objects.select_for_update(of=("self",))
            .select_related("round")
            .only("status", "version", "round__closed")
            .get(pk=self.pk)
        )
        self.status, self.version = locked.status, locked.version
        self.round.closed = locked.round.closed
        return self

    def touch(self, user, *, fields=(), why=None):
        """Record that `user` changed the sheet (or its answers or columns): a new version."""
        self.record_change(user, why, update_fields=list(fields))


class SheetTransition(models.Model):
    """One step of the review workflow: who moved the sheet from which status to which, and why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", pgettext_lazy("review action", "Submitted")
        VALIDATE = "validate", pgettext_lazy("review action", "Validated")
        RETURN = "return", pgettext_lazy("review action", "Returned")
        REOPEN = "reopen", pgettext_lazy("review action", "Reopened")

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=10, choices=Action.choices)
    from_status = models.CharField(max_length=20, choices=Sheet.Status.choices)
    to_status = models.CharField(max_length=20, choices=Sheet.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True, max_length=MAX_NOTE_LENGTH)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            # The sheet page and the home page read a sheet's transitions newest first.
            models.Index(fields=["sheet", "-at"], name="transition_sheet_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["submit", "validate", "return", "reopen"]), name="transition_action_valid"
            ),
            models.CheckConstraint(
                condition=Q(from_status__in=["draft", "submitted", "validated"])
                & Q(to_status__in=["draft", "submitted", "validated"]),
                name="transition_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.sheet}: {self.get_action_display()} by {self.by or 'unknown'} on {self.at:%Y-%m-%d %H:%M}"


class RespondentManager(models.Manager):
    def get_by_natural_key(self, city_slug, round, stakeholder_type_slug, version, organisation_name):
        return self.get(
            sheet=Sheet.objects.get_by_natural_key(city_slug, round, stakeholder_type_slug, version),
            organisation__name=organisation_name,
        )


class Respondent(models.Model):
    """A column of a sheet: one organisation interviewed, with an optional header note."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="respondents")
    # RESTRICT, not PROTECT: an organisation that answered cannot be deleted on its own, but
    # deleting its whole city (sheets and organisations together) is allowed.
    organisation = models.ForeignKey(Organisation, on_delete=models.RESTRICT, related_name="respondents")
    position = models.PositiveSmallIntegerField(default=1)
    note = models.TextField(
        "header note",
        blank=True,
        max_length=MAX_NOTE_LENGTH,
        help_text="Printed as a footnote on the column header, e.g. the organisation's full name.",
    )

    objects = RespondentManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["sheet", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "organisation"], name="respondent_unique_per_sheet"),
        ]

    def __str__(self):
        return self.organisation.name

    @property
    def name(self):
        return self.organisation.name

    def natural_key(self):
        return self.sheet.natural_key() + (self.organisation.name,)

    natural_key.dependencies = ["assessments.sheet", "stakeholders.organisation"]


class AnswerManager(models.Manager):
    def get_by_natural_key(
        self, city_slug, round, stakeholder_type_slug, version, organisation_name, level_number, position
    ):
        return self.get(
            respondent=Respondent.objects.get_by_natural_key(
                city_slug, round, stakeholder_type_slug, version, organisation_name
            ),
            statement__level__number=level_number,
            statement__position=position,
        )


class Answer(RecordsChanges, models.Model):
    """One respondent's answer to one statement. No row means 'not yet answered'.

    Every change goes through `record_change` (or `stage_change` and `changes.save_recorded` for
    many at once): a new version, who, when, and a history record with the reason.
    """

    class Value(models.TextChoices):
        """The answer vocabulary, written once: the value, its label, its mark on a printed
        sheet (`mark`) and its lower-case form inside a sentence (`phrase`)."""

        YES = "yes", _("Yes")
        NO = "no", _("No")
        NO_DATA = "nd", _("No data")
        NOT_ANSWERED = "", _("Not answered")

        @property
        def mark(self):
            return {"yes": "✓", "no": "–", "nd": "n/d", "": ""}[self.value]

        @property
        def phrase(self):
            return {
                "yes": pgettext_lazy("answer", "yes"),
                "no": pgettext_lazy("answer", "no"),
                "nd": pgettext_lazy("answer", "no data"),
                "": pgettext_lazy("answer", "not answered"),
            }[self.value]

        @classmethod
        def given(cls):
            """The values of an answer given (yes, no, no data), without "not answered"."""
            return [value for value in cls.values if value]

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="answers")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="answers")
    value = models.CharField(max_length=3, choices=Value.choices, blank=True, default="")
    note = models.TextField("annotation", blank=True, max_length=MAX_NOTE_LENGTH)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True, null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AnswerManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["respondent__sheet", "statement__level__number", "statement__position", "respondent__position"]
        constraints = [
            models.UniqueConstraint(fields=["respondent", "statement"], name="answer_unique_per_statement_respondent"),
            models.CheckConstraint(condition=Q(value__in=["yes", "no", "nd", ""]), name="answer_value_valid"),
        ]

    def __str__(self):
        return f"{self.statement} – {self.respondent}: {self.get_value_display()}"

    def natural_key(self):
        return self.respondent.natural_key() + (self.statement.level.number, self.statement.position)

    natural_key.dependencies = ["assessments.respondent", "assessments.statement"]

    @property
    def is_answered(self):
        return bool(self.value)


class CityReportQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(Q(city__in=City.objects.for_user(user)) | Q(published=True))


class CityReportManager(models.Manager.from_queryset(CityReportQuerySet)):
    def get_by_natural_key(self, city_slug, round):
        return self.get(city__slug=city_slug, round__name=round)


class CityReport(RecordsChanges, models.Model):
    """The officer's observations and conclusions for one city in one round."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="reports")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="reports")
    national_context = models.TextField(blank=True, max_length=MAX_REPORT_TEXT_LENGTH)
    city_observations = models.TextField("city-level observations", blank=True, max_length=MAX_REPORT_TEXT_LENGTH)
    published = models.BooleanField(
        default=False, help_text="Published reports can be read by every signed-in user of the round."
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True, null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CityReportManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["city__name", "-round__name"]
        constraints = [
            models.UniqueConstraint(fields=["city", "round"], name="report_unique_per_city_round"),
        ]

    def __str__(self):
        return f"{self.city} {self.round} report"

    def natural_key(self):
        return (self.city.slug, self.round.name)

    natural_key.dependencies = ["stakeholders.city", "assessments.round"]


class ConclusionManager(models.Manager):
    def get_by_natural_key(self, city_slug, round, kind, position):
        return self.get(report__city__slug=city_slug, report__round__name=round, kind=kind, position=position)


class Conclusion(models.Model):
    """'<City> may share its experiences with regard to …' or '<City> may look at …'."""

    class Kind(models.TextChoices):
        SHARE = "share", _("May share its experiences with regard to")
        LOOK_AT = "look_at", _("May look at")

    report = models.ForeignKey(CityReport, on_delete=models.CASCADE, related_name="conclusions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(default=1)
    text = models.TextField(max_length=2000)
    topics = models.ManyToManyField(Topic, related_name="conclusions")

    objects = ConclusionManager()
    history = HistoricalRecords(m2m_fields=[topics])

    class Meta:
        ordering = ["report", "-kind", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "kind", "position"], name="conclusion_unique_position"),
            models.CheckConstraint(condition=Q(kind__in=["share", "look_at"]), name="conclusion_kind_valid"),
        ]

    def __str__(self):
        return self.text[:80]

    def natural_key(self):
        return self.report.natural_key() + (self.kind, self.position)

    natural_key.dependencies = ["assessments.cityreport"]


class LoadedFixture(models.Model):
    """A fixture `seed_demo` has loaded, with the digest of its file as it was. Run again, the
    command skips each fixture whose file has not changed since: objects deleted in the meantime
    stay deleted, and the check is one query instead of a natural-key look-up per object."""

    name = models.CharField(max_length=100, unique=True)
    digest = models.CharField(max_length=64, help_text="SHA-256 of the fixture file as loaded.")
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.name

"""Spreadsheet import and export (CSV, XLSX, JSON) of checklists and answers, for the admin.

Rows name things by their stable keys (stakeholder type slug, checklist version, level number,
position, topic slugs), never by database ids, so a file moves between installations. Every
row is checked; a file with any bad row imports nothing (IMPORT_EXPORT_USE_TRANSACTIONS).
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export import fields, widgets
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from mega.resources import AdminResource
from assessments import consolidation
from assessments.changes import Reason, reason
from assessments.models import Answer, Checklist, Level, Respondent, Sheet, Statement, Topic
from stakeholders.models import StakeholderType

LEVEL_NAMES = dict(Level.Number.choices)


class TopicSlugsWidget(widgets.ManyToManyWidget):
    """Comma-separated topic slugs; an unknown slug is an error, not silently dropped."""

    def __init__(self):
        super().__init__(Topic, separator=",", field="slug")

    def clean(self, value, row=None, **kwargs):
        slugs = [s.strip() for s in str(value or "").split(",") if s.strip()]
        topics = {t.slug: t for t in Topic.objects.filter(slug__in=slugs)}
        unknown = [s for s in slugs if s not in topics]
        if unknown:
            raise ValueError(f"unknown topic(s): {', '.join(unknown)}")
        return [topics[s] for s in slugs]


def _positive_int(row, column):
    raw = row.get(column)
    try:
        number = int(str(raw).strip())
    except (TypeError, ValueError):
        raise ValidationError({column: f"must be a whole number, not {raw!r}"}) from None
    if number < 1:
        raise ValidationError({column: f"must be 1 or more, not {number}"})
    return number


class StatementResource(AdminResource):
    stakeholder_type = fields.Field(column_name="stakeholder_type", readonly=True)
    version = fields.Field(column_name="version", readonly=True)
    level = fields.Field(column_name="level", readonly=True)
    position = fields.Field(attribute="position", column_name="position", widget=widgets.IntegerWidget())
    text = fields.Field(attribute="text", column_name="text")
    topics = fields.Field(attribute="topics", column_name="topics", widget=TopicSlugsWidget())
    # One column per translation language (text_it, text_fr, …); an empty cell means "none".
    text_it = fields.Field(column_name="text_it", readonly=True)
    text_fr = fields.Field(column_name="text_fr", readonly=True)
    text_de = fields.Field(column_name="text_de", readonly=True)
    text_es = fields.Field(column_name="text_es", readonly=True)

    TRANSLATION_COLUMNS = {"text_it": "it", "text_fr": "fr", "text_de": "de", "text_es": "es"}

    class Meta(AdminResource.Meta):
        model = Statement
        fields = (
            "stakeholder_type",
            "version",
            "level",
            "position",
            "text",
            "topics",
            "text_it",
            "text_fr",
            "text_de",
            "text_es",
        )
        export_order = fields

    def get_export_queryset(self, request=None, **kwargs):
        return Statement.objects.select_related("level__checklist__stakeholder_type").prefetch_related(
            "topics", "translations"
        )

    def _translation(self, statement, language):
        return next((t.text for t in statement.translations.all() if t.language == language), "")

    def dehydrate_text_it(self, statement):
        return self._translation(statement, "it")

    def dehydrate_text_fr(self, statement):
        return self._translation(statement, "fr")

    def dehydrate_text_de(self, statement):
        return self._translation(statement, "de")

    def dehydrate_text_es(self, statement):
        return self._translation(statement, "es")

    def _row_translations(self, row):
        """{language: text} for the translation columns present in the row."""
        return {
            language: str(row.get(column) or "").strip()
            for column, language in self.TRANSLATION_COLUMNS.items()
            if column in row
        }

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if instance.pk and any(
            text != self._translation(instance, language) for language, text in self._row_translations(row).items()
        ):
            return False
        return super().skip_row(instance, original, row, import_validation_errors=import_validation_errors)

    def after_save_instance(self, instance, row, **kwargs):
        for language, text in self._row_translations(row).items():
            if text:
                instance.translations.update_or_create(language=language, defaults={"text": text})
            else:
                instance.translations.filter(language=language).delete()

    def dehydrate_stakeholder_type(self, statement):
        return statement.level.checklist.stakeholder_type.slug

    def dehydrate_version(self, statement):
        return statement.level.checklist.version

    def dehydrate_level(self, statement):
        return statement.level.number

    # --- import: rows are keyed on (stakeholder type, version, level, position) -------------

    def _level(self, row):
        slug = str(row.get("stakeholder_type") or "").strip()
        version = str(row.get("version") or "").strip()
        number = _positive_int(row, "level")
        try:
            stakeholder_type = StakeholderType.objects.get(slug=slug)
        except StakeholderType.DoesNotExist:
            raise ValidationError({"stakeholder_type": f"unknown stakeholder type {slug!r}"}) from None
        if not version:
            raise ValidationError({"version": "must not be empty"})
        if number not in LEVEL_NAMES:
            raise ValidationError({"level": f"must be 1, 2 or 3, not {number}"})
        checklist = Checklist.objects.filter(stakeholder_type=stakeholder_type, version=version).first()
        if checklist is None:
            return None, (stakeholder_type, version, number)
        level = checklist.levels.filter(number=number).first()
        return level, (stakeholder_type, version, number)

    def get_instance(self, instance_loader, row):
        level, _ = self._level(row)
        if level is None:
            return None
        return Statement.objects.filter(level=level, position=_positive_int(row, "position")).first()

    def init_instance(self, row=None):
        level, (stakeholder_type, version, number) = self._level(row)
        if level is None:
            level = self._new_level(stakeholder_type, version, number)
        return Statement(level=level)

    def _new_level(self, stakeholder_type, version, number):
        """A row for a version that does not exist yet starts that version, copying the texts of
        the latest version of the same checklist so the admin only edits what changed."""
        previous = Checklist.objects.filter(stakeholder_type=stakeholder_type).order_by("-id").first()
        checklist, _ = Checklist.objects.get_or_create(
            stakeholder_type=stakeholder_type,
            version=version,
            defaults={"outcome": previous.outcome if previous else ""},
        )
        previous_level = previous.levels.filter(number=number).first() if previous else None
        level, _ = Level.objects.get_or_create(
            checklist=checklist,
            number=number,
            defaults={
                "name": LEVEL_NAMES[number],
                "description": previous_level.description if previous_level else "",
            },
        )
        return level

    def import_instance(self, instance, row, **kwargs):
        original_text = instance.text if instance.pk else None
        super().import_instance(instance, row, **kwargs)
        if not str(instance.text or "").strip():
            raise ValidationError({"text": "must not be empty"})
        if instance.pk and instance.text != original_text and instance.answers.exists():
            raise ValidationError(
                {
                    "text": (
                        f"checklist version {instance.level.checklist.version} already has answers to this statement; "
                        "import the changed checklist as a new version instead"
                    )
                }
            )


class AnswerResource(AdminResource):
    """One row per statement and respondent, as coordinators and admins read them."""

    city = fields.Field(column_name="city", readonly=True)
    round = fields.Field(column_name="round", readonly=True)
    stakeholder_type = fields.Field(column_name="stakeholder_type", readonly=True)
    version = fields.Field(column_name="version", readonly=True)
    level = fields.Field(column_name="level", readonly=True)
    position = fields.Field(column_name="position", readonly=True)
    number = fields.Field(column_name="number", readonly=True)  # "2.3", as printed in the sheets
    statement = fields.Field(column_name="statement", readonly=True)
    topics = fields.Field(column_name="topics", readonly=True)
    respondent = fields.Field(column_name="respondent", readonly=True)
    value = fields.Field(attribute="value", column_name="value")
    note = fields.Field(attribute="note", column_name="note")
    # The city's consolidated answer to the statement, from all its respondents (export only).
    city_answer = fields.Field(column_name="city_answer", readonly=True)
    disagreement = fields.Field(column_name="disagreement", readonly=True)

    class Meta(AdminResource.Meta):
        model = Answer
        fields = (
            "city",
            "round",
            "stakeholder_type",
            "version",
            "level",
            "position",
            "number",
            "statement",
            "topics",
            "respondent",
            "value",
            "note",
            "city_answer",
            "disagreement",
        )
        export_order = fields
        # Changed answers are written together at the end (with their history, below), not one
        # save per row.
        use_bulk = True
        batch_size = 1000

    WRITTEN_FIELDS = ["value", "note", "version", "updated_at", "updated_by"]

    def get_export_queryset(self, request=None, **kwargs):
        return Answer.objects.select_related(
            "respondent__sheet__city",
            "respondent__sheet__round",
            "respondent__organisation",
            "respondent__sheet__checklist__stakeholder_type",
            "statement__level",
        ).prefetch_related("statement__topics")

    def dehydrate_city(self, answer):
        return answer.respondent.sheet.city.slug

    def dehydrate_round(self, answer):
        return answer.respondent.sheet.round.name

    def dehydrate_stakeholder_type(self, answer):
        return answer.respondent.sheet.checklist.stakeholder_type.slug

    def dehydrate_version(self, answer):
        return answer.respondent.sheet.checklist.version

    def dehydrate_level(self, answer):
        return answer.statement.level.number

    def dehydrate_position(self, answer):
        return answer.statement.position

    def dehydrate_number(self, answer):
        return answer.statement.number

    def dehydrate_statement(self, answer):
        return answer.statement.text

    def dehydrate_topics(self, answer):
        # An import's preview reads this for every row, from copies of the rows' answers that have
        # lost their statements' prefetched topics: use the ones the import looked up.
        known = getattr(self, "_topic_slugs", {})
        if answer.statement_id in known:
            return known[answer.statement_id]
        return ",".join(t.slug for t in answer.statement.topics.all())

    def dehydrate_respondent(self, answer):
        return answer.respondent.name

    def before_export(self, queryset, **kwargs):
        """The consolidated answers of every sheet in the export, in one query when it is a queryset."""
        self._city_answers = {}
        if hasattr(queryset, "values"):
            self._city_answers = consolidation.by_sheet(
                Answer.objects.filter(respondent__sheet__in=queryset.values("respondent__sheet_id"))
            )
            self._sheets_done = set(queryset.values_list("respondent__sheet_id", flat=True).distinct())

    def dehydrate_city_answer(self, answer):
        sheet_id = answer.respondent.sheet_id
        done = self.__dict__.setdefault("_sheets_done", set())
        if sheet_id not in done:
            self.__dict__.setdefault("_city_answers", {}).update(
                consolidation.by_sheet(Answer.objects.filter(respondent__sheet_id=sheet_id))
            )
            done.add(sheet_id)
        return self._city_answers.get((sheet_id, answer.statement_id), "")

    def dehydrate_disagreement(self, answer):
        return "yes" if self.dehydrate_city_answer(answer) == consolidation.PARTLY else ""

    # --- import: rows are keyed on (city, round, stakeholder type, respondent, level, position) ---

    def before_import(self, dataset, **kwargs):
        """Look up every respondent, statement and answer the file names in a few queries, not
        several per row: a 5,000-row file is checked in seconds."""
        super().before_import(dataset, **kwargs)
        self._user, self._changed_sheets = kwargs.get("user"), {}
        column = {name: dataset.headers.index(name) for name in ("city", "round") if name in dataset.headers}
        cities = {str(row[column["city"]] or "").strip() for row in dataset} if "city" in column else set()
        rounds = {str(row[column["round"]] or "").strip() for row in dataset} if "round" in column else set()
        respondents = Respondent.objects.select_related(
            "organisation",
            "sheet__city",
            "sheet__round",
            "sheet__checklist__stakeholder_type",
        ).filter(sheet__city__slug__in=cities, sheet__round__name__in=rounds)
        self._respondents = {
            (r.sheet.city.slug, r.sheet.round.name, r.sheet.checklist.stakeholder_type.slug, r.organisation.name): r
            for r in respondents
        }
        checklists = {r.sheet.checklist_id for r in self._respondents.values()}
        statements = (
            Statement.objects.select_related("level").prefetch_related("topics").filter(level__checklist__in=checklists)
        )
        self._statements = {(s.level.checklist_id, s.level.number, s.position): s for s in statements}
        self._topic_slugs = {s.pk: ",".join(t.slug for t in s.topics.all()) for s in self._statements.values()}
        self._answers = {
            (a.respondent_id, a.statement_id): a
            for a in Answer.objects.filter(respondent__in=[r.pk for r in self._respondents.values()])
        }

    def _keys(self, row):
        city = str(row.get("city") or "").strip()
        round = str(row.get("round") or "").strip()
        stype = str(row.get("stakeholder_type") or "").strip()
        name = str(row.get("respondent") or "").strip()
        respondent = self._respondents.get((city, round, stype, name))
        if respondent is None:
            raise ValidationError(
                {"respondent": f"no respondent {name!r} on the {stype!r} sheet of city {city!r}, round {round!r}"}
            )
        level, position = _positive_int(row, "level"), _positive_int(row, "position")
        statement = self._statements.get((respondent.sheet.checklist_id, level, position))
        if statement is None:
            raise ValidationError({"position": f"the checklist has no statement {position} at level {level}"})
        return respondent, statement

    def get_instance(self, instance_loader, row):
        respondent, statement = self._keys(row)
        answer = self._answers.get((respondent.pk, statement.pk))
        if answer is not None:
            answer.respondent, answer.statement = respondent, statement
        return answer

    def init_instance(self, row=None):
        respondent, statement = self._keys(row)
        return Answer(respondent=respondent, statement=statement)

    def import_instance(self, instance, row, **kwargs):
        value = str(row.get("value") or "").strip().lower()
        if value not in Answer.Value.values:
            raise ValidationError({"value": f"must be yes, no, nd or empty, not {row.get('value')!r}"})
        row["value"] = value
        row["note"] = str(row.get("note") or "")
        super().import_instance(instance, row, **kwargs)
        if instance.respondent.sheet.status == Sheet.Status.VALIDATED:
            raise ValidationError({"value": "the sheet is validated; an admin must reopen it before it changes"})

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's field checks, without a query per row: the respondent and statement come
        from the look-ups above (they exist, and name one answer), the value was checked above."""
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=[*errors, "respondent", "statement", "updated_by"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        """A spreadsheet's change is recorded like an officer's: a new version by the importing
        admin (so that a stale editor page gets a conflict instead of overwriting it) and a
        history record with its reason, written in bulk below."""
        instance.stage_change(self._user, reason(Reason.SPREADSHEET))
        instance.updated_at = timezone.now()
        self._changed_sheets[instance.respondent.sheet_id] = instance.respondent.sheet

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self._write(
            bulk_create_with_history,
            self.create_instances,
            {},
            using_transactions,
            dry_run,
            raise_errors,
            batch_size,
            result,
        )

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self._write(
            bulk_update_with_history,
            self.update_instances,
            {"fields": self.WRITTEN_FIELDS},
            using_transactions,
            dry_run,
            raise_errors,
            batch_size,
            result,
        )

    def _write(self, write, instances, options, using_transactions, dry_run, raise_errors, batch_size, result):
        """Write `instances` and their history rows (bulk writes send no signals: django-simple-history
        writes the history, after_import touches the sheets). A dry run writes nothing: every row
        was checked on its own already (keys by the look-ups, values and notes by the model)."""
        if instances and dry_run:
            instances.clear()
        if instances:
            try:
                write(instances, Answer, batch_size=batch_size, default_user=self._user, **options)
            except Exception as error:  # noqa: BLE001 - reported on the import page, as import-export does
                self.handle_import_error(result, error, raise_errors)
            finally:
                instances.clear()

    def after_import(self, dataset, result, **kwargs):
        """Each changed sheet once: a new version (so open editors see the change) and a fresh grid."""
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run"):
            for sheet in self._changed_sheets.values():
                sheet.touch(self._user, why=reason(Reason.SPREADSHEET))

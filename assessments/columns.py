"""Changing a sheet's respondent columns: add, rename and annotate, move, remove.

Each change locks the sheet, is refused on a sheet that is no longer a draft, is kept in the
history with its user, and makes a new sheet version. A change based on what the person's page
showed is refused (StaleSheet) when somebody changed the column meanwhile.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.cells import SheetLocked, StaleSheet
from assessments.changes import baseline
from assessments.models import Respondent
from stakeholders.models import Organisation


def _check_version(sheet, version):
    if version is not None and version != sheet.version:
        raise StaleSheet(_("Somebody changed this sheet after you opened the page."))


def _organisation(sheet, name):
    organisation, _ = Organisation.objects.get_or_create(
        city_id=sheet.city_id, name=name, defaults={"stakeholder_type_id": sheet.checklist.stakeholder_type_id}
    )
    return organisation


def _renumber(sheet, user):
    for position, respondent in enumerate(sheet.respondents.order_by("position", "id"), start=1):
        if respondent.position != position:
            respondent.position = position
            respondent._history_user = user
            respondent.save(update_fields=["position"])


def add_respondent(sheet, user, *, name, note):
    with transaction.atomic():
        sheet.lock()
        if not sheet.is_editable:
            raise SheetLocked(sheet)
        last = sheet.respondents.order_by("-position").values_list("position", flat=True).first() or 0
        respondent = Respondent(sheet=sheet, organisation=_organisation(sheet, name), position=last + 1, note=note)
        respondent._history_user = user
        respondent.save()
        sheet.touch(user)
        return respondent


def change_respondent(respondent, user, *, name, note, was):
    """Rename a column and set its header note; `was` is the (name, note) the person's form
    showed: when somebody changed them since, StaleSheet, so that nobody's change is lost."""
    sheet = respondent.sheet
    with transaction.atomic():
        sheet.lock()
        if not sheet.is_editable:
            raise SheetLocked(sheet)
        respondent.refresh_from_db()
        baseline(Respondent, [respondent])
        if (respondent.organisation.name, respondent.note) != was:
            raise StaleSheet(_("Somebody changed this column after you opened the page."))
        if (name, note) == was:
            return respondent
        if name != respondent.organisation.name:
            respondent.organisation = _organisation(sheet, name)
        respondent.note = note
        respondent._history_user = user
        respondent.save(update_fields=["organisation", "note"])
        sheet.touch(user)
        return respondent


def move_respondent(respondent, user, *, by):
    """Move a column `by` places (-1: left, +1: right); the others close up around it."""
    sheet = respondent.sheet
    with transaction.atomic():
        sheet.lock()
        if not sheet.is_editable:
            raise SheetLocked(sheet)
        columns = list(sheet.respondents.order_by("position", "id"))
        index = next(i for i, r in enumerate(columns) if r.pk == respondent.pk)
        target = max(0, min(len(columns) - 1, index + by))
        if target == index:
            return False
        baseline(Respondent, columns)
        columns.insert(target, columns.pop(index))
        for position, column in enumerate(columns, start=1):
            if column.position != position:
                column.position = position
                column._history_user = user
                column.save(update_fields=["position"])
        sheet.touch(user)
        return True


def column_content(respondent):
    """How much a removal would take away: (answered cells, annotations)."""
    answers = respondent.answers.all()
    return answers.exclude(value="").count(), answers.exclude(note="").count()


def remove_respondent(respondent, user, *, version):
    """Remove a column and its answers (kept in the history). `version` must be current:
    the person confirmed the removal of what the column held when they looked."""
    sheet = respondent.sheet
    with transaction.atomic():
        sheet.lock()
        if not sheet.is_editable:
            raise SheetLocked(sheet)
        _check_version(sheet, version)
        for answer in respondent.answers.all():
            answer._history_user = user
            answer._sheet_touched = True
            answer.delete()
        respondent._history_user = user
        respondent.delete()
        _renumber(sheet, user)
        sheet.touch(user)

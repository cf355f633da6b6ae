"""Large spreadsheet imports of the admin, run by a task worker once staff have confirmed them.

The admin's import is two steps (django-import-export): the upload is checked row by row in a dry
run whose preview staff confirm, then the confirmed file is imported. The dry run stays in the
request, because its preview is the page staff confirm from. The import itself, when the file has
more than `IMPORT_TASK_ROWS` rows, is queued instead (`LimitedImportExportModelAdmin`): the job
carries the file itself (so a worker on any machine can read it), imports it as the same admin
would, with the same user, history and admin log, and e-mails that staff member the result: the
counts, or the errors of an import that, all or nothing, imported nothing.
"""

import base64
import logging
import smtplib

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.urls import reverse
from django_tasks import task
from import_export.results import RowResult

from people import mail
from people.models import language_of

log = logging.getLogger(__name__)

# The errors an e-mail lists at most.
ERRORS_SHOWN = 10


class ConfirmedImport:
    """What the admin's confirm form held, for `process_dataset` outside a request."""

    def __init__(self, resource, file_name):
        self.cleaned_data = {"resource": resource, "original_file_name": file_name}


def errors_of(result):
    """The import's errors as one line each: the file's, then each row's."""
    lines = [str(error.error) for error in result.base_errors]
    for number, errors in result.row_errors():
        lines += [f"row {number}: {error.error}" for error in errors]
    for row in result.invalid_rows:
        lines += [f"row {row.number}: {'; '.join(messages)}" for messages in row.field_specific_errors.values()]
        lines += [f"row {row.number}: {message}" for message in row.non_field_specific_errors]
    return lines


@task()
def run_import(model_label, resource, file_format, content, file_name, user_id):
    """Import `content` (base64 of the uploaded file) into `model_label` as the admin of that model
    does for user `user_id`; e-mails them the result and returns it."""
    model = apps.get_model(model_label)
    model_admin = admin.site._registry[model]
    user = get_user_model().objects.select_related("profile").get(pk=user_id)
    request = HttpRequest()
    request.user = user
    input_format = model_admin.get_import_formats()[file_format](encoding=model_admin.from_encoding)
    data = base64.b64decode(content)
    if not input_format.is_binary():
        data = data.decode(model_admin.from_encoding or "utf-8")
    dataset = input_format.create_dataset(data)
    result = model_admin.process_dataset(dataset, ConfirmedImport(resource, file_name), request)
    errors = errors_of(result) if result.has_errors() or result.has_validation_errors() else []
    if not errors:
        model_admin.generate_log_entries(result, request)
    totals = {
        kind: result.totals[kind]
        for kind in (
            RowResult.IMPORT_TYPE_NEW,
            RowResult.IMPORT_TYPE_UPDATE,
            RowResult.IMPORT_TYPE_DELETE,
            RowResult.IMPORT_TYPE_SKIP,
        )
    }
    link = mail.absolute_url(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
    if user.email:
        message = mail.build(
            "import_finished",
            {
                "recipient": user,
                "file_name": file_name,
                "rows": len(dataset),
                "totals": totals,
                "errors": errors[:ERRORS_SHOWN],
                "more_errors": max(0, len(errors) - ERRORS_SHOWN),
                "model": model._meta.verbose_name_plural,
                "link": link,
            },
            to=user.email,
            language=language_of(user),
        )
        try:
            mail.send([message])
        except (OSError, smtplib.SMTPException):  # the import stands; its result is the job's too
            log.exception("Could not send the result of importing %s to %s", file_name, user.email)
    return {"rows": len(dataset), "totals": totals, "errors": errors}


def queue_import(model, resource, file_format, data, file_name, user):
    """Queue the import of `data` (the file's bytes or text) for a task worker; returns the job."""
    raw = data if isinstance(data, bytes) else data.encode("utf-8")
    return run_import.enqueue(
        model._meta.label, resource, file_format, base64.b64encode(raw).decode("ascii"), file_name, user.pk
    )

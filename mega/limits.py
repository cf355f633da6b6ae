"""Limits on what people may upload, shared by every import (spreadsheets, JSON)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from import_export.admin import ImportExportModelAdmin
from import_export.forms import ImportForm
from import_export.results import Error


def check_upload_size(upload):
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"The file is {filesizeformat(upload.size)}; at most {filesizeformat(settings.MAX_UPLOAD_BYTES)} "
            "can be imported. Split it into smaller files."
        )


class LimitedImportForm(ImportForm):
    """The admin's import form, refusing files too large to check in one request."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        check_upload_size(upload)
        return upload


class TooManyRows(Exception):
    pass


class LimitError(Error):
    """A refused file, shown on the import page as its message alone: there is no traceback to show."""

    traceback = ""


class RowLimitMixin:
    """For import-export resources: a spreadsheet with more rows than an import may have is refused
    as a whole, before its first row is looked at (import-export would go on row by row after an
    error in `before_import`, until the worker times out)."""

    def import_data(self, dataset, **kwargs):
        if len(dataset) > settings.MAX_IMPORT_ROWS:
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            result.append_base_error(
                LimitError(
                    TooManyRows(
                        f"The file has {len(dataset)} rows; at most {settings.MAX_IMPORT_ROWS} can be imported at once. "
                        "Nothing was imported: split it into smaller files."
                    )
                )
            )
            return result
        return super().import_data(dataset, **kwargs)


class LimitedImportExportModelAdmin(ImportExportModelAdmin):
    """The admin of every model with spreadsheet import: the size limit on the upload; each of its
    resources must have RowLimitMixin (checked by tests/test_import_limits.py). A confirmed import
    of more than IMPORT_TASK_ROWS rows runs on a task worker (`mega/import_jobs.py`)."""

    import_form_class = LimitedImportForm

    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_confirm_form(request)
        if not form.is_valid():
            return super().process_import(request, **kwargs)
        file_format = int(form.cleaned_data["format"])
        input_format = self.get_import_formats()[file_format](encoding=self.from_encoding)
        storage = self.get_tmp_storage_class()(
            name=form.cleaned_data["import_file_name"],
            encoding=None if input_format.is_binary() else self.from_encoding,
            read_mode=input_format.get_read_mode(),
            **self.get_tmp_storage_class_kwargs(),
        )
        data = storage.read()
        rows = len(input_format.create_dataset(data))
        if rows <= settings.IMPORT_TASK_ROWS:
            return super().process_import(request, **kwargs)
        from mega.import_jobs import queue_import

        file_name = form.cleaned_data["original_file_name"]
        queue_import(self.model, self.get_resource_index(form), file_format, data, file_name, request.user)
        storage.remove()
        told = _(
            "The file %(file)s (%(rows)s rows) is being imported by a task worker: the list shows its changes "
            "once it is done."
        ) % {"file": file_name, "rows": rows}
        if request.user.email:
            told += " " + _("You will get an e-mail with the result.")
        else:
            told += " " + _("Add an e-mail address to your account to get the result by e-mail.")
        messages.info(request, told)
        return redirect(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_changelist")

    def get_export_queryset(self, request):
        """The export page filters like the list it came from; a filter the list does not have (a
        hand-made URL) is a bad request, as the list itself treats it, not a server error."""
        try:
            return super().get_export_queryset(request)
        except IncorrectLookupParameters as error:
            raise BadRequest("unknown filter in the URL") from error

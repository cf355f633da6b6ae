"""Limits on what people may upload, shared by every import (spreadsheets, JSON)."""
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from import_export.forms import ImportForm


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


class RowLimitMixin:
    """For import-export resources: refuse a spreadsheet with more rows than an import may have."""

    def before_import(self, dataset, **kwargs):
        if len(dataset) > settings.MAX_IMPORT_ROWS:
            raise forms.ValidationError(
                f"The file has {len(dataset)} rows; at most {settings.MAX_IMPORT_ROWS} can be imported at once."
            )
        super().before_import(dataset, **kwargs)

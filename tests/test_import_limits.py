"""Every spreadsheet import of the admin refuses a file over the size or row limit as a whole,
with a message saying so, before any row is looked at, and changes nothing.

The walk covers every resource of every model admin with an import (checklists, answers and the
three guidance imports), in each import format, with a file made from the resource's own export
(valid rows, so only the limit can refuse it).
"""

import html

from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.admin import ImportMixin

from mega.settings import IMPORT_FORMATS
from tests.security import database_state


def import_surfaces():
    """(label, import URL, resource index, resource class, format index, format) of every import."""
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, ImportMixin):
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import")
        for resource_index, resource in enumerate(model_admin.get_import_resource_classes(None)):
            for format_index, file_format in enumerate(IMPORT_FORMATS):
                label = f"{resource.__name__} {file_format().get_extension()}"
                yield label, url, resource_index, resource, format_index, file_format()


def upload_of(resource, file_format, rows):
    """A file of `rows` valid rows: the resource's own export of its first rows, repeated."""
    dataset = resource().export()
    data = list(dataset)[: max(1, min(rows, len(dataset)))]
    del dataset[:]
    while len(dataset) < rows:
        dataset.append(data[len(dataset) % len(data)])
    content = file_format.export_data(dataset)
    return SimpleUploadedFile(
        f"import.{file_format.get_extension()}", content.encode("utf-8") if isinstance(content, str) else content
    )


def import_every(client, rows):
    """(label, response, page text) of importing a file of `rows` rows through every import."""
    for label, url, resource_index, resource, format_index, file_format in import_surfaces():
        response = client.post(
            url,
            {
                "import_file": upload_of(resource, file_format, rows),
                "format": str(format_index),
                "resource": str(resource_index),
            },
        )
        yield label, response, html.unescape(response.content.decode())


def test_every_import_of_the_admin_is_walked():
    labels = {label.split()[0] for label, *_ in import_surfaces()}
    assert labels == {
        "StatementResource",
        "AnswerResource",
        "GuidanceStatementResource",
        "GuidanceBlockResource",
        "RecommendedActionResource",
    }


def test_a_file_with_too_many_rows_is_refused_before_any_row(superuser_client, milan, settings):
    settings.MAX_IMPORT_ROWS = 3
    before = database_state()
    for label, response, page in import_every(superuser_client, 4):
        assert "The file has 4 rows; at most 3 can be imported at once." in page, label
        assert "Traceback" not in page and "Error:" not in page, f"{label}: a traceback is shown"
        assert "confirm_form" not in response.context, label
        assert response.context["result"].rows == [], f"{label}: rows were read"
    assert database_state() == before


def test_a_file_within_the_limits_is_previewed(superuser_client, milan, settings):
    """The same files, one row fewer, reach the preview: the limit alone refused them above."""
    settings.MAX_IMPORT_ROWS = 3
    for label, response, _page in import_every(superuser_client, 3):
        assert "confirm_form" in response.context, label


def test_a_file_over_the_size_limit_is_refused_unread(superuser_client, milan, settings):
    settings.MAX_UPLOAD_BYTES = 100
    before = database_state()
    for label, response, page in import_every(superuser_client, 3):
        assert "can be imported. Split it into smaller files." in page, label
        assert "result" not in response.context and "confirm_form" not in response.context, label
    assert database_state() == before

"""The admin's import preview: what each row changes, field by field.

django-import-export's own diff reads each column with `Field.export`, which skips a resource's
`dehydrate_<column>` methods: computed columns (a statement's stakeholder type, level, its
translations) came out blank. Its HTML also carries inline styles, which the site's
Content-Security-Policy refuses. `ChangesDiff` reads every column as an export does and marks
the columns a row changes; the preview template (templates/admin/import_export/import.html)
lists new and changed rows first and folds the unchanged ones away.
"""

from dataclasses import dataclass

from django.utils.encoding import force_str
from import_export.resources import Diff


@dataclass(frozen=True)
class PreviewCell:
    """One column of one row: its value before and after, and whether the import changes it."""

    before: str
    after: str
    new_row: bool

    @property
    def changed(self):
        return not self.new_row and self.before != self.after


def exported_values(resource, instance):
    """Each column of `instance` as an export writes it (None: nothing, as before a new row or
    after a deleted one)."""
    if instance is None:
        return ["" for _ in resource.get_import_fields()]
    return [force_str(resource.export_field(field, instance) or "") for field in resource.get_import_fields()]


class ChangesDiff(Diff):
    def __init__(self, resource, instance, new):  # not the parent's: it reads the row its own way
        # A new row has no "before": its unsaved instance cannot even read its relations.
        self.left = exported_values(resource, None if new else instance)
        self.right = []
        self.new = new

    def compare_with(self, resource, instance):
        self.right = exported_values(resource, instance)

    def as_html(self):
        # Despite its name, what the template shows per column: rendered there, escaped there.
        return [PreviewCell(before, after, self.new) for before, after in zip(self.left, self.right)]


class ChangesPreviewMixin:
    """For import-export resources: a preview that shows which columns each row changes."""

    def get_diff_class(self):
        return ChangesDiff

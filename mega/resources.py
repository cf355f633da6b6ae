"""What every import-export resource of the admin shares: the row limit, the preview of what each
row changes, and the same import rules (an unchanged row is skipped and shown as skipped, and every
row is checked as the model's own form would check it)."""

from import_export import resources

from mega.import_preview import ChangesPreviewMixin
from mega.limits import RowLimitMixin


class AdminResource(ChangesPreviewMixin, RowLimitMixin, resources.ModelResource):
    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

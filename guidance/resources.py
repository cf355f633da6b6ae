"""Spreadsheet import and export (CSV, XLSX, JSON) of the guidance, for the admin.

Rows name things by stable keys (statement number such as "6.1", position, topic slugs), never
by database ids, so a file moves between installations; importing the same file twice changes
nothing. Every row is checked; a file with any bad row imports nothing.
"""
from import_export import fields, resources, widgets

from assessments.resources import TopicSlugsWidget
from guidance.models import GuidanceBlock, GuidanceModule, GuidanceStatement, RecommendedAction
from mega.limits import RowLimitMixin
from mega.import_preview import ChangesPreviewMixin


class LinesWidget(widgets.Widget):
    """A list of strings as one cell, one item per line."""

    def clean(self, value, row=None, **kwargs):
        return [line.strip() for line in str(value or "").splitlines() if line.strip()]

    def render(self, value, obj=None, **kwargs):
        return "\n".join(value or [])


def _statement_field():
    return fields.Field(
        attribute="statement", column_name="statement",
        widget=widgets.ForeignKeyWidget(GuidanceStatement, field="number"),
    )


class GuidanceStatementResource(ChangesPreviewMixin, RowLimitMixin, resources.ModelResource):
    module = fields.Field(attribute="module", column_name="module",
                          widget=widgets.ForeignKeyWidget(GuidanceModule, field="number"))
    topics = fields.Field(attribute="topics", column_name="topics", widget=TopicSlugsWidget())

    class Meta:
        model = GuidanceStatement
        import_id_fields = ("number",)
        fields = ("module", "number", "position", "text", "summary", "actions_intro", "topics")
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_export_queryset(self, request=None, **kwargs):
        return GuidanceStatement.objects.select_related("module").prefetch_related("topics")


class GuidanceBlockResource(ChangesPreviewMixin, RowLimitMixin, resources.ModelResource):
    statement = _statement_field()
    items = fields.Field(attribute="items", column_name="items", widget=LinesWidget())

    class Meta:
        model = GuidanceBlock
        import_id_fields = ("statement", "position")
        fields = ("statement", "position", "kind", "ordered", "text", "items")
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_export_queryset(self, request=None, **kwargs):
        return GuidanceBlock.objects.select_related("statement")


class RecommendedActionResource(ChangesPreviewMixin, RowLimitMixin, resources.ModelResource):
    statement = _statement_field()

    class Meta:
        model = RecommendedAction
        import_id_fields = ("statement", "position")
        fields = ("statement", "position", "text")
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_export_queryset(self, request=None, **kwargs):
        return RecommendedAction.objects.select_related("statement")

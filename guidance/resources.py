"""Spreadsheet import and export (CSV, XLSX, JSON) of the guidance, for the admin.

Rows name things by stable keys (statement number such as "6.1", position, topic slugs), never
by database ids, so a file moves between installations; importing the same file twice changes
nothing. Every row is checked; a file with any bad row imports nothing.
"""

from import_export import fields, widgets

from assessments.resources import TopicSlugsWidget
from guidance.models import GuidanceBlock, GuidanceModule, GuidanceStatement, RecommendedAction
from mega.resources import AdminResource


class LinesWidget(widgets.Widget):
    """A list of strings as one cell, one item per line."""

    def clean(self, value, row=None, **kwargs):
        return [line.strip() for line in str(value or "").splitlines() if line.strip()]

    def render(self, value, obj=None, **kwargs):
        return "\n".join(value or [])


class GuidanceStatementResource(AdminResource):
    module = fields.Field(
        attribute="module", column_name="module", widget=widgets.ForeignKeyWidget(GuidanceModule, field="number")
    )
    topics = fields.Field(attribute="topics", column_name="topics", widget=TopicSlugsWidget())

    class Meta(AdminResource.Meta):
        model = GuidanceStatement
        import_id_fields = ("number",)
        fields = ("module", "number", "position", "text", "summary", "actions_intro", "topics")
        export_order = fields

    def get_export_queryset(self, request=None, **kwargs):
        return GuidanceStatement.objects.select_related("module").prefetch_related("topics")


class StatementPartResource(AdminResource):
    """A part of a guidance statement, keyed on the statement's number and the part's position."""

    statement = fields.Field(
        attribute="statement",
        column_name="statement",
        widget=widgets.ForeignKeyWidget(GuidanceStatement, field="number"),
    )

    class Meta(AdminResource.Meta):
        import_id_fields = ("statement", "position")

    def get_export_queryset(self, request=None, **kwargs):
        return self._meta.model.objects.select_related("statement")


class GuidanceBlockResource(StatementPartResource):
    items = fields.Field(attribute="items", column_name="items", widget=LinesWidget())

    class Meta(StatementPartResource.Meta):
        model = GuidanceBlock
        fields = ("statement", "position", "kind", "ordered", "text", "items")
        export_order = fields


class RecommendedActionResource(StatementPartResource):
    class Meta(StatementPartResource.Meta):
        model = RecommendedAction
        fields = ("statement", "position", "text")
        export_order = fields

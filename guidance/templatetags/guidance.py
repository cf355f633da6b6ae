"""Template helpers of the guidance: figures of the self-assessment results, and the guidance
beside the MEGA sheets (the "What helps" pointers)."""

from django import template
from django.utils.formats import number_format

from assessments.models import Answer, Sheet, Statement
from assessments.sheet_table import SheetTable
from guidance.links import WHAT_HELPS_VALUES, linked_guidance


register = template.Library()


@register.filter
def figure(value, digits=1):
    """A mean or a standard deviation with `digits` decimals, in the reader's number format ("7.5",
    "7,5"); "–" when there is none (never 0)."""
    if value is None:
        return "–"
    return number_format(value, int(digits))


@register.inclusion_tag("guidance/_what_helps.html", takes_context=True)
def what_helps(context, statement, sheet, editable=False):
    """The "What helps" pointer beside a statement of the sheet editor: links to the guidance linked
    to it, shown when any column answers no or no data (hidden otherwise while editing, so that the
    page's script can show it as soon as such an answer is chosen).

    Links and gaps are computed once per sheet and kept on the sheet object: at most six queries
    whatever the number of statements. The editor's grid has the sheet laid out (`table`, a
    `SheetTable`, in the context) with its statements, their topics and its answers: from it, three.
    """
    if not isinstance(sheet, Sheet) or not isinstance(statement, Statement):
        return {"guidance": []}  # the hook rendered without a sheet and a statement: nothing to point at
    cache = getattr(sheet, "_guidance_what_helps", None)
    if cache is None:
        table = context.get("table")
        if isinstance(table, SheetTable) and table.sheet.pk == sheet.pk:
            topics = {row.statement.pk: [t.pk for t in row.statement.topics.all()] for row in table.rows}
            links = linked_guidance(topics, topics=topics)
            gap_ids = {row.statement.pk for row in table.rows if any(c.value in WHAT_HELPS_VALUES for c in row.cells)}
        else:
            statement_ids = Statement.objects.filter(level__checklist_id=sheet.checklist_id).values_list(
                "pk", flat=True
            )
            links = linked_guidance(statement_ids)
            gap_ids = set(
                Answer.objects.filter(respondent__sheet=sheet, value__in=WHAT_HELPS_VALUES).values_list(
                    "statement_id", flat=True
                )
            )
        cache = sheet._guidance_what_helps = {"links": links, "gaps": gap_ids, "script": False}
    guidance = cache["links"].get(statement.pk, [])
    shown = statement.pk in cache["gaps"]
    script = bool(guidance) and editable and not cache["script"]
    cache["script"] = cache["script"] or script
    return {
        "statement": statement,
        "guidance": guidance if (shown or editable) else [],
        "hidden": not shown,
        "script": script,
    }

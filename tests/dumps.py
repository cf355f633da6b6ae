"""The domain's rows as one string, to show that an import or a command changed nothing, or the same."""
import io

from django.core.management import call_command


def database_dump():
    out = io.StringIO()
    call_command("dumpdata", "stakeholders", "assessments", stdout=out, indent=None)
    return out.getvalue()

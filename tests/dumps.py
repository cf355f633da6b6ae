"""The database as one string, to show that a request, an import or a command changed nothing."""

import io

from django.core.management import call_command


def database_dump():
    out = io.StringIO()
    call_command("dumpdata", "stakeholders", "assessments", stdout=out, indent=None)
    return out.getvalue()


# Apps whose rows a refused request must leave exactly as they were (history tables included).
STATE_APPS = ["auth.user", "stakeholders", "assessments", "guidance", "translations", "people", "rounds"]


def database_state():
    """Every row of the domain, the users and the histories, as one string."""
    out = io.StringIO()
    call_command("dumpdata", *STATE_APPS, stdout=out, indent=None)
    return out.getvalue()

"""The database's rows read straight from its tables: to show that a request, an import or a
command changed nothing, and to put the seed back after a transactional test emptied the database.

Reading rows with SQL takes one query per table; `dumpdata` serialises every object and took
about a quarter of a second per call, twice per checked request.
"""

from django.apps import apps
from django.db import connection

# Tables that emptying the database fills again at once (Django's post_migrate handlers).
REFILLED = {"django_content_type", "auth_permission"}


def table_rows(app_labels=None, *, exclude=()):
    """[(quoted table name, quoted column names, rows ordered by the first column)] of every table
    with rows, of the apps `app_labels` (all when None; "app.model" names one model)."""
    found = []
    with connection.cursor() as cursor:
        for model in _models(app_labels):
            table = model._meta.db_table
            if model._meta.proxy or not model._meta.managed or table in exclude:
                continue
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY 1")
            rows = cursor.fetchall()
            if rows:
                found.append((quoted, [connection.ops.quote_name(c[0]) for c in cursor.description], rows))
    return found


def _models(app_labels):
    if app_labels is None:
        return apps.get_models(include_auto_created=True)
    models = []
    for label in app_labels:
        if "." in label:
            models.append(apps.get_model(label))
        else:
            models.extend(apps.get_app_config(label).get_models(include_auto_created=True))
    return models


def insert_rows(found):
    """Insert what `table_rows` read (foreign keys are checked at commit: any order of tables)."""
    with connection.cursor() as cursor:
        for table, columns, rows in found:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows)


def database_dump():
    """The rows of the cities, the checklists and the sheets."""
    return table_rows(["stakeholders", "assessments"])


# Apps whose rows a refused request must leave exactly as they were (history tables included).
STATE_APPS = ["auth.user", "stakeholders", "assessments", "guidance", "translations", "people", "rounds"]


def database_state():
    """Every row of the domain, the users and the histories."""
    return table_rows(STATE_APPS)

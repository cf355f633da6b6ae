"""What the benchmarks share: a scratch database that never touches your data, Django set up on
it, a cohort of many cities, and timing a page through the test client."""

import os
import tempfile
import time
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit


def p95(times):
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def postgres_scratch(url, name):
    """Create the scratch database `name` on the server of `url`; returns its URL and a function that drops it."""
    import psycopg

    parts = urlsplit(url)

    def run(statement):
        # The server's maintenance database, in autocommit: CREATE / DROP DATABASE refuse a transaction.
        connection = psycopg.connect(
            dbname="postgres",
            user=parts.username or "",
            password=parts.password or "",
            host=parts.hostname or "",
            port=parts.port or 5432,
            autocommit=True,
        )
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement)
        finally:
            connection.close()

    run(f"DROP DATABASE IF EXISTS {name}")
    run(f"CREATE DATABASE {name}")

    def drop():
        from django.db import connections

        connections.close_all()
        run(f"DROP DATABASE IF EXISTS {name}")

    return urlunsplit(parts._replace(path="/" + name)), drop


def scratch_database(workdir, name):
    """(url, drop): a PostgreSQL scratch database `name` when DATABASE_URL names a PostgreSQL server,
    else a SQLite file in `workdir`; `drop` is None for SQLite (the folder goes with it)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return postgres_scratch(url, name)
    return f"sqlite:///{workdir}/{name}.sqlite3", None


def setup_django(url, fixtures):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mega.settings_test")
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("loaddata", *fixtures, verbosity=0)


@contextmanager
def scratch_django(name, fixtures):
    """Django set up on the scratch database `name` (see scratch_database), migrated and with
    `fixtures` loaded; yields what to call the database in a report, and drops it at the end."""
    with tempfile.TemporaryDirectory(prefix="mega-bench-") as workdir:
        url, drop = scratch_database(workdir, name)
        try:
            setup_django(url, fixtures)
            yield f"scratch {name}" if drop else "temporary SQLite file"
        finally:
            if drop:
                drop()


def cohort_with_users(cities, **options):
    """`cities` cities built by tests/cohort.py (with its `options`), the planner's statistics
    brought up to date, an officer of the second city and a staff admin.
    Returns (that city, {"officer": …, "admin": …}, seconds it took)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from stakeholders.models import Assignment
    from tests.cohort import build_cohort

    start = time.perf_counter()
    created = build_cohort(cities, **options)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    users = get_user_model().objects
    officer = users.create_user("bench-officer")
    Assignment.objects.create(user=officer, city=created[1], role=Assignment.Role.OFFICER)
    admin = users.create_user("bench-admin", is_staff=True)
    return created[1], {"officer": officer, "admin": admin}, time.perf_counter() - start


def timed_get(client, url, runs, before=None):
    """(seconds of each of `runs` requests, queries of one), after two warm-up requests;
    `before()`, if given, runs untimed before each request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    before = before or (lambda: None)
    for _ in range(2):
        before()
        assert client.get(url).status_code == 200, url
    before()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = len(captured)  # now: the next request empties the connection's query log
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, url
    return times, queries

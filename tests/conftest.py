"""Shared fixtures: the seed data and the three kinds of people of the permission ladder."""

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.test import TransactionTestCase
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from assessments.management.commands.seed_demo import FIXTURES as SEED_FIXTURES
from assessments.management.commands.seed_demo import load_missing
from stakeholders.models import Assignment, City
from tests.dumps import REFILLED, insert_rows, table_rows
from tests.factories import make_city, make_user

# Property tests: a thorough run on a workstation, fewer examples in CI (CI=true); never a deadline,
# since a shared or busy machine makes single examples slow. HYPOTHESIS_PROFILE chooses another.
hypothesis_settings.register_profile("dev", max_examples=60, deadline=None)
hypothesis_settings.register_profile("ci", max_examples=25, deadline=None)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev")
)

# The browser tests' fixtures (browser_page), for every test module without an import.
pytest_plugins = ["tests.browser"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the seed once per test database; each test's transaction rolls its changes back.

    Tests with `transactional_db` (the browser tests) empty the database when they end;
    pytest-django runs them last, and the fixtures below put the seed back when it is gone.
    """
    with django_db_blocker.unblock():
        load_missing(SEED_FIXTURES)  # as `seed_demo` loads them, recording each file as loaded
        _SEED_ROWS.extend(table_rows(exclude=REFILLED))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", _empty_tables)
        yield


def _empty_tables(test_case):
    """Empty the database after a transactional test, as Django's `flush` does, with DELETE.

    `flush` runs TRUNCATE, which on PostgreSQL makes new files for every table: 0.4 s per test on
    a quiet machine, over 2 s on a busy one, against 30 ms for deleting the few rows a test leaves.
    Content types and permissions are kept, where `flush` empties them and its post_migrate
    handlers write them again. Foreign keys are checked at commit, so the order does not matter.
    """
    for alias in test_case._databases_names(include_mirrors=False):
        connection = connections[alias]
        tables = set(connection.introspection.django_table_names(only_existing=True, include_views=False))
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            for table in sorted(tables - REFILLED):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


# The seed's rows, table by table, as loaded once: putting them back after a transactional test
# emptied the database takes a few hundred inserts, where loading the fixtures resolves every
# natural key again (about 7,600 queries, seconds per test).
_SEED_ROWS = []


def _ensure_seed():
    """The seed, put back as it was first loaded (same rows, same ids) if a transactional test
    emptied the database."""
    if not City.objects.filter(slug="milan").exists():
        with transaction.atomic():
            insert_rows(_SEED_ROWS)


@pytest.fixture
def reference_data(db):
    """Stakeholder types, topics and the four checklists (the seed is loaded as a whole)."""
    _ensure_seed()


@pytest.fixture
def milan(db):
    """The complete Milan 2018 benchmarking, as `seed_demo` loads it."""
    _ensure_seed()
    return City.objects.get(slug="milan")


@pytest.fixture
def turin(db):
    return make_city("turin")


@pytest.fixture
def admin_user(db):
    return make_user("boss", staff=True)


@pytest.fixture
def superuser_client(client, admin_user):
    """The test client, signed in as the admin made a superuser (every admin page is open)."""
    admin_user.is_superuser = True
    admin_user.save(update_fields=["is_superuser"])
    client.force_login(admin_user)
    return client


@pytest.fixture
def officer(milan):
    return make_user("olga", city=milan, role=Assignment.Role.OFFICER)


@pytest.fixture
def coordinator(milan):
    return make_user("carlo", city=milan, role=Assignment.Role.COORDINATOR)


@pytest.fixture
def other_officer(turin):
    return make_user("otto", city=turin, role=Assignment.Role.OFFICER)


@pytest.fixture
def other_coordinator(turin):
    return make_user("cora", city=turin, role=Assignment.Role.COORDINATOR)


@pytest.fixture
def sheet(milan):
    """Milan's sheet of the immigrant business organisations (two columns, footnotes), which the
    editor's tests work on; a test module about another sheet defines its own `sheet`."""
    from assessments.models import Sheet

    return Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="immigrant_business_organisation")


@pytest.fixture
def staff_client(client, admin_user):
    """The test client, signed in as programme staff (not a superuser): the app's staff pages."""
    client.force_login(admin_user)
    return client


@pytest.fixture
def officer_client(client, officer):
    """The test client, signed in as Milan's officer."""
    client.force_login(officer)
    return client


@pytest.fixture
def colleague(milan):
    """Another officer of Milan (Paola), for concurrent edits."""
    return make_user("paola", city=milan, role=Assignment.Role.OFFICER)


@pytest.fixture
def colleague_client(colleague):
    """A second client, signed in as the colleague."""
    from django.test import Client

    client = Client()
    client.force_login(colleague)
    return client


@pytest.fixture(autouse=True)
def default_language():
    """A request leaves its language active in the thread, as a real server's next request would
    replace it; each test starts in the site's default language instead of the last test's."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Rendered PDFs are cached by their content: no test may be served one another test made."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def no_renders_ahead(request, monkeypatch):
    """Validating a sheet or publishing a report renders its PDFs ahead of the first download. The
    tests' immediate task backend would run those renders inside the test, seconds of WeasyPrint
    for tests about e-mails or the workflow; only tests with a real queue (`queued`, which check
    the renders ahead) keep them."""
    if "queued" in request.fixturenames:
        yield
        return
    from downloads import signals, tasks
    from reports.signals import report_published

    monkeypatch.setattr(tasks, "prerender_validated", lambda sheet: None)
    uid = "downloads-render-published-report"
    report_published.disconnect(dispatch_uid=uid)
    yield
    report_published.connect(signals.render_published_report, dispatch_uid=uid)


@pytest.fixture
def fake_renders(monkeypatch):
    """Instant renders, different every time, that keep the HTML they were asked for."""
    from reports import pdf

    documents = []

    def fake(html, fetcher=None):
        documents.append(html)
        return b"%PDF-fake " + str(len(documents)).encode()

    monkeypatch.setattr(pdf, "render_pdf", fake)
    return documents


@pytest.fixture
def world(milan, officer, other_officer, coordinator, other_coordinator, admin_user):
    """The permission matrix's world (tests/permission_matrix.py): the six roles' users and Milan's
    municipality sheet with its first column and answer."""
    from assessments.models import Answer, Sheet
    from tests.permission_matrix import World, changed_report

    sheet = Sheet.objects.select_related("city").get(city=milan, checklist__stakeholder_type__slug="municipality")
    respondent = sheet.respondents.select_related("organisation").first()
    answer = Answer.objects.filter(respondent=respondent).select_related("statement").order_by("id").first()
    users = {
        "anonymous": None,
        "officer": officer,
        "other_officer": other_officer,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "admin": admin_user,
    }
    changed_report(officer)  # a recorded change of the report, for its history and restore rows
    return World(users, milan, sheet, respondent, answer.statement, answer)

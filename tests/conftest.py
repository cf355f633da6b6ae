"""Shared fixtures: the seed data and the three kinds of people of the permission ladder."""
import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command

from stakeholders.models import Assignment, City

SEED_FIXTURES = ["stakeholder_types", "topics", "checklists", "checklists-it", "milan-2018", "oecd-module6"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the seed once per test database; each test's transaction rolls its changes back.

    Tests with `transactional_db` (the browser tests) empty the database when they end;
    pytest-django runs them last, and the fixtures below load the seed again when it is gone.
    """
    with django_db_blocker.unblock():
        call_command("loaddata", *SEED_FIXTURES, verbosity=0)


def _ensure_seed():
    if not City.objects.filter(slug="milan").exists():
        call_command("loaddata", *SEED_FIXTURES, verbosity=0)


@pytest.fixture
def reference_data(db):
    """Stakeholder types, topics and the four checklists (the seed is loaded as a whole)."""
    _ensure_seed()


@pytest.fixture
def milan(db):
    """The complete Milan 2018 benchmarking, as `seed_demo` loads it."""
    _ensure_seed()
    return City.objects.get(slug="milan")


def make_user(username, *, staff=False, city=None, role=None):
    user = get_user_model().objects.create_user(username, password="pw-" + username, is_staff=staff)
    if city is not None:
        Assignment.objects.create(user=user, city=city, role=role)
    return user


def make_city(slug, name=None, country="Italy"):
    return City.objects.create(slug=slug, name=name or slug.title(), country=country)


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
def officer_client(client, officer):
    """The test client, signed in as Milan's officer."""
    client.force_login(officer)
    return client


def pytest_sessionstart(session):
    """Compile the message catalogues whose .mo is missing or older than the .po, as `make test`
    does, so that running pytest on its own tests the current translations."""
    from translations import catalogs

    for po_file in catalogs.catalogues([catalogs.LOCALE_DIR]):
        if catalogs.stale(po_file):
            catalogs.compile_po(po_file)


@pytest.fixture(autouse=True)
def empty_cache():
    """Rendered PDFs are cached by their content: no test may be served one another test made."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fake_renders(monkeypatch):
    """Instant renders, different every time, that keep the HTML they were asked for."""
    from assessments import pdf

    documents = []

    def fake(html, fetcher=None):
        documents.append(html)
        return b"%PDF-fake " + str(len(documents)).encode()

    monkeypatch.setattr(pdf, "render_pdf", fake)
    return documents

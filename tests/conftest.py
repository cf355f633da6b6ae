"""Shared fixtures: the seed data and the three kinds of people of the permission ladder."""
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from stakeholders.models import Assignment, City

SEED_FIXTURES = ["stakeholder_types", "topics", "checklists", "milan-2018"]


@pytest.fixture
def reference_data(db):
    """Stakeholder types, topics and the four checklists, without any city."""
    call_command("loaddata", *SEED_FIXTURES[:3], verbosity=0)


@pytest.fixture
def milan(db):
    """The complete Milan 2018 benchmarking, as `seed_demo` loads it."""
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)
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

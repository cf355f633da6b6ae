"""Random mutations of a valid exchange file never crash `import_city` and never apply half a file."""

import copy

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.exchange import ExchangeError, export_city, import_city
from stakeholders.models import City
from tests.dumps import database_dump

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 10**12)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(["yes", "no", "nd", "milan", "2018", "chamber", "networking", ""]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=6,
)


def locations(document):
    """Every (container, key) pair of the document, so a mutation can hit any place."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                found.append((node, key))
                walk(value)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                found.append((node, index))
                walk(value)

    walk(document)
    return found


mutation = st.tuples(st.integers(min_value=0), st.sampled_from(["replace", "delete", "duplicate"]), json_values)


class _Rollback(Exception):
    pass


@pytest.fixture
def milan_document(milan):
    return export_city(milan)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutations=st.lists(mutation, min_size=1, max_size=3))
def test_mutated_files_are_refused_cleanly_or_imported_whole(milan_document, mutations):
    document = copy.deepcopy(milan_document)
    for index, action, value in mutations:
        places = locations(document)
        container, key = places[index % len(places)]
        if action == "replace":
            container[key] = value
        elif action == "delete":
            del container[key]
        elif isinstance(container, list):
            container.insert(key, copy.deepcopy(container[key]))
        else:
            container[key] = copy.deepcopy(container[key])
    before = database_dump()
    try:
        with transaction.atomic():
            try:
                city, round = import_city(copy.deepcopy(document))
            except ExchangeError as refused:
                assert refused.errors and all(": " in error for error in refused.errors)
                assert database_dump() == before
                raise _Rollback from refused
            # Accepted: the database now holds exactly what the file says, nothing of the old round.
            exported = export_city(city, round)
            assert exported["city"] == document["city"]
            assert len(exported["sheets"]) == len(document["sheets"])
            import_city(copy.deepcopy(exported))
            assert export_city(City.objects.get(pk=city.pk), round) == exported
            raise _Rollback
    except _Rollback:
        pass

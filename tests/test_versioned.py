"""The one rule of the caches of figures computed once per version of what they read
(`mega.versioned`): the current version is served, an older one only while it is younger than
the tolerance it is asked with, and nothing is kept without a version."""

import pytest

from mega import versioned as versioned_module
from mega.versioned import versioned


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def time(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(versioned_module, "time", clock)
    return clock


class Counter:
    """A computation that says how many times it ran."""

    def __init__(self):
        self.runs = 0

    def __call__(self):
        self.runs += 1
        return f"figures #{self.runs}"


def test_a_value_is_computed_once_per_version(clock):
    compute = Counter()
    assert versioned(("figures", 1), "v1", compute) == "figures #1"
    assert versioned(("figures", 1), "v1", compute) == "figures #1"
    assert compute.runs == 1


def test_a_new_version_is_computed_at_once_without_tolerance(clock):
    compute = Counter()
    versioned(("figures", 1), "v1", compute)
    assert versioned(("figures", 1), "v2", compute) == "figures #2"
    assert versioned(("figures", 1), "v2", compute) == "figures #2"


def test_an_older_version_is_served_while_younger_than_the_tolerance(clock):
    compute = Counter()
    versioned(("figures", 1), "v1", compute, max_age=60)
    clock.now += 59
    assert versioned(("figures", 1), "v2", compute, max_age=60) == "figures #1"
    clock.now += 2  # 61 s after it was computed
    assert versioned(("figures", 1), "v3", compute, max_age=60) == "figures #2"
    # The new value is kept for the version it was computed for, and its age counts from then.
    assert versioned(("figures", 1), "v3", compute) == "figures #2"
    clock.now += 30
    assert versioned(("figures", 1), "v4", compute, max_age=60) == "figures #2"


def test_each_key_has_its_own_value(clock):
    compute = Counter()
    assert versioned(("figures", 1), "v1", compute) == "figures #1"
    assert versioned(("figures", 2), "v1", compute) == "figures #2"
    assert versioned(("other", 1), "v1", compute) == "figures #3"
    assert versioned(("figures", 1), "v1", compute) == "figures #1"


def test_without_a_version_nothing_is_kept(clock):
    compute = Counter()
    assert versioned(("figures", 1), None, compute, max_age=60) == "figures #1"
    assert versioned(("figures", 1), None, compute, max_age=60) == "figures #2"
    assert versioned(("figures", 1), "v1", compute, max_age=60) == "figures #3"


def test_a_falsy_value_is_kept_like_any_other(clock):
    runs = []

    def empty():
        runs.append(1)
        return []

    assert versioned(("figures", 1), "v1", empty) == []
    assert versioned(("figures", 1), "v1", empty) == []
    assert len(runs) == 1

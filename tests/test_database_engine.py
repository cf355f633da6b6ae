"""CI runs the suite twice; the PostgreSQL run must really be on PostgreSQL."""

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_tests_run_on_the_database_ci_asked_for():
    expected = os.environ.get("EXPECT_DB_VENDOR", "sqlite" if not os.environ.get("DATABASE_URL") else "postgresql")
    assert connection.vendor == expected

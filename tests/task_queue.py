"""The real task queue in a test: django-tasks-db's database backend, and its worker run in this
process until the queue is empty (the suite's settings run jobs at once, inside the request)."""
import pytest
from django.core.management import call_command
from django.test import override_settings

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(name="queued")
def task_queue_fixture(monkeypatch):
    # The worker closes "old" database connections between jobs, as a long-running process should;
    # inside a test's transaction that would be the test's own connection.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    with override_settings(TASKS=DATABASE_TASKS):
        yield


def run_worker():
    """The real worker, in this process, until the queue is empty."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

"""The real task queue in a test: django-tasks-db's database backend, and its worker run in this
process until the queue is empty (the suite's settings run jobs at once, inside the request)."""

import pytest
from django.core.management import call_command

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(name="queued")
def task_queue_fixture(settings, monkeypatch):
    # The worker closes "old" database connections between jobs, as a long-running process should;
    # inside a test's transaction that would be the test's own connection.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    # Through pytest-django's `settings`, as every other change of a test's settings, so that they
    # are all undone in order (an override_settings of its own, undone before a later change of
    # `settings`, would come back with that change's undoing).
    settings.TASKS = DATABASE_TASKS


def run_worker():
    """The real worker, in this process, until the queue is empty."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

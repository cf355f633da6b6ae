"""The e-mails are sent by a task worker, not by the request or the cron job that caused them:
with the real queue (the database backend and its worker) and a real SMTP server, nothing goes out
until the worker runs, and running the reminders twice still sends nothing new."""

import io
from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from assessments.models import CityReport, Sheet
from tests.people_helpers import REMINDERS_DUE, people_fixture, round_2030_fixture, smtp_server_fixture
from tests.task_queue import run_worker, task_queue_fixture

queued = task_queue_fixture
smtp_server = smtp_server_fixture
round_2030 = round_2030_fixture
people = people_fixture


def with_address(user):
    user.email = f"{user.username}@example.org"
    user.save()
    return user


def jobs():
    return sorted(DBTaskResult.objects.values_list("task_path", "status"))


def test_a_submitted_sheet_is_mailed_by_the_worker_after_the_request(
    client, milan, officer, admin_user, queued, smtp_server, django_capture_on_commit_callbacks
):
    with_address(admin_user)
    sheet = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="municipality")
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sheets:submit", args=[sheet.pk]), {"version": sheet.version})
    assert response.status_code == 302
    assert not smtp_server.messages  # the request only queued it
    assert jobs() == [("people.tasks.sheet_transition", "READY")]

    run_worker()
    [(recipients, message)] = smtp_server.messages
    assert recipients == [admin_user.email] and message["Subject"] == "To review: Milan – Municipality"
    assert jobs() == [("people.tasks.sheet_transition", "SUCCESSFUL")]


def test_a_step_rolled_back_queues_nothing(
    milan, officer, admin_user, queued, smtp_server, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from assessments import workflow

    with_address(admin_user)
    sheet = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="municipality")
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                workflow.transition(sheet, officer, workflow.Action.SUBMIT)
                raise RuntimeError("the step fails after the transition")
        except RuntimeError:
            pass
    run_worker()
    assert not jobs() and not smtp_server.messages


def test_a_published_report_is_mailed_by_the_worker(
    milan, coordinator, queued, smtp_server, django_capture_on_commit_callbacks
):
    with_address(coordinator)
    report = CityReport.objects.get(city=milan, round__name="2018")
    report.published = False
    report.save()
    with django_capture_on_commit_callbacks(execute=True):
        report.published = True
        report.save()
    assert not smtp_server.messages
    run_worker()
    assert [recipients for recipients, _ in smtp_server.messages] == [[coordinator.email]]


def test_reminders_are_queued_by_the_command_and_sent_once_by_the_worker(round_2030, people, queued, smtp_server):
    day = (REMINDERS_DUE - timedelta(days=7)).isoformat()
    out = io.StringIO()
    call_command("send_reminders", today=day, stdout=out)
    assert f"Reminders of {day} queued" in out.getvalue()
    assert not smtp_server.messages
    run_worker()
    assert sorted(recipients[0] for recipients, _ in smtp_server.messages) == ["olga@example.org", "tina@example.org"]

    # The cron job runs twice, and a catch-up day follows: two more jobs, nothing new sent.
    call_command("send_reminders", today=day, stdout=io.StringIO())
    call_command("send_reminders", today=(REMINDERS_DUE - timedelta(days=6)).isoformat(), stdout=io.StringIO())
    run_worker()
    assert len(smtp_server.messages) == 2
    assert jobs() == [("people.tasks.send_reminders", "SUCCESSFUL")] * 3


def test_a_reminder_job_that_cannot_reach_the_mail_server_fails_and_records_nothing(
    round_2030, people, queued, settings
):
    from people.models import ReminderSent
    from tests.people_helpers import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    call_command("send_reminders", today=(REMINDERS_DUE - timedelta(days=7)).isoformat(), stdout=io.StringIO())
    run_worker()
    assert jobs() == [("people.tasks.send_reminders", "FAILED")]
    assert not ReminderSent.objects.exists()

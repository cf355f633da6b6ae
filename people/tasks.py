"""The e-mails, sent by a task worker (`python manage.py db_worker`) rather than by the request or
the command that caused them: a slow or absent mail server then holds no page and no cron job.

The workflow e-mails are queued once their change is committed (`transaction.on_commit`), so a
step that is rolled back queues nothing. The jobs take ids, not objects, and read the rows
afresh when they run.
"""

from datetime import date

from django_tasks import task

from people import notifications, reminders


@task()
def sheet_transition(record_pk):
    """The e-mails of one review step (submitted, returned, validated); returns how many went out."""
    return notifications.sheet_transition(record_pk)


@task()
def report_published(report_pk):
    """The e-mails telling a city's coordinators their report was published."""
    return notifications.report_published(report_pk)


@task()
def send_reminders(day):
    """The deadline reminders due on `day` (YYYY-MM-DD). Each one sent is recorded with it, so a
    second job for the same day, or one running beside it, sends nothing twice."""
    return reminders.send_reminders(date.fromisoformat(day))

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_tasks import TaskResultStatus

from people.tasks import send_reminders


class Command(BaseCommand):
    help = (
        "Queue the e-mails reminding each officer of their open sheets N days before the round's "
        "due date (N in REMINDER_DAYS); a task worker sends them. Run it daily (cron); running it "
        "twice sends nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD), e.g. to catch up.")

    def handle(self, *args, today=None, **options):
        if today:
            try:
                day = date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"--today must be a date as YYYY-MM-DD, not {today!r}") from None
        else:
            day = timezone.localdate()
        job = send_reminders.enqueue(day.isoformat())
        if job.status == TaskResultStatus.SUCCESSFUL:  # a backend that runs jobs at once
            self.stdout.write(f"{job.return_value} reminder(s) sent.")
        elif job.status == TaskResultStatus.FAILED:
            raise CommandError(f"The reminders could not be sent: {job.errors[-1].traceback.strip().splitlines()[-1]}")
        else:
            self.stdout.write(f"Reminders of {day.isoformat()} queued (job {job.id}); a task worker sends them.")

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from people.reminders import send_reminders


class Command(BaseCommand):
    help = ("E-mail each officer the list of their open sheets N days before the round's due date "
            "(N in REMINDER_DAYS). Run it daily (cron); running it twice sends nothing new.")

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
        count = send_reminders(day)
        self.stdout.write(f"{count} reminder(s) sent.")

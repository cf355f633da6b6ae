"""Deadline reminders: each officer gets, N days before a round's due date (N in REMINDER_DAYS),
the list of their open sheets of that round. What was sent is recorded (`ReminderSent`), so running
it again, or catching up after a missed day, sends nothing twice."""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments.models import Round, Sheet
from people import mail
from people.models import ReminderSent, language_of
from stakeholders.models import Assignment


def open_sheets_by_officer(round):
    """{officer: [their cities' draft sheets of `round`]} for active officers with an address."""
    sheets = defaultdict(list)
    for sheet in Sheet.objects.filter(round=round, status=Sheet.Status.DRAFT).select_related(
        "city", "round", "checklist__stakeholder_type"
    ):
        sheets[sheet.city_id].append(sheet)
    officers = {}
    result = defaultdict(list)
    assignments = (
        Assignment.objects.filter(role=Assignment.Role.OFFICER, city_id__in=sheets, user__is_active=True)
        .exclude(user__email="")
        .select_related("user__profile")
    )
    for assignment in assignments:
        user = officers.setdefault(assignment.user_id, assignment.user)
        result[user].extend(sheets[assignment.city_id])
    return result


def send_reminders(today, days=None):
    """Send the reminders due on `today`; returns the number of e-mails sent."""
    days = sorted(set(days or settings.REMINDER_DAYS))
    if not days:
        return 0
    sent = 0
    for round in Round.objects.filter(closed=False, due_on__gte=today, due_on__lte=today + timedelta(days=days[-1])):
        left = (round.due_on - today).days
        reached = [n for n in days if left <= n]
        done = set(
            ReminderSent.objects.filter(round=round, days_before__in=reached).values_list("user_id", "days_before")
        )
        for user, sheets in open_sheets_by_officer(round).items():
            pending = [n for n in reached if (user.pk, n) not in done]
            if not pending:
                continue
            sheets.sort(key=lambda s: (s.city.name, s.checklist.stakeholder_type.position))
            message = mail.build(
                "reminder",
                {
                    "recipient": user,
                    "round": round,
                    "days_left": left,
                    "sheets": [(sheet, mail.absolute_url(reverse("sheets:edit", args=[sheet.pk]))) for sheet in sheets],
                    "home": mail.absolute_url(reverse("home")),
                },
                to=user.email,
                language=language_of(user),
            )
            # Recorded and sent together: a refused e-mail records nothing, so tomorrow's run tries again.
            try:
                with transaction.atomic():
                    ReminderSent.objects.bulk_create(
                        ReminderSent(user=user, round=round, days_before=n) for n in pending
                    )
                    mail.send([message])
            except IntegrityError:  # a run beside this one recorded (and sent) it first
                continue
            sent += 1
    return sent

"""Who hears about what, by e-mail: the review workflow, published reports and deadlines.

- a sheet submitted: the reviewers, i.e. every active staff member (staff validate and return
  sheets);
- a sheet returned (with the reviewer's comment) or validated: the city's officers;
- a report published: the city's coordinators.

The person who acted is never told about their own action. Each function runs on a task worker
(`people/tasks.py`), queued once the change has been committed (`transaction.on_commit`), so
nobody hears about a change that was rolled back.
"""

from django.contrib.auth import get_user_model
from django.urls import reverse

from assessments.models import CityReport, SheetTransition
from people import mail
from stakeholders.models import Assignment

Action = SheetTransition.Action
SHEET_MAILS = {Action.SUBMIT: "sheet_submitted", Action.RETURN: "sheet_returned", Action.VALIDATE: "sheet_validated"}


def reviewers():
    return get_user_model().objects.filter(is_active=True, is_staff=True).select_related("profile")


def people_of(city, role):
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            assignments__city=city,
            assignments__role=role,
        )
        .select_related("profile")
        .distinct()
    )


def sheet_transition(record_pk):
    record = SheetTransition.objects.select_related(
        "sheet__city",
        "sheet__round",
        "sheet__checklist__stakeholder_type",
        "by",
    ).get(pk=record_pk)
    name = SHEET_MAILS.get(record.action)
    if name is None:
        return 0
    sheet = record.sheet
    users = reviewers() if record.action == Action.SUBMIT else people_of(sheet.city, Assignment.Role.OFFICER)
    if record.by_id:
        users = users.exclude(pk=record.by_id)
    return mail.notify(
        name,
        users,
        {
            "sheet": sheet,
            "record": record,
            "link": mail.absolute_url(reverse("sheets:edit", args=[sheet.pk])),
        },
    )


def report_published(report_pk):
    report = CityReport.objects.select_related("city", "round").get(pk=report_pk)
    link = mail.absolute_url(reverse("reports:city", kwargs={"city": report.city.slug, "round": report.round.name}))
    return mail.notify(
        "report_published",
        people_of(report.city, Assignment.Role.COORDINATOR),
        {
            "report": report,
            "link": link,
        },
    )

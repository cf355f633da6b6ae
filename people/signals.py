"""A published report's coordinators are told by a task worker."""

from django.dispatch import receiver

from people import tasks
from reports.signals import report_published


@receiver(report_published, dispatch_uid="people-report-published")
def tell_coordinators(sender, report, **kwargs):
    tasks.report_published.enqueue(report.pk)

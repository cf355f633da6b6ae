"""A published report is what its coordinators download next: its PDF is rendered ahead, by a task
worker, in the site's language."""

from django.conf import settings
from django.dispatch import receiver

from downloads.tasks import prerender
from reports.signals import report_published


@receiver(report_published, dispatch_uid="downloads-render-published-report")
def render_published_report(sender, report, **kwargs):
    prerender.enqueue("report", report.pk, settings.LANGUAGE_CODE)

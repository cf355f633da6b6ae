"""A report becomes published wherever that happens (a page, the admin, an import): once the change
is committed, `report_published` is sent with the report, so that whoever acts on a publication
(the coordinators' e-mail, the PDF rendered ahead) never acts on a rolled-back one."""

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import Signal, receiver

from assessments.models import CityReport

report_published = Signal()  # sender=CityReport, report=<the CityReport>


@receiver(pre_save, sender=CityReport, dispatch_uid="reports-remember-publication")
def remember_publication(sender, instance, raw, update_fields=None, **kwargs):
    if raw or not instance.published or not instance.pk or (update_fields and "published" not in update_fields):
        instance._newly_published = False
        return
    instance._newly_published = not CityReport.objects.filter(pk=instance.pk, published=True).exists()


@receiver(post_save, sender=CityReport, dispatch_uid="reports-announce-publication")
def announce_publication(sender, instance, created, raw, **kwargs):
    newly = instance.published and not raw if created else getattr(instance, "_newly_published", False)
    instance._newly_published = False
    if newly:
        transaction.on_commit(lambda: report_published.send(sender=CityReport, report=instance))

"""A report becomes published wherever that happens (a page, the admin, an import): its city's
coordinators are told, by a task worker, once the change is committed."""
from functools import partial

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from assessments.models import CityReport
from people import tasks


@receiver(pre_save, sender=CityReport, dispatch_uid="people-report-was-published")
def remember_publication(sender, instance, raw, update_fields=None, **kwargs):
    if raw or not instance.published or not instance.pk or (update_fields and "published" not in update_fields):
        instance._newly_published = False
        return
    instance._newly_published = not CityReport.objects.filter(pk=instance.pk, published=True).exists()


@receiver(post_save, sender=CityReport, dispatch_uid="people-report-published")
def announce_publication(sender, instance, created, raw, **kwargs):
    newly = instance.published and not raw if created else getattr(instance, "_newly_published", False)
    instance._newly_published = False
    if newly:
        transaction.on_commit(partial(tasks.report_published.enqueue, instance.pk))

"""The running of rounds by programme staff: what is kept of a city taken out of a round.

Taking a city out of a round whose sheets already hold answers keeps them: its benchmarking is
stored as an exchange document (the format `import_city` reads back) before its sheets and report
go, and the history keeps every row as it was.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.exchange import export_city
from assessments.models import CityReport, Round, Sheet
from stakeholders.models import City


class ArchivedBenchmarking(models.Model):
    """A city's benchmarking of a round, as it was when staff took the city out of the round."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="archived_benchmarkings")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="archived_benchmarkings")
    document = models.JSONField(help_text=_("The exchange document: `import_city` restores it."))
    contents = models.JSONField(default=dict, help_text=_("How many answers, annotations, texts and conclusions."))
    archived_at = models.DateTimeField(default=timezone.now)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-archived_at", "-id"]
        verbose_name = _("archived benchmarking")

    def __str__(self):
        return f"{self.city} {self.round} (archived {self.archived_at:%Y-%m-%d})"

    @classmethod
    def remove_city(cls, round, city, user, *, confirmed=False):
        """Take `city` out of `round`. While its sheets and report are empty they simply go; once
        something is written, only `confirmed`, and what was written is archived first.
        Returns the archive, or None when there was nothing to keep."""
        with transaction.atomic():
            sheets = list(Sheet.objects.select_for_update().filter(city=city, round=round))
            if not sheets:
                raise ValidationError(
                    _("%(city)s is not in round %(round)s.") % {"city": city.name, "round": round.name}
                )
            if round.closed:
                raise ValidationError(
                    _("Round %(round)s is closed: reopen it to remove cities.") % {"round": round.name}
                )
            contents = round.contents_of(city)
            archive = None
            if any(contents.values()):
                if not confirmed:
                    raise ValidationError(_("Confirm that the answers and texts are to be archived."))
                archive = cls.objects.create(
                    city=city, round=round, document=export_city(city, round), contents=contents, archived_by=user
                )
            for sheet in sheets:
                sheet._history_user = user
                sheet.delete()
            for report in CityReport.objects.filter(city=city, round=round):
                report._history_user = user
                report.delete()
        return archive

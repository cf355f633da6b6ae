"""Who is benchmarked (cities, their organisations) and who works on which city."""

from django.conf import settings
from django.core.validators import validate_slug
from django.db import models
from django.utils.translation import gettext, gettext_lazy as _, gettext_noop

# The names of the four stakeholder types of the MEGA method, in the interface's catalogues
# (StakeholderType.name is data; these are its translations). A type an admin adds, and the
# original language, show the name as stored.
STAKEHOLDER_TYPE_NAMES = {
    "municipality": gettext_noop("Municipality"),
    "chamber": gettext_noop("Chamber of Commerce"),
    "business_organisation": gettext_noop("Business organisations"),
    "immigrant_business_organisation": gettext_noop("Immigrant business organisations"),
}


class CityQuerySet(models.QuerySet):
    def for_user(self, user):
        """Cities the user may read: all for staff, otherwise those they are assigned to."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.all()
        return self.filter(assignments__user=user).distinct()


class CityManager(models.Manager.from_queryset(CityQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class City(models.Model):
    slug = models.SlugField(max_length=60, unique=True, validators=[validate_slug])
    name = models.CharField(max_length=120)
    country = models.CharField(max_length=80)
    size_band = models.CharField(
        max_length=40,
        blank=True,
        help_text="Optional group for comparisons, e.g. 'over 1 million inhabitants'.",
    )
    # A fictional city of the demo cohort: every page, export and PDF of it says "sample data".
    is_sample = models.BooleanField(
        "sample data",
        default=False,
        help_text="A fictional city loaded by seed_demo to show the app with content.",
    )

    objects = CityManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "cities"

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class StakeholderTypeManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class StakeholderType(models.Model):
    """The four kinds of local actor, each with its own checklist."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120, help_text="As in a sheet title, e.g. 'Chamber of Commerce'.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order of the sheets in a report.")

    objects = StakeholderTypeManager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    @property
    def display_name(self):
        """The name in the reader's language for the four known types, else the name as stored."""
        original = STAKEHOLDER_TYPE_NAMES.get(self.slug)
        if original is None:
            return self.name
        text = gettext(original)
        return self.name if text == original else text


class OrganisationManager(models.Manager):
    def get_by_natural_key(self, city_slug, name):
        return self.get(city__slug=city_slug, name=name)


class Organisation(models.Model):
    """An organisation of a city that is interviewed: it answers as a respondent column."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="organisations")
    stakeholder_type = models.ForeignKey(StakeholderType, on_delete=models.PROTECT, related_name="organisations")
    name = models.CharField(max_length=200)

    objects = OrganisationManager()

    class Meta:
        ordering = ["city__name", "stakeholder_type__position", "name"]
        constraints = [
            # Respondents and imports find an organisation by its name within the city.
            models.UniqueConstraint(fields=["city", "name"], name="organisation_unique_name_per_city"),
        ]

    def __str__(self):
        return f"{self.name} ({self.city})"

    def natural_key(self):
        return (self.city.slug, self.name)

    natural_key.dependencies = ["stakeholders.city", "stakeholders.stakeholdertype"]


class Assignment(models.Model):
    """A person's role for one city; what they may see and do follows from it."""

    class Role(models.TextChoices):
        OFFICER = "officer", _("Benchmarking officer")
        COORDINATOR = "coordinator", _("City coordinator")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["city__name", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "city", "role"], name="assignment_unique_role_per_city"),
            models.CheckConstraint(
                condition=models.Q(role__in=["officer", "coordinator"]), name="assignment_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} for {self.city}"

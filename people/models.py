"""People invited by staff, their language for e-mails, and the reminders already sent."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Assignment, City


def new_nonce():
    return secrets.token_urlsafe(32)


class Profile(models.Model):
    """What a person chooses for themselves: the language of the e-mails they get."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    language = models.CharField(
        _("language of e-mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    class Meta:
        ordering = ["user__username"]

    def __str__(self):
        return f"{self.user} ({self.language})"


def language_of(user):
    """The language `user` reads e-mails in: their choice, else the site's language."""
    try:
        return user.profile.language
    except Profile.DoesNotExist:
        return settings.LANGUAGE_CODE


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Neither accepted nor revoked (possibly expired: staff may resend it)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    """An e-mail address invited by staff to become officer or coordinator of some cities.

    The account is created only when the person accepts, so a revoked or forgotten invitation
    leaves nothing behind. The link carries `nonce`, signed: sending the invitation again,
    accepting or revoking it renews or retires the nonce, so every older link stops working.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Invited")
        EXPIRED = "expired", _("Link expired")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")

    email = models.EmailField(_("e-mail address"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Assignment.Role.choices)
    cities = models.ManyToManyField(City, related_name="invitations", verbose_name=_("cities"))
    language = models.CharField(
        _("language of e-mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(default=timezone.now)
    nonce = models.CharField(max_length=64, default=new_nonce, editable=False)
    accepted_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations",
        help_text="The account created when the invitation was accepted.",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Two open invitations for one address would create two accounts racing for it.
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_address",
            ),
        ]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()})"

    @property
    def expires_at(self):
        return self.sent_at + settings.INVITATION_MAX_AGE

    @property
    def status(self):
        if self.revoked_at:
            return self.Status.REVOKED
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.expires_at < timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self):
        return self.Status(self.status).label

    @property
    def is_open(self):
        return self.status in (self.Status.PENDING, self.Status.EXPIRED)


class ReminderSent(models.Model):
    """A deadline reminder already sent, so that running `send_reminders` again sends nothing new."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey("assessments.Round", on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "round", "days_before"], name="reminder_sent_once"),
        ]

    def __str__(self):
        return f"{self.user} – {self.round}, {self.days_before} days before"

"""Inviting people: create and send an invitation, send it again, revoke it, accept it."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from people import mail
from people.models import Invitation, Profile, new_nonce
from people.tokens import make_token
from stakeholders.models import Assignment


class InvitationError(Exception):
    """The invitation cannot be accepted (any more); the message says what to do."""


def address_taken(email):
    """Whether an account already uses `email`, as address or username (compared without case)."""
    User = get_user_model()
    return User.objects.filter(email__iexact=email).exists() or User.objects.filter(username__iexact=email).exists()


def send(invitation):
    """E-mail the invitation with a fresh link (older links stop working); raises when it cannot."""
    link = mail.absolute_url(reverse("people:accept_link", args=[make_token(invitation)]))
    message = mail.build(
        "invitation",
        {
            "invitation": invitation,
            "link": link,
            "cities": list(invitation.cities.all()),
        },
        to=invitation.email,
        language=invitation.language,
    )
    mail.send([message])


def invite(*, email, role, cities, language, by):
    """Create the invitation and e-mail it, in one transaction: if the mail server refuses it,
    no invitation is recorded and staff see the error."""
    with transaction.atomic():
        invitation = Invitation.objects.create(email=email, role=role, language=language, invited_by=by)
        invitation.cities.set(cities)
        send(invitation)
    return invitation


def resend(invitation):
    with transaction.atomic():
        invitation.nonce = new_nonce()
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["nonce", "sent_at"])
        send(invitation)


def revoke(invitation):
    invitation.revoked_at = timezone.now()
    invitation.nonce = new_nonce()
    invitation.save(update_fields=["revoked_at", "nonce"])


def accept(invitation, password):
    """Create the account with `password`, its assignments and its language; returns the user."""
    User = get_user_model()
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().open().filter(pk=invitation.pk, nonce=invitation.nonce).first()
        if locked is None:
            raise InvitationError
        if address_taken(locked.email):
            raise InvitationError
        try:
            with transaction.atomic():
                user = User(username=locked.email.lower(), email=locked.email.lower())
                user.set_password(password)
                user.save()
        except IntegrityError as error:
            raise InvitationError from error
        Assignment.objects.bulk_create(
            Assignment(user=user, city=city, role=locked.role) for city in locked.cities.all()
        )
        Profile.objects.create(user=user, language=locked.language)
        locked.accepted_at = timezone.now()
        locked.user = user
        locked.nonce = new_nonce()
        locked.save(update_fields=["accepted_at", "user", "nonce"])
    return user

"""The invitation link's token: the invitation's id and nonce, signed and time-stamped.

Signed with SECRET_KEY (django.core.signing), so it cannot be forged or guessed; it expires after
INVITATION_MAX_AGE; it is single-use because accepting, resending or revoking the invitation
changes or retires the nonce it carries.
"""

from django.conf import settings
from django.core import signing

from people.models import Invitation

SALT = "people.invitation"


def make_token(invitation):
    return signing.dumps([invitation.pk, invitation.nonce], salt=SALT)


def open_invitation(token):
    """The open invitation `token` was made for, or None when it is forged, expired or used."""
    try:
        pk, nonce = signing.loads(token, salt=SALT, max_age=settings.INVITATION_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return Invitation.objects.open().filter(pk=pk, nonce=nonce).first()

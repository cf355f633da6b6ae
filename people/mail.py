"""Writing and sending the application's e-mails: in the recipient's language, as plain text and
HTML, with absolute links built on SITE_URL.

Each e-mail is `people/email/<name>_subject.txt`, `<name>.txt` and `<name>.html`. One message
per recipient, so that nobody sees the others' addresses.
"""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation

from people.models import language_of

log = logging.getLogger(__name__)


def absolute_url(path):
    return settings.SITE_URL + path


def build(name, context, *, to, language):
    with translation.override(language):
        context = {**context, "site_url": settings.SITE_URL}
        subject = " ".join(render_to_string(f"people/email/{name}_subject.txt", context).split())
        text = render_to_string(f"people/email/{name}.txt", context)
        html = render_to_string(f"people/email/{name}.html", context)
    message = EmailMultiAlternatives(subject, text, to=[to])
    message.attach_alternative(html, "text/html")
    return message


def send(messages):
    """Send `messages` on one connection; returns how many went out. Raises when the server refuses."""
    if not messages:
        return 0
    return get_connection().send_messages(messages)


def notify(name, users, context):
    """Send e-mail `name` to each of `users` with an address, in their language.

    Called after a change has been committed: a mail server that is down must not undo it, nor
    turn the page into an error, so the failure is logged with what was not sent.
    """
    messages = [
        build(name, {**context, "recipient": user}, to=user.email, language=language_of(user))
        for user in users
        if user.email
    ]
    try:
        return send(messages)
    except (OSError, smtplib.SMTPException):
        log.exception("Could not send the e-mail %r to %s", name, ", ".join(m.to[0] for m in messages))
        return 0

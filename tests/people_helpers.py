"""Helpers for the tests of invitations and e-mails."""

import email
import email.policy
import re

import pytest
from aiosmtpd.controller import Controller

from people.invitations import invite
from stakeholders.models import Assignment


def invite_officer(email, city, by, language="en"):
    return invite(email=email, role=Assignment.Role.OFFICER, cities=[city], language=language, by=by)


def link_in(text):
    """The path of the first link to the application in an e-mail's text."""
    return re.search(r"https?://[^/\s]+(/\S*)", text)[1]


def free_port():
    """A TCP port of 127.0.0.1 that nothing listens on (the system picks it)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler keeping every message it receives, as parsed e-mails."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted for delivery"


@pytest.fixture(name="smtp_server")
def smtp_server_fixture(settings):
    """A real SMTP server on a free port of 127.0.0.1, and the app configured to send through it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = False
    settings.SITE_URL = "https://mega.example.org"
    yield inbox
    controller.stop()

"""Helpers for the tests of invitations and e-mails."""

import email
import email.policy
import re
from datetime import date

import pytest
from aiosmtpd.controller import Controller

from assessments.models import Round, Sheet
from people.invitations import invite
from people.models import Profile
from stakeholders.models import Assignment
from tests.factories import make_checklist, make_sheet, make_user


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


# The due date of round 2030 in the reminders' tests.
REMINDERS_DUE = date(2030, 6, 30)


@pytest.fixture(name="round_2030")
def round_2030_fixture(milan, turin):
    """Round 2030, due on 30 June: Milan's and Turin's two sheets each, Milan's chamber submitted."""
    municipality = make_checklist("municipality", version="r1")
    chamber = make_checklist("chamber", version="r1")
    sheets = {
        (city.slug, checklist.stakeholder_type.slug): make_sheet(city, checklist, round="2030")
        for city in (milan, turin)
        for checklist in (municipality, chamber)
    }
    Sheet.objects.filter(pk=sheets["milan", "chamber"].pk).update(status=Sheet.Status.SUBMITTED)
    Round.objects.filter(name="2030").update(due_on=REMINDERS_DUE)
    return sheets


@pytest.fixture(name="people")
def people_fixture(milan, turin):
    def person(name, cities, role=Assignment.Role.OFFICER, language="en"):
        user = make_user(name)
        user.email = f"{name}@example.org"
        user.save()
        Assignment.objects.bulk_create(Assignment(user=user, city=city, role=role) for city in cities)
        Profile.objects.create(user=user, language=language)
        return user

    return {
        "olga": person("olga", [milan]),
        "tina": person("tina", [milan, turin], language="it"),
        "cora": person("cora", [milan], role=Assignment.Role.COORDINATOR),
        "nomail": make_user("nomail", city=milan, role=Assignment.Role.OFFICER),
    }

"""Helpers for the tests of invitations and e-mails."""
import re

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

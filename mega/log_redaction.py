"""Secrets that travel in URLs never reach a log.

A password reset link (`/accounts/reset/<user>/<token>/`) signs its reader in to choose a new
password; a log line holding it would let anyone who reads the logs take over the account. Django
logs request paths (a refused CSRF check, a 404, a server error) and gunicorn logs every request
line, so both pass their lines through `redact`: the Django log handler by `RedactSecrets`
(settings.LOGGING), gunicorn's access log by `GunicornLogger` (gunicorn.conf.py).
"""

import logging
import re

from gunicorn.glogging import Logger

# Django's tokens are "<timestamp in base 36>-<hash>"; "set-password" is what the link becomes
# once the token is kept in the session, and is no secret.
RESET_TOKEN = re.compile(r"(/reset/[^/\s?#]+/)(?!set-password/)[^/\s?#]+")
REDACTED = r"\1[redacted]"


def redact(text):
    return RESET_TOKEN.sub(REDACTED, text)


class RedactSecrets(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class GunicornLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}

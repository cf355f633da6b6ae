"""Logging helpers for `settings.LOGGING`."""

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """A refused request (403, 400, 405 …) is the client's business, not a bug: Django logs it
    with the exception that caused it, whose traceback says nothing useful. Keep the one line."""

    def filter(self, record):
        if 400 <= getattr(record, "status_code", 0) < 500:
            record.exc_info = None
            record.exc_text = None
        return True

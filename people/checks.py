"""`check --deploy` refuses an e-mail backend that does not send: invitation and password-reset
links would land in the server's log (console) or nowhere (memory) instead of in people's inboxes."""

from django.conf import settings
from django.core import checks

NOT_SENDING = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@checks.register(checks.Tags.security, deploy=True)
def check_email_backend(app_configs, **kwargs):
    if settings.DEBUG or settings.EMAIL_BACKEND not in NOT_SENDING:
        return []
    return [
        checks.Error(
            f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}, which sends no e-mail: sign-in links would be written "
            "to the log or lost.",
            hint="Leave EMAIL_BACKEND unset (SMTP) and set EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, "
            "EMAIL_HOST_PASSWORD, EMAIL_USE_TLS and DEFAULT_FROM_EMAIL.",
            id="people.E001",
        )
    ]

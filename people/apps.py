from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and e-mail"

    def ready(self):
        from people import checks, signals  # noqa: F401  (registers the deploy check and the signals)

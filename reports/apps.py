from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        from reports import pdf, signals, stamps  # noqa: F401  (signals: the publication signal)

        stamps.connect()
        pdf.connect()
        stamps.code_digest()

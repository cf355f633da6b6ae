from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        from reports import pdf, stamps

        stamps.connect()
        pdf.connect()
        stamps.code_digest()

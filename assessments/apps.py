from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Benchmarking"

    def ready(self):
        from assessments import pdf, stamps

        stamps.connect()
        pdf.connect()
        stamps.code_digest()

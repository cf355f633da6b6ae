from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Benchmarking"

    def ready(self):
        from assessments import editor_cache, pdf

        editor_cache.connect()
        pdf.connect()
        editor_cache.code_digest()

from django.apps import AppConfig


class DownloadsConfig(AppConfig):
    name = "downloads"
    verbose_name = "PDF downloads"

    def ready(self):
        from downloads import signals  # noqa: F401  (renders a published report's PDF ahead)

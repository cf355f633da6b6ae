"""Compile the interface's message catalogues, with GNU gettext when it is installed, else in Python."""
import shutil

from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command

from translations import catalogs


class Command(BaseCommand):
    help = (
        "Compile locale/*/LC_MESSAGES/*.po to .mo: Django's compilemessages when GNU msgfmt is on "
        "PATH, otherwise a pure-Python compiler (so a machine with only Python can run the app)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--python", action="store_true", help="use the Python compiler even if msgfmt exists")
        parser.add_argument("--if-stale", action="store_true", help="only catalogues whose .mo is missing or older")

    def handle(self, python=False, if_stale=False, verbosity=1, **options):
        files = catalogs.catalogues(settings.LOCALE_PATHS)
        if not files:
            raise CommandError(f"no catalogue (*.po) under {', '.join(map(str, settings.LOCALE_PATHS))}")
        if if_stale:
            files = [path for path in files if catalogs.stale(path)]
            if not files:
                return
        if not python and shutil.which("msgfmt"):
            locales = sorted({path.parent.parent.name for path in files})
            call_command("compilemessages", locale=locales, ignore_patterns=[".venv", "node_modules", "staticfiles"],
                         verbosity=verbosity)
            return
        for path in files:
            try:
                target = catalogs.compile_po(path)
            except catalogs.PoSyntaxError as error:
                raise CommandError(str(error)) from None
            if verbosity:
                self.stdout.write(f"compiled {target}")

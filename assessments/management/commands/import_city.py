import json
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.db import transaction

from assessments.exchange import ExchangeError, import_city


def read_document(path):
    """Parse an exchange file, turning every way it can be unreadable into one clear message."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(settings.MAX_UPLOAD_BYTES + 1)
    except OSError as error:
        raise CommandError(f"{path}: cannot read the file ({error.strerror})") from error
    if len(raw) > settings.MAX_UPLOAD_BYTES:
        raise CommandError(f"{path}: the file is larger than {settings.MAX_UPLOAD_BYTES} bytes")
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise CommandError(f"{path}: not UTF-8 text (byte {error.start})") from error
    except json.JSONDecodeError as error:
        raise CommandError(f"{path}: not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}") from error
    except RecursionError:
        raise CommandError(f"{path}: not valid JSON: nested too deeply") from None


class Command(BaseCommand):
    help = (
        "Create or replace a city's round from a mega-benchmark/1 JSON document, or every *.json "
        "document of a directory (a backup from `export_city --all`); a bad file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a .json file, or a directory of them")

    def handle(self, path, **options):
        files = sorted(Path(path).glob("*.json")) if Path(path).is_dir() else [Path(path)]
        if not files:
            raise CommandError(f"{path}: no .json files in this directory")
        # Read and check everything before writing anything: a restore is all or nothing.
        documents = [(file, read_document(file)) for file in files]
        with transaction.atomic():
            for file, document in documents:
                try:
                    city, round = import_city(document)
                except ExchangeError as error:
                    raise CommandError(f"{file}: refused, nothing was changed:\n  " + "\n  ".join(error.errors)) from error
                what = f"round {round.name}" if round else "no round yet"
                self.stdout.write(f"imported {city.name} ({city.slug}), {what}")

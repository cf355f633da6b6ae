import json
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.db import transaction

from assessments.exchange import ExchangeError, existing_round, import_actor, import_city, schema_errors


class DuplicateKey(ValueError):
    pass


def refuse_duplicate_keys(pairs):
    """json's object hook: an object naming a key twice is refused (json would keep the last)."""
    seen = set()
    for key, _ in pairs:
        if key in seen:
            raise DuplicateKey(key)
        seen.add(key)
    return dict(pairs)


def duplicate_place(text, key):
    """The line and column of the second occurrence of `key` in one object, as near as a text
    search can tell (the json module does not report where its hook was called)."""
    quoted = json.dumps(key)
    first = text.find(quoted)
    second = text.find(quoted, first + 1)
    at = second if second >= 0 else max(first, 0)
    line = text.count("\n", 0, at) + 1
    return f"line {line}, column {at - (text.rfind(chr(10), 0, at) + 1) + 1}"


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
        text = raw.decode("utf-8")
        return json.loads(text, object_pairs_hook=refuse_duplicate_keys)
    except DuplicateKey as error:
        key = error.args[0]
        raise CommandError(
            f"{path}: key {key!r} appears twice in one object (near {duplicate_place(text, key)}); "
            "each key may appear once"
        ) from None
    except UnicodeDecodeError as error:
        raise CommandError(f"{path}: not UTF-8 text (byte {error.start})") from error
    except json.JSONDecodeError as error:
        raise CommandError(
            f"{path}: not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from error
    except RecursionError:
        raise CommandError(f"{path}: not valid JSON: nested too deeply") from None


class Command(BaseCommand):
    help = (
        "Create a city's round from a mega-benchmark/1 JSON document, or every *.json document of a "
        "directory (a backup from `export_city --all`); with --replace, update rounds that exist in "
        "place. A bad file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a .json file, or a directory of them")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="update a city's round that already exists to what the file says (ids kept, versions "
            "increased, the changes recorded in the history as made by the import_city account)",
        )

    def handle(self, path, replace=False, **options):
        files = sorted(Path(path).glob("*.json")) if Path(path).is_dir() else [Path(path)]
        if not files:
            raise CommandError(f"{path}: no .json files in this directory")
        # Read and check everything before writing anything: a restore is all or nothing.
        documents = [(file, read_document(file)) for file in files]
        for file, document in documents:
            if errors := schema_errors(document):
                raise CommandError(f"{file}: refused, nothing was changed:\n  " + "\n  ".join(errors))
            if not replace and existing_round(document):
                raise CommandError(
                    f"{file}: {document['city']['slug']!r} already has round {document['round']!r}; nothing was "
                    "changed (use --replace to update it to this file)"
                )
        with transaction.atomic():
            actor = import_actor()
            for file, document in documents:
                try:
                    city, round = import_city(document, actor)
                except ExchangeError as error:
                    raise CommandError(
                        f"{file}: refused, nothing was changed:\n  " + "\n  ".join(error.errors)
                    ) from error
                what = f"round {round.name}" if round else "no round yet"
                self.stdout.write(f"imported {city.name} ({city.slug}), {what}")

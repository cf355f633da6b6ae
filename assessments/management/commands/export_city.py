import json
import sys
from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.db.models import Q

from assessments.exchange import export_city
from assessments.models import Round
from stakeholders.models import City


def dumps(document):
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def rounds_of(city):
    return Round.objects.filter(
        Q(sheets__city=city) | Q(reports__city=city) | Q(self_assessments__city=city)
    ).distinct()


class Command(BaseCommand):
    help = (
        "Write a city's benchmarking (report and sheets) as a mega-benchmark/1 JSON document; "
        "with --all, every city and round into a directory (a backup that import_city reads back)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", help="the city's slug, e.g. milan")
        parser.add_argument("--round", help="the round's name (default: the city's latest round)")
        parser.add_argument("--all", action="store_true", help="every city and every round, one file each, into -o DIR")
        parser.add_argument("-o", "--output", help="file to write (default: standard output); with --all, a directory")

    def handle(self, slug=None, round=None, output=None, all=False, **options):
        if all:
            return self.export_all(output)
        if not slug:
            raise CommandError("name a city's slug, or use --all -o DIR")
        try:
            city = City.objects.get(slug=slug)
        except City.DoesNotExist:
            raise CommandError(f"no city with slug {slug!r}") from None
        round_obj = None
        if round is not None:
            try:
                round_obj = Round.objects.get(name=round)
            except Round.DoesNotExist:
                raise CommandError(f"no round named {round!r}") from None
        text = dumps(export_city(city, round_obj))
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"wrote {city.slug} to {output}")
        else:
            sys.stdout.write(text)

    def export_all(self, output):
        if not output:
            raise CommandError("--all needs -o DIR")
        directory = Path(output)
        directory.mkdir(parents=True, exist_ok=True)
        count = 0
        for city in City.objects.order_by("slug"):
            rounds = sorted(rounds_of(city), key=lambda r: r.name) or [None]
            for round in rounds:
                # A city not benchmarked yet is kept too, as a document with "round": null.
                name = f"{city.slug}--{round.name}.json" if round else f"{city.slug}.json"
                (directory / name).write_text(dumps(export_city(city, round)), encoding="utf-8")
                count += 1
        self.stderr.write(f"wrote {count} file(s) to {directory}")

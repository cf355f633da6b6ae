import json
import sys

from django.core.management import BaseCommand, CommandError

from assessments.exchange import export_city
from assessments.models import Round
from stakeholders.models import City


class Command(BaseCommand):
    help = "Write a city's benchmarking (report and sheets) as a mega-benchmark/1 JSON document."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the city's slug, e.g. milan")
        parser.add_argument("--round", help="the round's name (default: the city's latest round)")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, slug, round=None, output=None, **options):
        try:
            city = City.objects.get(slug=slug)
        except City.DoesNotExist:
            raise CommandError(f"no city with slug {slug!r}")
        round_obj = None
        if round is not None:
            try:
                round_obj = Round.objects.get(name=round)
            except Round.DoesNotExist:
                raise CommandError(f"no round named {round!r}")
        text = json.dumps(export_city(city, round_obj), indent=2, ensure_ascii=False) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"wrote {city.slug} to {output}")
        else:
            sys.stdout.write(text)

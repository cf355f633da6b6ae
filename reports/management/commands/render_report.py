"""Write the PDF city report of one city, or of every city, like the download button does."""

from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError

from assessments.exchange import latest_round
from assessments.models import CityReport, Round, Sheet
from reports import pdf
from stakeholders.models import City
from translations.languages import check_language, language_codes, override


class Command(BaseCommand):
    help = (
        "Render a city's PDF report: `render_report <city-slug> [--round R] -o FILE`, or every city's "
        "with `render_report --all [--round R] -o DIR`; `--lang it` for another language than English. "
        "Uses (and fills) the PDF cache. `--all --queue` instead queues one render per city for the task "
        "workers, which fill the cache that downloads are served from."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", help="the city's slug, e.g. milan")
        parser.add_argument("--all", action="store_true", help="every city and round that has a benchmarking")
        parser.add_argument("--round", help="the round's name (default: each city's latest round)")
        parser.add_argument("-o", "--output", help="the PDF file, or with --all the folder")
        parser.add_argument(
            "--queue",
            action="store_true",
            help="with --all: queue one render per city for the task workers instead of writing files",
        )
        parser.add_argument("--lang", help=f"the report's language: one of {', '.join(language_codes())} (default: en)")

    def handle(self, slug=None, all=False, round=None, output=None, lang=None, queue=False, **options):
        if bool(slug) == bool(all):
            raise CommandError("give either a city slug or --all")
        if queue and not all:
            raise CommandError("--queue goes with --all")
        if not queue and not output:
            raise CommandError("give the output with -o (a file, or with --all a folder), or --queue with --all")
        try:
            check_language(lang or settings.LANGUAGE_CODE)
        except ValueError as error:
            raise CommandError(f"--lang: {error}") from None
        if queue:
            self._queue_all(self._round(round), lang or settings.LANGUAGE_CODE)
            return
        with override(lang or settings.LANGUAGE_CODE):
            self._handle(slug, all, round, output)

    def _handle(self, slug, all, round, output):
        round_obj = self._round(round)
        if all:
            self._render_all(round_obj, Path(output))
            return
        city = City.objects.filter(slug=slug).first()
        if city is None:
            raise CommandError(f"no city with slug {slug!r}")
        round_obj = round_obj or latest_round(city)
        if round_obj is None or not self._has_benchmarking(city, round_obj):
            raise CommandError(f"{city.name} has no benchmarking{f' in round {round_obj}' if round_obj else ''}")
        path = Path(output)
        if path.is_dir():
            path = path / pdf.report_filename(city, round_obj)
        size = self._render(city, round_obj, path)
        self.stderr.write(f"wrote {path} ({size:,} bytes)")

    def _round(self, name):
        if name is None:
            return None
        round_obj = Round.objects.filter(name=name).first()
        if round_obj is None:
            raise CommandError(f"no round named {name!r}")
        return round_obj

    def _has_benchmarking(self, city, round_obj):
        return (
            Sheet.objects.filter(city=city, round=round_obj).exists()
            or CityReport.objects.filter(city=city, round=round_obj).exists()
        )

    def _render(self, city, round_obj, path):
        report = CityReport.objects.filter(city=city, round=round_obj).first()
        try:
            content = pdf.report_pdf(city, round_obj, report)
        except pdf.PdfError as error:
            raise CommandError(f"{city.slug} {round_obj}: {error}") from error
        path.write_bytes(content)
        return len(content)

    def _render_all(self, round_obj, folder):
        folder.mkdir(parents=True, exist_ok=True)
        pairs = self._pairs(round_obj)
        if not pairs:
            raise CommandError("no city has a benchmarking" + (f" in round {round_obj}" if round_obj else ""))
        bar = ProgressBar(len(pairs), self.stderr)
        for city, round_obj in pairs:
            bar.step(f"{city.slug} {round_obj.name}")
            self._render(city, round_obj, folder / pdf.report_filename(city, round_obj))
        bar.done()
        self.stderr.write(f"wrote {len(pairs)} report(s) to {folder}")

    def _queue_all(self, round_obj, language):
        """One job per city report: a crash loses one city, and any number of workers share them."""
        from downloads.tasks import prerender

        reports = CityReport.objects.filter(round=round_obj) if round_obj else CityReport.objects.all()
        ids = list(reports.order_by("city__name", "round__name").values_list("pk", flat=True))
        if not ids:
            raise CommandError("no city has a report" + (f" in round {round_obj}" if round_obj else ""))
        for pk in ids:
            prerender.enqueue("report", pk, language)
        self.stderr.write(f"queued {len(ids)} report(s) in {language} for the task workers")

    def _pairs(self, round_obj):
        """(city, round) of every benchmarking (sheets or a report), by city name and round."""
        keys = set()
        for model in (Sheet, CityReport):
            queryset = model.objects.filter(round=round_obj) if round_obj else model.objects.all()
            keys |= set(queryset.values_list("city_id", "round_id"))
        cities = City.objects.in_bulk({city_id for city_id, _ in keys})
        rounds = Round.objects.in_bulk({round_id for _, round_id in keys})
        pairs = [(cities[city_id], rounds[round_id]) for city_id, round_id in keys]
        return sorted(pairs, key=lambda pair: (pair[0].name, pair[0].slug, pair[1].name))


class ProgressBar:
    """`[#######.......]  3/8  milan 2018` on one line of stderr, redrawn as it goes."""

    WIDTH = 30

    def __init__(self, total, stream):
        self.total, self.stream, self.count = total, stream, 0
        self.interactive = getattr(getattr(stream, "_out", stream), "isatty", lambda: False)()

    def step(self, label):
        self.count += 1
        filled = round(self.WIDTH * self.count / self.total)
        line = (
            f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {self.count:>{len(str(self.total))}}/{self.total}  {label}"
        )
        if self.interactive:
            self.stream.write(f"\r\033[K{line}", ending="")
            self.stream.flush()
        else:
            self.stream.write(line)

    def done(self):
        if self.interactive:
            self.stream.write("")

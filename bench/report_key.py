"""Benchmark (not a test): what the city report PDF's key costs, and how often autosaves elsewhere
in the round change it, with a published cohort of many cities.

    .venv/bin/python bench/report_key.py [--cities 1000] [--runs 30] [--edits 40]

Builds a scratch database (a SQLite file in a temporary folder, or `mega_bench_report_key` on the
PostgreSQL server of DATABASE_URL, dropped at the end) with --cities cities (`tests/cohort.py`,
every other report published, so the report has its comparison with the cohort). Then, for the
second city's report, it prints:

- the key (`pdf.report_cache_key`): median time of --runs and queries, as every PDF download and
  waiting-page poll computes it, the cohort figures in the cache; and the same for its cohort part
  alone (`pdf.cohort_figures`, the comparison chart the PDF shows) and for `Round.sheets_stamp`,
  which the cohort part was before;
- --edits answers of other cities changed at random, each as an autosave saves it (its sheet
  touched), the cohort figures counted again after each (COHORT_FIGURES_MAX_AGE=0): how many of
  them changed the key's cohort part. Every one of them changes the round's sheets stamp.

Record the numbers in docs/benchmarks.md.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.scratch import cohort_with_users, scratch_django  # noqa: E402

FIXTURES = ["stakeholder_types", "topics", "checklists"]


def timed(function, runs):
    """(median ms of `runs` calls after two warm-up calls, queries of one call)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function()
    function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as captured:
        function()
    return statistics.median(times) * 1000, len(captured)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cities", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--edits", type=int, default=40)
    args = parser.parse_args()
    with scratch_django("mega_bench_report_key", FIXTURES) as where:
        city, _, seconds = cohort_with_users(args.cities)
        from django.conf import settings

        from assessments.models import Answer, CityReport
        from reports import pdf

        report = CityReport.objects.select_related("city", "round").get(city=city)
        round = report.round
        print(f"{args.cities} cities on the {where}, built in {seconds:.0f} s")
        for label, function in (
            ("report PDF key", lambda: pdf.report_cache_key(city, round, report)),
            ("its cohort part (the chart)", lambda: pdf.cohort_figures(city, round)),
            ("Round.sheets_stamp (before)", round.sheets_stamp),
        ):
            ms, queries = timed(function, args.runs)
            print(f"  {label:<30} median {ms:6.1f} ms, {queries} queries")

        settings.COHORT_FIGURES_MAX_AGE = 0
        chance = random.Random(7)
        others = list(
            Answer.objects.filter(respondent__sheet__round=round)
            .exclude(respondent__sheet__city=city)
            .values_list("pk", flat=True)
        )
        before, changed, start = pdf.cohort_figures(city, round), 0, time.perf_counter()
        for _ in range(args.edits):
            answer = Answer.objects.select_related("respondent__sheet").get(pk=chance.choice(others))
            answer.value = chance.choice([v for v in ("yes", "no", "nd", "") if v != answer.value])
            answer.save()
            answer.respondent.sheet.touch(None)
            after = pdf.cohort_figures(city, round)
            changed += after != before
            before = after
        print(
            f"  {args.edits} answers of other cities changed ({time.perf_counter() - start:.0f} s): the round's "
            f"sheets stamp changed {args.edits} times, the key's cohort part {changed} times"
        )


if __name__ == "__main__":
    main()

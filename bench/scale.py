"""Benchmark (not a test): matching, suggestions, comparison, report, dashboard and admin pages with many cities.

    .venv/bin/python bench/scale.py [--cities 1000] [--runs 30]     # and --cities 10000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/scale.py

Builds a scratch database and never touches your data: a SQLite file in a temporary folder, or,
when DATABASE_URL names a PostgreSQL server, a scratch database `mega_bench_scale` on that server
(created, then dropped). It migrates, loads the seed, and creates --cities cities × 4 sheets
× 2 respondents (the statements of the four checklists answered at random, a few left open) with
bulk_create (`tests/cohort.py`), each with a report of four conclusions, every other report
published (10,000 cities: about 1.3 million answers, built in 1–3 minutes on SQLite). Then it
requests, through Django's test client, signed in as a city's officer (who sees their city and the
published half) and as an admin (staff and superuser, who sees all):

- the round's matching page (grid, first page of 50 cities),
- the city's partners page,
- the city's suggestions from the sheets,
- the city's comparison with the cohort of the whole round,
- the city report,

and, as the admin only, the round dashboard, the admin's answer list, a sheet's admin change page
and the admin's respondent list; each --runs times after two warm-up requests (which fill the
caches: the cohort figures and the suggestions' ranking are computed once per change of the
round's answers), and prints p50 / p95 and the queries of one request. Target: p50 ≤ 300 ms each
at 10,000 cities, with the same query counts as at 1,000. Record the numbers in docs/benchmarks.md.
"""

import argparse
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH_DB = "mega_bench_scale"
FIXTURES = ["stakeholder_types", "topics", "checklists", "milan-2018"]

from bench.scratch import cohort_with_users, p95, scratch_django, timed_get  # noqa: E402


def measure(city, users, runs):
    from django.test import Client

    from assessments.models import Sheet

    sheet = Sheet.objects.filter(city=city).order_by("pk").first()
    # Literal paths: the pages people bookmark, whatever the URL names.
    pages = {
        "matching grid": "/rounds/2030/matching/",
        "partners": f"/cities/{city.slug}/2030/partners/",
        "suggestions": f"/cities/{city.slug}/2030/suggestions/",
        "comparison": f"/cities/{city.slug}/2030/comparison/",
        "city report": f"/cities/{city.slug}/2030/",
    }
    admin_pages = {
        "round dashboard": "/rounds/2030/",
        "admin answers": "/admin/assessments/answer/",
        "admin sheet": f"/admin/assessments/sheet/{sheet.pk}/change/",
        "admin respondents": "/admin/assessments/respondent/",
    }
    rows = []
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        for name, url in {**pages, **(admin_pages if role == "admin" else {})}.items():
            times, queries = timed_get(client, url, runs)
            rows.append((role, name, statistics.median(times), p95(times), queries))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cities", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    with scratch_django(SCRATCH_DB, FIXTURES) as database:
        from django.db import connection

        from assessments.models import Answer

        city, users, seconds = cohort_with_users(args.cities, round="2030")
        users["admin"].is_superuser = True  # the admin pages too
        users["admin"].save(update_fields=["is_superuser"])
        print(f"database: {connection.vendor} {connection.Database.__name__} ({database})")
        print(f"built {args.cities} cities, {Answer.objects.count()} answers in {seconds:.1f} s")
        print(f"load average before: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")
        print(f"{'user':8} {'page':17} {'p50':>9} {'p95':>9} {'queries':>8}   ({args.runs} requests each)")
        for role, name, p50, p95_, queries in measure(city, users, args.runs):
            print(f"{role:8} {name:17} {p50 * 1000:6.1f} ms {p95_ * 1000:6.1f} ms {queries:8}")
        print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

"""Benchmark (not a test): matching, suggestions and comparison with many cities.

    .venv/bin/python bench/scale.py [--cities 1000] [--runs 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/scale.py

Builds a scratch database and never touches your data: a SQLite file in a temporary folder, or,
when DATABASE_URL names a PostgreSQL server, a scratch database `mega_bench_scale` on that server
(created, then dropped). It migrates, loads the seed, and creates --cities cities × 4 sheets
× 2 respondents (the statements of the four checklists answered at random, a few left open) with
bulk_create (`tests/cohort.py`), each with a report of four conclusions, every other report
published. Then it requests, through Django's test client, signed in as a
city's officer (who sees their city and the published half) and as an admin (who sees all):

- the round's matching page (grid, first page of 50 cities),
- the city's partners page,
- the city's suggestions from the sheets,
- the city's comparison with the cohort of the whole round,

each --runs times after two warm-up requests, and prints p50 / p95. Target (issue 5): ≤ 300 ms
each on SQLite and PostgreSQL. Record the numbers in docs/benchmarks.md.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH_DB = "mega_bench_scale"
FIXTURES = ["stakeholder_types", "topics", "checklists", "milan-2018"]

from bench.scratch import p95, scratch_database, setup_django, timed_get  # noqa: E402


def build(cities):
    from django.contrib.auth import get_user_model
    from django.db import connection

    from stakeholders.models import Assignment
    from tests.cohort import build_cohort

    start = time.perf_counter()
    created = build_cohort(cities, round="2030")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    users = get_user_model().objects
    officer = users.create_user("bench-officer", password="x")
    Assignment.objects.create(user=officer, city=created[1], role=Assignment.Role.OFFICER)
    admin = users.create_user("bench-admin", password="x", is_staff=True)
    return created[1], {"officer": officer, "admin": admin}, time.perf_counter() - start


def measure(city, users, runs):
    from django.test import Client
    from django.urls import reverse

    pages = {
        "matching grid": reverse("matching:round", args=["2030"]),
        "partners": reverse("matching:partners", args=[city.slug, "2030"]),
        "suggestions": reverse("matching:suggestions", args=[city.slug, "2030"]),
        "comparison": reverse("matching:comparison", args=[city.slug, "2030"]),
    }
    rows = []
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        for name, url in pages.items():
            times, queries = timed_get(client, url, runs)
            rows.append((role, name, statistics.median(times), p95(times), queries))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cities", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as workdir:
        url, drop = scratch_database(workdir, SCRATCH_DB)
        try:
            setup_django(url, FIXTURES)
            from django.db import connection

            from assessments.models import Answer

            city, users, seconds = build(args.cities)
            print(f"database: {connection.vendor} {connection.Database.__name__} "
                  f"({'scratch ' + SCRATCH_DB if drop else 'temporary SQLite file'})")
            print(f"built {args.cities} cities, {Answer.objects.count()} answers in {seconds:.1f} s")
            print(f"load average before: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")
            print(f"{'user':8} {'page':14} {'p50':>9} {'p95':>9} {'queries':>8}   ({args.runs} requests each)")
            for role, name, p50, p95_, queries in measure(city, users, args.runs):
                print(f"{role:8} {name:14} {p50 * 1000:6.1f} ms {p95_ * 1000:6.1f} ms {queries:8}")
            print(f"load average after: {os.getloadavg()[0]:.1f}")
        finally:
            if drop:
                drop()


if __name__ == "__main__":
    main()

"""Benchmark (not a test): the round dashboard and its CSV export with many cities.

    .venv/bin/python bench/dashboard.py [--cities 500] [--runs 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/dashboard.py

Builds a scratch database as `bench/scale.py` does (never your data): --cities cities × 4 sheets
× 2 respondents with answers (`tests/cohort.py`), then requests the dashboard of the round and its
CSV export as staff --runs times after two warm-up requests, and prints p50 / p95 and the query count.
"""

import argparse
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH_DB = "mega_bench_dashboard"
FIXTURES = ["stakeholder_types", "topics", "checklists", "milan-2018"]

from bench.scratch import cohort_with_users, p95, scratch_django, timed_get  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cities", type=int, default=500)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    with scratch_django(SCRATCH_DB, FIXTURES) as database:
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        _, users, _ = cohort_with_users(args.cities, round="2030")
        client = Client()
        client.force_login(users["admin"])
        print(f"database: {connection.vendor} ({database}); {args.cities} cities × 4 sheets")
        print(f"load average before: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")
        print(f"{'page':12} {'p50':>9} {'p95':>9} {'queries':>8}   ({args.runs} requests each)")
        for name, url_name in (("dashboard", "rounds:dashboard"), ("csv", "rounds:dashboard_csv")):
            times, queries = timed_get(client, reverse(url_name, args=["2030"]), args.runs)
            print(f"{name:12} {statistics.median(times) * 1000:6.1f} ms {p95(times) * 1000:6.1f} ms {queries:8}")
        print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

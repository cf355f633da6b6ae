"""Benchmark (not a test): the admin's dry run of a 5,000-row answers spreadsheet.

    .venv/bin/python bench/import_dry_run.py [--rows 5000] [--format csv|xlsx]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/import_dry_run.py

Builds a scratch database (as bench/scale.py: a temporary SQLite file, or a scratch PostgreSQL
database `mega_bench_import` created and dropped), with enough cities (`tests/cohort.py`) for
--rows answer rows. The file is the admin's own Answers export of those cities with every value
and note changed, so that every row is a real change to check. It is posted to the admin's
import page, as an admin does (parse, check every row, render the preview), and timed.
Target: ≤ 10 s for 5,000 rows; the numbers are in docs/security.md (section 4). BENCH_QUERIES=1
also prints the most frequent queries.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH_DB = "mega_bench_import"
FIXTURES = ["stakeholder_types", "topics", "checklists", "milan-2018"]
FLIP = {"yes": "no", "no": "nd", "nd": "yes", "": "yes"}

from bench.scratch import scratch_django  # noqa: E402


def answers_file(rows, file_format):
    from assessments.models import Answer
    from assessments.resources import AnswerResource
    from tests.cohort import build_cohort

    per_city = Answer.objects.filter(respondent__sheet__city__slug="milan").count()
    build_cohort(rows // per_city + 1, round="2030", prefix="import")
    queryset = AnswerResource().get_export_queryset().filter(respondent__sheet__round__name="2030").order_by("pk")
    last = list(queryset.values_list("pk", flat=True)[:rows])[-1]
    dataset = AnswerResource().export(queryset=queryset.filter(pk__lte=last))
    value, note = dataset.headers.index("value"), dataset.headers.index("note")
    changed = []
    for number, row in enumerate(dataset):
        row = list(row)
        row[value], row[note] = FLIP[row[value] or ""], f"Checked again, visit {number}."
        changed.append(row)
    del dataset[:]
    for row in changed:
        dataset.append(row)
    return file_format.export_data(dataset), len(dataset)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    args = parser.parse_args()

    with scratch_django(SCRATCH_DB, FIXTURES) as database:
        from django.contrib.auth import get_user_model
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext, setup_test_environment
        from django.urls import reverse

        from assessments.models import Answer
        from mega.settings import IMPORT_FORMATS

        setup_test_environment()  # the client keeps the context the preview was drawn from
        formats = {f().get_extension(): (index, f()) for index, f in enumerate(IMPORT_FORMATS)}
        format_index, file_format = formats[args.format]
        content, rows = answers_file(args.rows, file_format)
        content = content.encode("utf-8") if isinstance(content, str) else content
        admin = get_user_model().objects.create_superuser("bench-admin", password="x")
        client = Client()
        client.force_login(admin)
        before = list(Answer.objects.order_by("pk").values_list("value", "note"))
        upload = SimpleUploadedFile(f"answers.{args.format}", content)
        print(f"database: {connection.vendor} ({database})")
        print(f"load average before: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")
        with CaptureQueriesContext(connection) as queries:
            start, cpu = time.perf_counter(), time.process_time()
            response = client.post(
                reverse("admin:assessments_answer_import"),
                {"import_file": upload, "format": str(format_index), "resource": "0"},
            )
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        assert response.status_code == 200
        result = response.context["result"]
        assert not result.has_errors() and not result.has_validation_errors(), "the file should be valid"
        assert "confirm_form" in response.context
        assert list(Answer.objects.order_by("pk").values_list("value", "note")) == before, "a dry run wrote"
        print(
            f"dry run of {rows} rows ({args.format}, {len(content) / 1024:.0f} KiB): {seconds:.1f} s "
            f"({cpu:.1f} s of CPU), "
            f"{len(queries)} queries, {result.totals['update']} rows to update"
        )
        print(f"load average after: {os.getloadavg()[0]:.1f}")
        if os.environ.get("BENCH_QUERIES"):
            from collections import Counter

            print(Counter(q["sql"][:90] for q in queries.captured_queries).most_common(12))


if __name__ == "__main__":
    main()

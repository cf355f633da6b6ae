"""Benchmark (not a test): the PDF report users download — Milan 2018 as `seed_demo` loads it, with
the guidance appendix — cold, against Chromium printing the very same HTML in the same run, and
the cached download against the home page in the same run.

    .venv/bin/python bench/pdf.py [--runs 5] [--cached-runs 50] [--lang en]

It builds a scratch database in a temporary folder (migrate + the fixtures of `seed_demo`), so it
never touches your data. What it prints:

- WeasyPrint cold: `pdf.render_pdf(html)` of the report's HTML, no cache, each render in a
  process forked from one that has rendered once already (fonts loaded, as a running server has
  them): wall time, CPU time (user + system) and the child's peak memory (max RSS), median of
  --runs.
- Chromium: `/usr/bin/chromium --headless --print-to-pdf` of the same HTML written to a file with
  the same static files beside it (a new browser each time, as the command line does): wall time,
  CPU time of the browser and all its processes, peak memory of its largest process.
- Cached download: GET of the report's PDF through the test client as the Milan coordinator once
  the PDF is in the cache (file cache, as in production), against GET of the home page in the
  same run: median and p95 of --cached-runs.

Targets: cold CPU ≤ 1.5 × Chromium's CPU; cached download ≤ 2 × the home page. Record the numbers
in docs/benchmarks.md.
"""

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.scratch import p95, setup_django, timed_get  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
    "--no-first-run",
]
FIXTURES = ["stakeholder_types", "topics", "checklists", "checklists-it", "milan-2018", "oecd-module6"]


def ms(seconds):
    return f"{seconds * 1000:8.1f} ms"


def mb(kilobytes):
    return f"{kilobytes / 1024:7.1f} MB"


def children_usage():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def forked(function):
    """Run `function` in a forked child: (wall seconds, CPU seconds, peak RSS in KB, its result's size)."""
    read, write = os.pipe()
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: render, report the size, leave without running the parent's cleanup
        os.close(read)
        size = len(function())
        os.write(write, str(size).encode())
        os._exit(0)
    os.close(write)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    size = int(os.read(read, 64) or b"0")
    os.close(read)
    assert status == 0, "the render failed in the child process"
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, size


def chromium_print(html, runs, workdir):
    """Chromium's command-line print of `html`, the static files beside it: per run (wall, CPU, peak RSS)."""
    folder = Path(workdir) / "chromium"
    folder.mkdir()
    (folder / "static").symlink_to(ROOT / "static")
    page = folder / "report.html"
    page.write_text(html.replace('"/static/', '"static/'), encoding="utf-8")
    out = folder / "report.pdf"
    results = []
    for _ in range(runs + 1):  # the first run warms the disk cache, as WeasyPrint's warm-up render does
        before_cpu = children_usage()
        start = time.perf_counter()
        subprocess.run(
            [CHROMIUM, *CHROMIUM_ARGS, f"--print-to-pdf={out}", page.as_uri()],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wall = time.perf_counter() - start
        results.append((wall, children_usage() - before_cpu, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
    return results[1:], out.stat().st_size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold renders to time (default 5)")
    parser.add_argument("--cached-runs", type=int, default=50, help="cached downloads to time (default 50)")
    parser.add_argument("--lang", default="en", help="the report's language (default en)")
    parser.add_argument("--no-chromium", action="store_true", help="skip the Chromium comparison")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="mega-bench-") as workdir:
        setup_django(f"sqlite:///{workdir}/bench.sqlite3", FIXTURES)
        from django.contrib.auth.models import User
        from django.core.cache import caches
        from django.test import Client, override_settings
        from django.urls import reverse
        from django.utils import translation
        from pypdf import PdfReader

        from assessments.models import CityReport
        from reports import pdf
        from stakeholders.models import Assignment

        report = CityReport.objects.select_related("city", "round").get(city__slug="milan", round__name="2018")
        city, round = report.city, report.round
        with translation.override(args.lang):
            html = pdf.report_html(city, round, report)
            first = pdf.render_pdf(html)  # the warm-up: fonts and WeasyPrint's caches in this process
            pages = len(PdfReader(io.BytesIO(first)).pages)
            parent_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            cold = [forked(lambda: pdf.render_pdf(html)) for _ in range(args.runs)]

        chromium = None
        if not args.no_chromium:
            chromium, chromium_size = chromium_print(html, args.runs, workdir)

        coordinator = User.objects.create_user("bench-coordinator", password="x")
        Assignment.objects.create(user=coordinator, city=city, role=Assignment.Role.COORDINATOR)
        client = Client()
        client.force_login(coordinator)
        pdf_url = reverse("reports:city_pdf", args=[city.slug, round.name]) + f"?lang={args.lang}"
        home_url = reverse("home")
        cached = {}
        with override_settings(
            CACHES={
                "default": {
                    "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                    "LOCATION": f"{workdir}/cache",
                }
            }
        ):
            caches["default"].clear()
            for _ in range(3):  # interleaved, so that both see the machine in the same state
                cached.setdefault("home", []).extend(timed_get(client, home_url, args.cached_runs // 3)[0])
                times, queries = timed_get(client, pdf_url, args.cached_runs // 3)
                cached.setdefault("pdf", []).extend(times)
            home_queries = timed_get(client, home_url, 1)[1]

    median = statistics.median
    print(
        f"Milan 2018 report as downloaded ({args.lang}): {len(first):,} bytes, {pages} pages, "
        f"{len(html):,} characters of HTML"
    )
    print(
        f"  WeasyPrint cold        wall median {ms(median(c[0] for c in cold))}   "
        f"CPU median {ms(median(c[1] for c in cold))}   peak RSS {mb(max(c[2] for c in cold))} per render "
        f"(process before: {mb(parent_rss)})"
    )
    if chromium:
        print(
            f"  Chromium --print-to-pdf wall median {ms(median(c[0] for c in chromium))}   "
            f"CPU median {ms(median(c[1] for c in chromium))}   peak RSS {mb(max(c[2] for c in chromium))} "
            f"(largest process; {chromium_size:,} bytes)"
        )
        ratio_cpu = median(c[1] for c in cold) / median(c[1] for c in chromium)
        ratio_wall = median(c[0] for c in cold) / median(c[0] for c in chromium)
        print(f"  ratio WeasyPrint / Chromium: CPU {ratio_cpu:5.2f} (target ≤ 1.5)   wall {ratio_wall:5.2f}")
    print(
        f"  cached download        median {ms(median(cached['pdf']))}   p95 {ms(p95(cached['pdf']))}   "
        f"({queries} queries, file cache, of {len(cached['pdf'])})"
    )
    print(
        f"  home page              median {ms(median(cached['home']))}   p95 {ms(p95(cached['home']))}   "
        f"({home_queries} queries)"
    )
    ratio = median(cached["pdf"]) / median(cached["home"])
    print(f"  ratio cached download / home page {ratio:5.2f} (target ≤ 2)")


if __name__ == "__main__":
    main()

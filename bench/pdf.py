"""Benchmark (not a test): how long Milan's full PDF report takes, cold and cached, next to
Chromium's headless print-to-PDF of the very same HTML, on this machine in one run.

    .venv/bin/python bench/pdf.py [--runs 5] [--cached-runs 30]

It builds a scratch SQLite database in a temporary folder (migrate + the seed fixtures), so it
never touches your data. Timings:

- WeasyPrint cold: `pdf.render_pdf(html)` of the report's HTML, no cache (median of --runs,
  after one warm-up render that loads the fonts into the process).
- WeasyPrint cached: the whole download path `pdf.report_pdf(city, round, report)` once the PDF is
  in the cache: queries, HTML rendering, hashing and the cache read (median and p95), with the
  local-memory cache and with the file cache of the production settings.
- Chromium: Playwright drives /usr/bin/chromium (already launched): load the same HTML, with the
  stylesheet and fonts served from the same static files, and `page.pdf()` (median of --runs).

Target (issue 4): cold ≤ 3 × Chromium, cached ≤ 50 ms. Record the numbers in docs/benchmarks.md.
"""
import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.scratch import p95, setup_django  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def timed(function, runs):
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return times, result


def ms(seconds):
    return f"{seconds * 1000:8.1f} ms"


def chromium_pdf(html, runs):
    """Seconds per load + page.pdf() of `html` in headless Chromium, static files served from disk."""
    from playwright.sync_api import sync_playwright

    from assessments import pdf

    page_url = pdf.BASE_URL + "report.html"

    def serve(route):
        url = route.request.url
        if url == page_url:
            return route.fulfill(body=html, content_type="text/html; charset=utf-8")
        path = pdf.static_path(url)
        if path is None:
            return route.abort()
        return route.fulfill(body=pdf.read_static(path), content_type=pdf.mimetypes.guess_type(path.name)[0])

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        context.route("**/*", serve)

        def once():
            page = context.new_page()
            page.goto(page_url, wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
            content = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
            page.close()
            return content

        once()  # warm-up, like the WeasyPrint warm-up render
        times, content = timed(once, runs)
        browser.close()
    return times, content


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold renders to time (default 5)")
    parser.add_argument("--cached-runs", type=int, default=30, help="cached downloads to time (default 30)")
    parser.add_argument("--no-chromium", action="store_true", help="skip the Chromium comparison")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="mega-bench-") as workdir:
        setup_django(f"sqlite:///{workdir}/bench.sqlite3", ["stakeholder_types", "topics", "checklists", "milan-2018"])
        from django.core.cache import caches
        from django.test import override_settings
        from pypdf import PdfReader

        from assessments import pdf
        from assessments.models import CityReport

        report = CityReport.objects.select_related("city", "round").get(city__slug="milan", round__name="2018")
        city, round = report.city, report.round
        html_times, html = timed(lambda: pdf.report_html(city, round, report), args.cached_runs)

        start = time.perf_counter()
        first = pdf.render_pdf(html)
        first_render = time.perf_counter() - start
        cold, content = timed(lambda: pdf.render_pdf(html), args.runs)
        pages = len(PdfReader(io.BytesIO(content)).pages)

        results = {}
        for name, backend in (
            ("locmem", {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}),
            ("file", {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                      "LOCATION": f"{workdir}/cache"}),
        ):
            with override_settings(CACHES={"default": backend}):
                caches["default"].clear()
                pdf.report_pdf(city, round, report)  # fills the cache
                results[name], cached = timed(lambda: pdf.report_pdf(city, round, report), args.cached_runs)
                assert len(cached) == len(pdf.cached_pdf(html))

        chromium = None
        if not args.no_chromium:
            chromium, chromium_content = chromium_pdf(html, args.runs)

    print(f"Milan 2018 full report: {len(first):,} bytes, {len(html):,} characters of HTML, {pages} pages")
    print(f"  HTML only (data + template)      median {ms(statistics.median(html_times))}")
    print(f"  WeasyPrint first render          {ms(first_render)}  (process start: fonts, caches)")
    print(f"  WeasyPrint cold                  median {ms(statistics.median(cold))}  (of {args.runs})")
    for name, times in results.items():
        print(f"  cached download, {name:6} cache   median {ms(statistics.median(times))}  "
              f"p95 {ms(p95(times))}  (of {args.cached_runs})")
    if chromium:
        chromium_median = statistics.median(chromium)
        print(f"  Chromium load + page.pdf         median {ms(chromium_median)}  "
              f"({len(chromium_content):,} bytes)")
        print(f"  ratio WeasyPrint cold / Chromium {statistics.median(cold) / chromium_median:8.2f}   (target ≤ 3)")
    print(f"  cached target ≤ 50 ms: {'met' if max(statistics.median(t) for t in results.values()) <= 0.05 else 'MISSED'}")


if __name__ == "__main__":
    main()

"""Benchmark (not a test): the pages people use most, on a 1,000-city data set, and the sheet editor's
grid rendered by a plain template loop against crispy-forms.

    .venv/bin/python bench/pages.py [--cities 1000] [--runs 30] [--profile]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/pages.py

Builds a scratch database and never touches your data: a SQLite file in a temporary folder, or,
when DATABASE_URL names a PostgreSQL server, a scratch database `mega_bench_pages` on that server
(created, then dropped). It migrates, loads the seed and creates --cities cities × 4 sheets × 3
respondents with `tests/cohort.py` (every statement answered at random, round "2030").

Through Django's test client (the whole stack: middleware, sessions, templates), signed in as one
city's officer and as an admin, each page --runs times after two warm-up requests: p50, p95 and the
number of SQL queries of one request. The pages: home, the sheet editor of the largest sheet
(municipality: 29 statements × 3 respondents), a full-sheet save (every one of the 87 cells changed,
then the redirect is not followed), the editor script's autosave of one cell of it (JSON in, the
new versions, progress and footnotes out), the city report (as read again, after a save of one of
the city's own sheets, and after a save of another city's sheet, each save untimed), and the
matching and comparison pages.
"Queries flat": the same pages of the smallest sheet (14 statements) and of the officer's single
city against the admin's 1,000 cities must need the same number of queries.

Crispy against plain: the editor has no crispy-forms (its grid is a template loop over the sheet
table, `_editor_cell.html`). To see what crispy would cost, the same 87 cells are rendered as a
formset of Django forms with the same widgets (radio buttons, annotation textarea, two hidden
inputs), each cell through `|crispy` (bootstrap5), and timed against the editor's own loop over the
same cells; both are template rendering only, from the same sheet table.

The editor's grid is not cached: every request lays the sheet out and renders it afresh.

Before timing, the objects the process holds are frozen out of the garbage collector, as the
production gunicorn does after loading the app (gunicorn.conf.py); otherwise a full collection over
them lands in one request in a dozen (the save's p95 was 141–173 ms with them, its p50 70–94 ms).

--profile runs pyinstrument over the editor, the save and the city report and prints where the time goes.
Targets (issue 7): editor p50 ≤ 60 ms and ≤ 1.5 × plain; save ≤ 150 ms; queries flat.
"""

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH_DB = os.environ.get("BENCH_SCRATCH_DB", "mega_bench_pages")  # another name beside other runs
FIXTURES = ["stakeholder_types", "topics", "checklists", "milan-2018", "oecd-module6"]

from bench.scratch import cohort_with_users, p95, scratch_django, timed_get  # noqa: E402

ROUND = "2030"


def sheet_of(city, stakeholder_type):
    from assessments.models import Sheet

    return Sheet.objects.get(city=city, round__name=ROUND, checklist__stakeholder_type__slug=stakeholder_type)


def flipped_form(client, sheet):
    """The editor's form with every cell's answer changed (yes ↔ no, others → yes)."""
    from django.urls import reverse

    from tests.sheet_posts import form_fields

    fields = form_fields(client.get(reverse("sheets:edit", args=[sheet.pk])).content.decode())
    for name, value in fields.items():
        if name.startswith("cell-") and name.endswith("-value"):
            fields[name] = "no" if value == "yes" else "yes"
    return fields


def timed_save(client, sheet, runs):
    """Full-form saves in which every cell changes; the form is read again (untimed) between saves."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    url = reverse("sheets:edit", args=[sheet.pk])
    changed = len([n for n in flipped_form(client, sheet) if n.endswith("-value")])
    times, queries = [], None
    for run in range(runs + 2):
        fields = flipped_form(client, sheet)
        start = time.perf_counter()
        if run == 2:
            with CaptureQueriesContext(connection) as captured:
                response = client.post(url, fields)
            queries = len(captured)
        else:
            response = client.post(url, fields)
        elapsed = time.perf_counter() - start
        assert response.status_code == 302, (response.status_code, response.content[:300])
        if run >= 2:
            times.append(elapsed)
    return times, queries, changed


def timed_autosave(client, sheet, runs):
    """The editor script's autosave of one cell (its answer flipped each time, with the version
    the last reply gave), as the browser posts it: JSON in, JSON out."""
    import json

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from assessments.models import Answer

    url = reverse("sheets:answer", args=[sheet.pk])
    answer = (
        Answer.objects.filter(respondent__sheet=sheet).order_by("statement__position", "respondent__position").first()
    )
    version, value = answer.version, answer.value
    times, queries = [], None
    for run in range(runs + 2):
        value = "no" if value == "yes" else "yes"
        body = json.dumps(
            {
                "statement": answer.statement_id,
                "respondent": answer.respondent_id,
                "value": value,
                "note": answer.note,
                "version": version,
            }
        )
        start = time.perf_counter()
        if run == 2:
            with CaptureQueriesContext(connection) as captured:
                response = client.post(url, body, content_type="application/json")
            queries = len(captured)
        else:
            response = client.post(url, body, content_type="application/json")
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, (response.status_code, response.content[:300])
        version = response.json()["version"]
        if run >= 2:
            times.append(elapsed)
    return times, queries


def measure_pages(city, users, runs):
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from assessments.models import Sheet

    largest, smallest = sheet_of(city, "municipality"), sheet_of(city, "immigrant_business_organisation")
    other = Sheet.objects.filter(round__name=ROUND).exclude(city=city).order_by("pk").first()
    pages = [
        ("home", reverse("home")),
        ("sheet editor (29 × 3)", reverse("sheets:edit", args=[largest.pk])),
        ("sheet editor (14 × 3)", reverse("sheets:edit", args=[smallest.pk])),
        ("city report", reverse("reports:city", args=[city.slug, ROUND])),
        # Kept per version: after a save of one of its own sheets it is built afresh, after another
        # city's its comparison may be a minute old (docs/architecture.md, "Figures kept per version").
        ("report after own save", reverse("reports:city", args=[city.slug, ROUND]), lambda: largest.touch(None)),
        ("report after other save", reverse("reports:city", args=[city.slug, ROUND]), lambda: other.touch(None)),
    ]
    try:
        pages += [
            ("matching", reverse("matching:round", args=[ROUND])),
            ("comparison", reverse("matching:comparison", args=[city.slug, ROUND])),
        ]
    except NoReverseMatch as error:  # the matching URLs are not in this tree
        print(f"note: matching and comparison pages skipped ({error})")
    rows = []
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        for name, url, *before in pages:
            times, queries = timed_get(client, url, runs, *before)
            rows.append((role, name, times, queries))
        times, queries, changed = timed_save(client, largest, runs)
        rows.append((role, f"full save ({changed} cells)", times, queries))
        times, queries = timed_autosave(client, largest, runs)
        rows.append((role, "autosave (1 cell)", times, queries))
    return rows


# --- crispy against plain ----------------------------------------------------------------

PLAIN_GRID = """{% load l10n %}{% localize off %}{% for block in table.levels %}<table>{% for row in block.rows %}<tr><th>{{ row.statement.text }}</th>
{% for cell in row.cells %}<td>{% include "assessments/_editor_cell.html" %}</td>{% endfor %}</tr>
{% endfor %}</table>{% endfor %}{% endlocalize %}"""

CRISPY_GRID = """{% load crispy_forms_tags l10n %}{% localize off %}{% for block in table.levels %}<table>{% for row in block.rows %}
<tr><th>{{ row.statement.text }}</th>{% for cell in row.cells %}<td>{{ cell.form|crispy }}</td>{% endfor %}</tr>
{% endfor %}</table>{% endfor %}{% endlocalize %}"""


def crispy_against_plain(sheet, user, runs):
    """(plain times, crispy times): the editor's 87 cells through its own template loop, and the same
    cells as a formset of forms with the same widgets rendered with `|crispy`."""
    from django import forms
    from django.template import engines
    from django.test import RequestFactory

    from assessments.models import MAX_NOTE_LENGTH, Answer
    from assessments.sheet_table import build_sheet_table
    from assessments.views.sheets import grid_choices, label_cells

    class CellForm(forms.Form):
        value = forms.ChoiceField(
            choices=Answer.Value.choices, widget=forms.RadioSelect, required=False, label="Answer"
        )
        note = forms.CharField(
            required=False, max_length=MAX_NOTE_LENGTH, label="Annotation", widget=forms.Textarea(attrs={"rows": 3})
        )
        version = forms.IntegerField(widget=forms.HiddenInput)
        seen = forms.CharField(widget=forms.HiddenInput, required=False)

    CellFormSet = forms.formset_factory(CellForm, extra=0)
    table = build_sheet_table(sheet)
    label_cells(table)
    cells = [(row, cell) for row in table.rows for cell in row.cells]
    formset = CellFormSet(
        initial=[
            {
                "value": cell.value,
                "note": cell.note,
                "version": cell.answer.version if cell.answer else 0,
                "seen": cell.seen,
            }
            for _, cell in cells
        ]
    )
    for (_row, cell), form in zip(cells, formset.forms):
        form.prefix = f"cell-{cell.key}"
        cell.form = form
    request = RequestFactory().get("/")
    request.user = user
    engine = engines["django"]
    plain, crispy = engine.from_string(PLAIN_GRID), engine.from_string(CRISPY_GRID)
    context = {"table": table, "editable": True, "choices": grid_choices(), "max_note_length": MAX_NOTE_LENGTH}
    results = {}
    for name, template in (("plain", plain), ("crispy", crispy)):
        html = template.render(context, request)
        assert html.count('type="radio"') == len(cells) * len(Answer.Value.choices), name
        times = []
        for _ in range(runs + 2):
            start = time.perf_counter()
            template.render(context, request)
            times.append(time.perf_counter() - start)
        results[name] = (times[2:], len(html))
    return results, len(cells)


def profile(city, user):
    """Where the editor's, the save's and the city report's time goes (pyinstrument, if installed)."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("pyinstrument is not installed: .venv/bin/pip install pyinstrument")
        return
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(user)
    sheet = sheet_of(city, "municipality")
    url = reverse("sheets:edit", args=[sheet.pk])

    def profiled(runs, request):
        request()  # warm
        profiler = Profiler(interval=0.0005)
        with profiler:
            for _ in range(runs):
                request()
        print(profiler.output_text(unicode=True, color=False, show_all=False))

    profiled(20, lambda: client.get(url))
    profiled(10, lambda: client.post(url, flipped_form(client, sheet)))  # a GET of the editor, then the save
    report = reverse("reports:city", args=[city.slug, ROUND])
    profiled(20, lambda: client.get(report))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cities", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    with scratch_django(SCRATCH_DB, FIXTURES) as database:
        from django.db import connection

        from assessments.models import Answer

        city, users, seconds = cohort_with_users(args.cities, round=ROUND, respondents=3, prefix="bench")
        # As gunicorn.conf.py does in production: what the process holds before serving is kept
        # out of the garbage collector, whose full collections would otherwise walk it (the
        # loaded app and this script's own build) in the middle of a timed request.
        gc.collect()
        gc.freeze()
        print(f"database: {connection.vendor} ({database})")
        print(
            f"built {args.cities} cities × 4 sheets × 3 respondents, {Answer.objects.count()} answers "
            f"in {seconds:.1f} s"
        )
        print(f"load average before: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")
        print(f"{'user':8} {'page':24} {'p50':>9} {'p95':>9} {'queries':>8}   ({args.runs} requests each)")
        for role, name, times, queries in measure_pages(city, users, args.runs):
            print(
                f"{role:8} {name:24} {statistics.median(times) * 1000:6.1f} ms {p95(times) * 1000:6.1f} ms {queries:8}"
            )
        results, cells = crispy_against_plain(sheet_of(city, "municipality"), users["officer"], args.runs)
        plain, crispy = (statistics.median(results[name][0]) for name in ("plain", "crispy"))
        print(
            f"grid of {cells} cells, template rendering only (p50): editor's plain loop {plain * 1000:.1f} ms "
            f"({results['plain'][1] // 1024} kB), the same as a crispy formset {crispy * 1000:.1f} ms "
            f"({results['crispy'][1] // 1024} kB): crispy / plain = {crispy / plain:.2f}"
        )
        print(f"load average after: {os.getloadavg()[0]:.1f}")
        if args.profile:
            profile(city, users["officer"])


if __name__ == "__main__":
    main()

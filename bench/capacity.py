"""Benchmark (not a test): how many people the production-like stack serves at once, under locust.

    .venv/bin/pip install -e '.[bench]'        # or: .venv/bin/pip install locust (the `bench` extra;
                                               # not in `dev`, CI does not install it)
    .venv/bin/python bench/capacity.py [--steps 50,100,200,300,400,500,600,800,1000] [--step-seconds 60]
        [--max-users N] [--cities 1000] [--coordinator-share 0.2] [--pgurl postgres://postgres@127.0.0.1:5432]

It builds the stack of the README's deployment section on this machine, all on loopback: the
production settings (DEBUG off, whitenoise with collected static files, HTTPS=0: no TLS proxy in
front), gunicorn with gunicorn.conf.py and 2 workers, one task worker (`manage.py task_worker`,
at a lower CPU priority), a scratch PostgreSQL database `mega_bench_capacity` (BENCH_SCRATCH_DB;
dropped at the end) with --cities cities × 4 sheets × 3 respondents (`tests/cohort.py`), and a
redis-server of its own on a free port as the cache (CACHE_URL), stopped at the end: the stack
of tests/test_multi_server.py, started by the same code (`tests/stack.py`). Each simulated person has an account of
their own (officers: one city each; coordinators: one of 25 cities, so that some share a PDF).

Then locust, headless, drives the people of `bench/capacity_locustfile.py` (officers who autosave a
cell every 10 s and open a sheet every minute, coordinators who read the report and download its
PDF every 2 minutes, following the waiting page while a cold PDF renders) through the steps of
--steps, each measured for --step-seconds once all its people have signed in, until the page or
autosave p95 exceeds 300 ms or a request fails. It prints per step the users, page and autosave
p50 / p95 / max, requests/s and per core, CPU busy (the whole machine, locust included), errors,
PDFs served cached and cold, and the slowest page or autosave that overlapped a cold PDF being
rendered (target: none over 2 s); then the users held (p95 ≤ 300 ms, 0 errors). Last, the same
ramp of people who each ask for `/healthz` once a second, for reference (--no-healthz skips it).

locust runs on the same machine and takes CPU of its own (FastHttpUser keeps that small): the CPU
column says how busy the machine was. Record the output in docs/benchmarks.md.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH_DB = os.environ.get("BENCH_SCRATCH_DB", "mega_bench_capacity")
FIXTURES = ["stakeholder_types", "topics", "checklists", "milan-2018", "oecd-module6"]
ROUND = "2030"
PASSWORD = "capacity-bench-password"
COORDINATOR_CITIES = 25
LOCUSTFILE = ROOT / "bench" / "capacity_locustfile.py"


def build(cities, officers, coordinators):
    """The cohort and the people's accounts (one password hash for all: hashing one per account
    would take minutes); returns what the locustfile reads."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from assessments.models import Sheet
    from stakeholders.models import Assignment
    from tests.cohort import build_cohort

    created = build_cohort(cities, round=ROUND, respondents=3, prefix="cap")
    User = get_user_model()
    password = make_password(PASSWORD)
    people = User.objects.bulk_create(
        [User(username=f"cap-officer-{n:04d}", password=password) for n in range(officers)]
        + [User(username=f"cap-coordinator-{n:04d}", password=password) for n in range(coordinators)]
    )
    people = list(User.objects.filter(username__startswith="cap-").order_by("username"))
    by_name = {p.username: p for p in people}
    sheets = {}
    for city_id, pk in Sheet.objects.filter(round__name=ROUND).order_by("pk").values_list("city_id", "pk"):
        sheets.setdefault(city_id, []).append(pk)
    accounts = {"officers": [], "coordinators": []}
    assignments = []
    for n in range(officers):
        city = created[n % len(created)]
        assignments.append(Assignment(user=by_name[f"cap-officer-{n:04d}"], city=city, role=Assignment.Role.OFFICER))
        accounts["officers"].append(
            {"username": f"cap-officer-{n:04d}", "password": PASSWORD, "city": city.slug, "sheets": sheets[city.pk]}
        )
    for n in range(coordinators):
        city = created[n % min(COORDINATOR_CITIES, len(created))]
        assignments.append(
            Assignment(user=by_name[f"cap-coordinator-{n:04d}"], city=city, role=Assignment.Role.COORDINATOR)
        )
        accounts["coordinators"].append(
            {"username": f"cap-coordinator-{n:04d}", "password": PASSWORD, "city": city.slug}
        )
    Assignment.objects.bulk_create(assignments)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return accounts


def p(times, q):
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def ramp(host, steps, args, work, classes, label):
    """Run locust through `steps`; returns the measured steps."""
    results = work / f"{label}.json"
    env = {
        **os.environ,
        "CAPACITY_USERS": str(work / "accounts.json"),
        "CAPACITY_RESULTS": str(results),
        "CAPACITY_STEPS": ",".join(map(str, steps)),
        "CAPACITY_STEP_SECONDS": str(args.step_seconds),
        "CAPACITY_SPAWN_RATE": str(args.spawn_rate),
        "CAPACITY_SETTLE_SECONDS": str(args.settle_seconds),
        "CAPACITY_P95_MS": str(args.p95),
        "CAPACITY_COORDINATOR_SHARE": str(args.coordinator_share),
    }
    # Bounded in time even if the shape never ends: every step's sign-ins and measure, with room.
    bound = int(len(steps) * (args.step_seconds + args.settle_seconds + 200) + 60)
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        host,
        "--run-time",
        f"{bound}s",
        "--stop-timeout",
        "5",
        "--only-summary",
        "--loglevel",
        "WARNING",
        *classes,
    ]
    with open(work / f"{label}-locust.log", "wb") as log:
        subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=bound + 120, check=False)
    if not results.exists():
        sys.exit(
            f"locust wrote no results; its log: {work / f'{label}-locust.log'}\n"
            + (work / f"{label}-locust.log").read_text()[-3000:]
        )
    return json.loads(results.read_text())


ACCESS_LINE = re.compile(r'\[([^\]]+)\] "(\w+) (\S+) [^"]*" \d{3} .* (\d+)ms$')
AUTOSAVE_PATH = re.compile(r"^/sheets/\d+/answer/$")
PAGE_PATH = re.compile(r"^/(sheets/\d+|cities/[^/]+/[^/]+)/$")


def served(log):
    """(when, "page" or "autosave", ms) of each page and autosave in gunicorn's access log: what
    the server took, without the client's own time."""
    requests = []
    for line in log.read_text(errors="replace").splitlines():
        match = ACCESS_LINE.search(line)
        if not match:
            continue
        method, path = match[2], match[3].split("?")[0]
        if method == "POST" and AUTOSAVE_PATH.match(path):
            kind = "autosave"
        elif method == "GET" and PAGE_PATH.match(path):
            kind = "page"
        else:
            continue
        when = datetime.strptime(match[1], "%d/%b/%Y:%H:%M:%S %z").timestamp()
        requests.append((when, kind, int(match[4])))
    return requests


def server_times(requests, step):
    """(page, autosave) times in ms of the `served` requests that ended while `step` was measured."""
    during = [(kind, ms) for when, kind, ms in requests if step.get("started", 0) <= when <= step.get("ended", 0)]
    return [ms for kind, ms in during if kind == "page"], [ms for kind, ms in during if kind == "autosave"]


def report(label, data, cores, limit, log=None):
    print(f"\n{label}")
    print(
        f"{'users':>6} {'page p50':>9} {'p95':>7} {'max':>7} {'autosave p50':>13} {'p95':>7} {'max':>7} "
        f"{'req/s':>7} {'/core':>6} {'CPU':>5} {'errors':>6} {'PDFs cached/cold':>17} {'max during cold':>16}"
    )
    held = 0
    requests = served(log) if log is not None and log.exists() else []
    for step in data["steps"]:
        page, save = step["page"], step["autosave"]
        rate = step["requests"] / step["seconds"]
        ok = p(page, 0.95) <= limit and p(save, 0.95) <= limit and not step["errors"]
        cold = f"{max(step['during_cold']):.0f} ms" if step["during_cold"] else "-"
        print(
            f"{step['users']:>6} {p(page, 0.5):>6.0f} ms {p(page, 0.95):>4.0f} ms {max(page, default=0):>4.0f} ms "
            f"{p(save, 0.5):>10.0f} ms {p(save, 0.95):>4.0f} ms {max(save, default=0):>4.0f} ms "
            f"{rate:>7.1f} {rate / cores:>6.1f} {100 * step['cpu_busy']:>4.0f}% {step['errors']:>6} "
            f"{step['pdf_cached']:>8}/{step['pdf_cold']:<8} {cold:>16}"
        )
        if step["signed_in"] < step["users"]:
            print(f"       (only {step['signed_in']} of {step['users']} had signed in when the step was measured)")
        for kind, count in step["error_kinds"].items():
            print(f"       error ×{count}: {kind}")
        pages, saves = server_times(requests, step)
        if pages or saves:
            print(
                f"       gunicorn's own time: page p50 {p(pages, 0.5):.0f} ms, p95 {p(pages, 0.95):.0f} ms; "
                f"autosave p50 {p(saves, 0.5):.0f} ms, p95 {p(saves, 0.95):.0f} ms"
            )
        if step["pdf_waits"]:
            print(f"       cold PDFs: waited p50 {p(step['pdf_waits'], 0.5):.1f} s, max {max(step['pdf_waits']):.1f} s")
        if ok and step["signed_in"] >= step["users"]:
            held = max(held, step["users"])
    during = [t for step in data["steps"] for t in step["during_cold"]]
    if during:
        print(
            f"while cold PDFs rendered: {len(during)} pages and autosaves, max {max(during):.0f} ms, "
            f"{sum(t > 2000 for t in during)} over 2 s"
        )
    if data["sign_ins"]:
        print(
            f"sign-in (form and post, not in the figures above): p50 {p(data['sign_ins'], 0.5):.0f} ms, "
            f"p95 {p(data['sign_ins'], 0.95):.0f} ms"
        )
    print(f"users held at p95 <= {limit:.0f} ms with 0 errors: {held}")
    return held


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", default="50,100,200,300,400,500,600,800,1000")
    parser.add_argument("--max-users", type=int, default=None, help="leave out the steps above this")
    parser.add_argument("--step-seconds", type=float, default=60)
    parser.add_argument("--spawn-rate", type=float, default=5, help="people starting (signing in) per second")
    parser.add_argument(
        "--settle-seconds", type=float, default=20, help="after a step's last sign-in, before measuring"
    )
    parser.add_argument("--p95", type=float, default=300, help="the p95 limit in ms that ends the ramp")
    parser.add_argument("--cities", type=int, default=1000)
    parser.add_argument("--coordinator-share", type=float, default=0.2)
    parser.add_argument("--pgurl", default=os.environ.get("PGURL", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--no-healthz", action="store_true", help="skip the /healthz reference ramp")
    args = parser.parse_args()
    steps = [int(n) for n in args.steps.split(",") if args.max_users is None or int(n) <= args.max_users]
    for tool in ("redis-server",):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed")
    try:
        import locust  # noqa: F401
    except ImportError:
        sys.exit("locust is not installed: .venv/bin/pip install -e '.[bench]' (or .venv/bin/pip install locust)")

    from bench.scratch import postgres_scratch
    from tests.stack import production_stack

    with tempfile.TemporaryDirectory(prefix="mega-capacity-") as workdir:
        work = Path(workdir)
        url, drop = postgres_scratch(args.pgurl, SCRATCH_DB)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_SETTINGS_MODULE": "mega.settings",
            "DATABASE_URL": url,
            "DEBUG": "0",
            "HTTPS": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECRET_KEY": f"capacity-bench-not-secret-{time.time()}-" + "x" * 30,
            "LOG_LEVEL": "ERROR",
            "GUNICORN_WORKERS": "2",
            "PYTHONPATH": str(ROOT),
        }
        most = max(steps)

        def prepare(env):
            """The cohort and the accounts, built in this process on the stack's database and cache."""
            os.environ.update(env)
            import django

            django.setup()
            from django.core.management import call_command
            from django.db import connections

            started = time.perf_counter()
            call_command("migrate", verbosity=0)
            call_command("loaddata", *FIXTURES, verbosity=0)
            accounts = build(args.cities, officers=min(most, args.cities), coordinators=most)
            (work / "accounts.json").write_text(json.dumps(accounts))
            connections.close_all()
            print(
                f"built {args.cities} cities × 4 sheets × 3 respondents and {most} officers and coordinators "
                f"in {time.perf_counter() - started:.0f} s"
            )

        try:
            with production_stack(env, work, prepare=prepare) as stack:
                host = stack.servers[0]
                cores = os.cpu_count()
                print(
                    "stack: gunicorn 2 workers + 1 task worker at a lower CPU priority, PostgreSQL, Redis; "
                    f"locust on the same {cores} CPUs"
                )
                print(
                    f"steps {steps}, each measured {args.step_seconds:.0f} s after its people signed in; "
                    f"coordinators {100 * args.coordinator_share:.0f} % of the people"
                )
                print(f"load average before: {os.getloadavg()[0]:.1f}")
                held = report(
                    "officers and coordinators",
                    ramp(host, steps, args, work, ["Officer", "Coordinator"], "mix"),
                    cores,
                    args.p95,
                    log=work / "gunicorn-0.log",
                )
                print(f"load average after: {os.getloadavg()[0]:.1f}")
                if not args.no_healthz:
                    report(
                        "/healthz once a second per user (reference)",
                        ramp(host, steps, args, work, ["Healthz"], "healthz"),
                        cores,
                        args.p95,
                    )
                errors = (work / "gunicorn-0.log").read_text().count("Traceback")
                if errors:
                    print(f"gunicorn logged {errors} tracebacks:\n" + (work / "gunicorn-0.log").read_text()[-3000:])
                return held
        finally:
            drop()


if __name__ == "__main__":
    main()

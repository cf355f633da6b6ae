"""The people of `bench/capacity.py`, for locust: run by that script, not by hand.

- An officer signs in through the login form, opens a sheet of their city in the editor, then
  every 10 s autosaves one cell as the editor's script does (JSON with the cell's statement,
  respondent, value, note, the version and `seen` the page or the last reply gave), opens one of
  their city's sheets every minute and the city report now and then (every 5 minutes on average).
- A coordinator signs in, then every 2 minutes reads their city's report and downloads its PDF:
  served at once when cached, otherwise the waiting page, asked again every 2 s as its meta refresh
  does, until the file comes.
- `/healthz` users (the reference run) ask for `/healthz` once a second.

The ramp (`StepShape`) goes through CAPACITY_STEPS; each step first waits until every user of the
step has signed in (sign-ins are timed apart) and then CAPACITY_SETTLE_SECONDS more, so that the
burst of arrivals is over, then measures for CAPACITY_STEP_SECONDS. After a step
whose page or autosave p95 exceeds CAPACITY_P95_MS, or with errors, it stops. The figures of each
measured step go to CAPACITY_RESULTS (JSON) for the driver to print.
"""

import itertools
import json
import os
import random
import re
import time

import gevent
from locust import LoadTestShape, constant_pacing, events, task
from locust.contrib.fasthttp import FastHttpUser

ROUND = os.environ.get("CAPACITY_ROUND", "2030")
STEPS = [int(n) for n in os.environ.get("CAPACITY_STEPS", "50,100").split(",")]
STEP_SECONDS = float(os.environ.get("CAPACITY_STEP_SECONDS", "60"))
SPAWN_RATE = float(os.environ.get("CAPACITY_SPAWN_RATE", "5"))
# A step whose users have not all signed in after this long is measured as it is.
SPAWN_SECONDS = float(os.environ.get("CAPACITY_SPAWN_SECONDS", "180"))
# Between the last sign-in and the measurement: the new people's first sheet opens, which all come
# within seconds of their sign-ins (each a second of password hashing), have been served.
SETTLE_SECONDS = float(os.environ.get("CAPACITY_SETTLE_SECONDS", "20"))
P95_LIMIT = float(os.environ.get("CAPACITY_P95_MS", "300"))
COORDINATOR_SHARE = float(os.environ.get("CAPACITY_COORDINATOR_SHARE", "0.2"))
PDF_WAIT_SECONDS = 180
ACCOUNTS = json.loads(open(os.environ["CAPACITY_USERS"]).read()) if os.environ.get("CAPACITY_USERS") else {}

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CELL = re.compile(r'data-cell="([^"]+)" data-statement="(\d+)" data-respondent="(\d+)"')
VALUES = ("yes", "no", "nd")


class State:
    signed_in = 0
    cold_waiting = 0  # coordinators waiting for a PDF being rendered
    measuring = None  # the step being measured, or None while users sign in
    steps = []
    sign_ins = []
    officers = itertools.count()
    coordinators = itertools.count()


def new_step(users):
    return {
        "users": users,
        "page": [],
        "autosave": [],
        "pdf": [],
        "other": [],
        "errors": 0,
        "error_kinds": {},
        "requests": 0,
        "during_cold": [],
        "pdf_cached": 0,
        "pdf_cold": 0,
        "pdf_waits": [],
        "seconds": 0.0,
    }


@events.request.add_listener
def record(request_type, name, response_time, response_length, exception=None, context=None, **kwargs):
    kind = (context or {}).get("kind", "other")
    if kind == "sign in":
        State.sign_ins.append(response_time)
    step = State.measuring
    if step is None:
        return
    step["requests"] += 1
    step[kind if kind in ("page", "autosave", "pdf") else "other"].append(response_time)
    if exception is not None:
        step["errors"] += 1
        label = f"{name}: {str(exception)[:80]}"
        step["error_kinds"][label] = step["error_kinds"].get(label, 0) + 1
    if State.cold_waiting and kind in ("page", "autosave"):
        step["during_cold"].append(response_time)


def cpu_times():
    with open("/proc/stat") as stat:
        fields = [int(n) for n in stat.readline().split()[1:]]
    return sum(fields), fields[3] + fields[4]  # total, idle + iowait


def p95(times):
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else 0.0


class StepShape(LoadTestShape):
    """CAPACITY_STEPS users in turn: sign everyone in, then measure for CAPACITY_STEP_SECONDS."""

    def __init__(self):
        super().__init__()
        self.index, self.phase, self.since, self.cpu = 0, "spawn", time.monotonic(), None

    def tick(self):
        if self.index >= len(STEPS):
            return None
        users, now = STEPS[self.index], time.monotonic()
        if self.phase == "spawn" and (State.signed_in >= users or now - self.since > SPAWN_SECONDS):
            self.phase, self.since = "settle", now
        elif self.phase == "settle" and now - self.since >= SETTLE_SECONDS:
            self.phase, self.since, self.cpu = "measure", now, cpu_times()
            State.measuring = new_step(users)
            State.measuring["started"] = time.time()
        elif self.phase == "measure" and now - self.since >= STEP_SECONDS:
            step, State.measuring = State.measuring, None
            total, idle = cpu_times()
            step["seconds"] = now - self.since
            step["ended"] = time.time()
            step["cpu_busy"] = 1 - (idle - self.cpu[1]) / max(1, total - self.cpu[0])
            step["signed_in"] = State.signed_in
            State.steps.append(step)
            if p95(step["page"]) > P95_LIMIT or p95(step["autosave"]) > P95_LIMIT or step["errors"]:
                return None
            self.index, self.phase, self.since = self.index + 1, "spawn", now
            if self.index >= len(STEPS):
                return None
        return users, SPAWN_RATE


@events.quitting.add_listener
def write_results(environment, **kwargs):
    if os.environ.get("CAPACITY_RESULTS"):
        with open(os.environ["CAPACITY_RESULTS"], "w") as out:
            json.dump({"steps": State.steps, "sign_ins": State.sign_ins}, out)


class Person(FastHttpUser):
    abstract = True
    network_timeout = 60.0
    connection_timeout = 60.0

    def sign_in(self, account):
        page = self.client.get("/accounts/login/", name="sign-in page", context={"kind": "sign in"})
        token = TOKEN.search(page.text).group(1)
        with self.client.post(
            "/accounts/login/",
            name="sign in",
            context={"kind": "sign in"},
            catch_response=True,
            data={"csrfmiddlewaretoken": token, "username": account["username"], "password": account["password"]},
            headers={"Referer": f"{self.host}/accounts/login/"},
        ) as response:
            if 'action="/accounts/logout/"' not in response.text:
                response.failure("not signed in")
        State.signed_in += 1

    def page(self, path, name):
        return self.client.get(path, name=name, context={"kind": "page"})


class Officer(Person):
    weight = max(1, round(100 * (1 - COORDINATOR_SHARE)))
    wait_time = constant_pacing(10)

    def on_start(self):
        self.account = ACCOUNTS["officers"][next(State.officers) % len(ACCOUNTS["officers"])]
        self.sheets = itertools.cycle(self.account["sheets"])
        self.sign_in(self.account)
        self.open_sheet()
        self.ticks = itertools.count(random.randrange(6))
        gevent.sleep(random.uniform(0, 10))

    def open_sheet(self):
        self.sheet = next(self.sheets)
        html = self.page(f"/sheets/{self.sheet}/", "sheet editor").text
        self.token = TOKEN.search(html).group(1)
        self.cells = []
        for key, statement, respondent in CELL.findall(html):
            version = re.search(rf'name="cell-{key}-version" value="(\d+)"', html).group(1)
            seen = re.search(rf'name="cell-{key}-seen" value="([^"]*)"', html).group(1)
            self.cells.append(
                {"statement": int(statement), "respondent": int(respondent), "version": int(version), "seen": seen}
            )
        random.shuffle(self.cells)
        self.next_cell = itertools.cycle(self.cells)

    @task
    def work(self):
        tick = next(self.ticks)
        if tick and tick % 6 == 0:
            self.open_sheet()
        if random.random() < 1 / 30:
            self.page(f"/cities/{self.account['city']}/{ROUND}/", "city report")
        self.autosave(next(self.next_cell))

    def autosave(self, cell):
        value = random.choice([v for v in VALUES if v != cell.get("value")])
        body = {
            "statement": cell["statement"],
            "respondent": cell["respondent"],
            "value": value,
            "note": f"Checked under load {random.randrange(1000)}",
            "version": cell["version"],
            "seen": cell["seen"],
        }
        with self.client.post(
            f"/sheets/{self.sheet}/answer/",
            name="autosave",
            json=body,
            catch_response=True,
            headers={"X-CSRFToken": self.token},
            context={"kind": "autosave"},
        ) as response:
            if response.status_code == 200:
                reply = response.json()
                cell.update(version=reply["version"], seen=reply["seen"], value=reply["value"])


class Coordinator(Person):
    weight = max(1, round(100 * COORDINATOR_SHARE))
    wait_time = constant_pacing(120)

    def on_start(self):
        self.account = ACCOUNTS["coordinators"][next(State.coordinators) % len(ACCOUNTS["coordinators"])]
        self.sign_in(self.account)
        gevent.sleep(random.uniform(0, 120))

    @task
    def read_and_download(self):
        report = f"/cities/{self.account['city']}/{ROUND}/"
        self.page(report, "city report")
        pdf = f"{report}report.pdf"
        response = self.client.get(pdf, name="report PDF", context={"kind": "pdf"})
        if response.status_code != 202:
            if State.measuring is not None and response.status_code == 200:
                State.measuring["pdf_cached"] += 1
            return
        State.cold_waiting += 1
        if State.measuring is not None:
            State.measuring["pdf_cold"] += 1
        start = time.monotonic()
        try:
            while response.status_code == 202 and time.monotonic() - start < PDF_WAIT_SECONDS:
                gevent.sleep(2)  # the waiting page's meta refresh
                response = self.client.get(pdf, name="report PDF (waiting page)", context={"kind": "pdf"})
        finally:
            State.cold_waiting -= 1
        waited = time.monotonic() - start
        if response.status_code != 200:
            events.request.fire(
                request_type="GET",
                name="report PDF (never ready)",
                response_time=waited * 1000,
                response_length=0,
                context={"kind": "pdf"},
                exception=RuntimeError(f"status {response.status_code} after {waited:.0f} s"),
            )
        elif State.measuring is not None:
            State.measuring["pdf_waits"].append(waited)


class Healthz(Person):
    """The reference: the same middleware, one `SELECT 1`, a small JSON answer, once a second."""

    wait_time = constant_pacing(1)

    def on_start(self):
        State.signed_in += 1
        gevent.sleep(random.uniform(0, 1))

    @task
    def healthz(self):
        self.client.get("/healthz", name="healthz", context={"kind": "page"})

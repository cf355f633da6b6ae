"""Several app servers, for real: two gunicorn servers, one task worker, PostgreSQL and a Redis of
their own, as the README's deployment section describes them.

The stack starts as bench/capacity.py starts it (`tests/stack.py`). It needs PostgreSQL (the
servers cannot share the test run's SQLite memory database), so it runs in CI's PostgreSQL run
and is skipped, saying why, in the SQLite one. It makes a scratch database beside the test
database and drops it afterwards.
"""

import http.cookiejar
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from tests.sheet_posts import form_fields
from tests.stack import BASE, MANAGE, production_stack

DATABASE_URL = os.environ.get("DATABASE_URL", "")

pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")),
    reason="several app servers need a database server: runs in CI's PostgreSQL run",
)


def wait_for(predicate, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


class Browser:
    """A person's cookies and CSRF token, across servers (the same site behind a balancer)."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url):
        try:
            with self.opener.open(url, timeout=60) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()
        except urllib.error.URLError:  # not listening (yet, or any more)
            return 0, {}, b""

    def post(self, url, fields, referer):
        data = urllib.parse.urlencode(fields, doseq=True).encode()
        request = urllib.request.Request(url, data=data, headers={"Referer": referer})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def sign_in(self, server, username, password):
        url = f"{server}/accounts/login/"
        self.get(url)  # the CSRF cookie, whose value the form may post as it is
        token = next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")
        status, body = self.post(url, {"csrfmiddlewaretoken": token, "username": username, "password": password}, url)
        assert status == 200 and b'action="/accounts/logout/"' in body, body[:300]


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    for tool in ("redis-server", "createdb", "dropdb"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed (.ci/run installs it)")
    url = urllib.parse.urlsplit(DATABASE_URL)
    name = f"mega_multi_{uuid.uuid4().hex[:8]}"
    pg = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
    subprocess.run(["createdb", *pg, name], check=True)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "mega.settings",
        "DATABASE_URL": urllib.parse.urlunsplit(url._replace(path=f"/{name}")),
        "SECRET_KEY": "multi-server-test-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "HTTPS": "0",
        "GUNICORN_WORKERS": "1",
        "DEBUG": "0",
    }

    def prepare(env):
        subprocess.run([*MANAGE, "migrate", "--noinput", "-v0"], cwd=BASE, env=env, check=True)
        # The demo people come with DEBUG only; the servers themselves run without it.
        subprocess.run([*MANAGE, "seed_demo"], cwd=BASE, env={**env, "DEBUG": "1"}, check=True, capture_output=True)

    try:
        with production_stack(
            env,
            tmp_path_factory.mktemp("multi-server"),
            servers=2,
            prepare=prepare,
            worker_options=["--interval", "0.2"],
        ) as running:
            yield {"a": running.servers[0], "b": running.servers[1], "redis": running.redis, "logs": running.logs}
    finally:
        subprocess.run(["dropdb", *pg, "--if-exists", "--force", name], check=False)


def test_a_sign_in_on_one_server_is_valid_on_the_other(stack):
    person = Browser()
    person.sign_in(stack["a"], "coordinator", "coordinator-demo")
    status, _, body = person.get(f"{stack['b']}/")
    assert status == 200 and b"Milan" in body


def test_a_change_saved_through_one_server_shows_at_once_through_the_other(stack):
    officer = Browser()
    officer.sign_in(stack["a"], "officer", "officer-demo")
    home = officer.get(f"{stack['a']}/")[2].decode()
    sheet_path = home[home.index("/sheets/") :].split('"')[0]
    editor = f"{stack['a']}{sheet_path}"
    fields = form_fields(officer.get(editor)[2].decode())
    note_field = next(name for name in fields if name.startswith("cell-") and name.endswith("-note"))
    note = f"Checked on server A {uuid.uuid4().hex[:6]}"
    fields[note_field] = note
    status, _ = officer.post(editor, fields, editor)
    assert status == 200
    assert note.encode() in officer.get(f"{stack['b']}{sheet_path}")[2]


def test_pdfs_render_on_the_worker_while_the_site_answers(stack):
    coordinator = Browser()
    coordinator.sign_in(stack["b"], "coordinator", "coordinator-demo")
    # One cold PDF: the worker renders at a lower priority, so while the rest of the suite keeps
    # the CPU busy each render waits tens of seconds (three took 83 s).
    pdf = "/cities/milan/2018/report.pdf?lang=it"
    assert coordinator.get(stack["b"] + pdf)[0] == 202
    # Meanwhile both servers answer, the PDF still waiting for the worker: no web request renders
    # it. (How fast pages stay while PDFs render is measured by bench/capacity.py, not here.)
    assert [coordinator.get(f"{server}/")[0] for server in (stack["a"], stack["b"])] == [200, 200]
    assert coordinator.get(stack["a"] + pdf)[0] == 202
    # Queued through B, it is rendered by the worker and downloads from A.
    wait_for(lambda: coordinator.get(stack["a"] + pdf)[0] == 200, 180, "the PDF to be rendered")
    status, headers, body = coordinator.get(stack["a"] + pdf)
    assert headers["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")


def test_with_redis_stopped_signed_in_pages_still_serve(stack):
    coordinator = Browser()
    coordinator.sign_in(stack["a"], "coordinator", "coordinator-demo")
    stack["redis"].terminate()
    stack["redis"].wait(10)
    for server in (stack["a"], stack["b"]):
        status, _, body = coordinator.get(f"{server}/")
        assert status == 200 and b"Milan" in body
    status, _, body = coordinator.get(f"{stack['a']}/healthz")
    assert status == 503 and b"cache" in body

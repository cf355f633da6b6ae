"""The production-like stack of the README's deployment section, started on this machine, all on
loopback: a redis-server of its own on a free port as the cache, the collected static files,
gunicorn servers with gunicorn.conf.py and one task worker (`manage.py task_worker`), on the
database that `env` names. For tests/test_multi_server.py and bench/capacity.py; every process
is stopped at the end, whatever happened."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, "manage.py"]


@dataclass
class Stack:
    servers: list  # each gunicorn server's base URL
    redis: subprocess.Popen
    env: dict  # the environment every process got, CACHE_URL included
    logs: Path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def production_stack(env, logs, *, servers=1, prepare=None, worker_options=()):
    """Yields the running `Stack`. `env` is the environment of every process (DATABASE_URL,
    SECRET_KEY, GUNICORN_WORKERS, …; CACHE_URL and GUNICORN_BIND are added); each process logs to
    a file in `logs`. `prepare(env)`, if given, runs once Redis is up and the static files are
    collected, before any server starts: migrations, data."""
    logs = Path(logs)
    env = {**env, "CACHE_URL": f"redis://127.0.0.1:{free_port()}/0"}
    processes = []

    def start(*command, log, **extra):
        with open(logs / log, "wb") as out:
            process = subprocess.Popen(
                command, cwd=BASE, env={**env, **extra}, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        processes.append(process)
        return process

    try:
        port = env["CACHE_URL"].rsplit(":", 1)[1].split("/")[0]
        redis = start(
            "redis-server", "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", log="redis.log"
        )
        subprocess.run([*MANAGE, "collectstatic", "--noinput", "-v0"], cwd=BASE, env=env, check=True)
        if prepare is not None:
            prepare(env)
        urls = []
        for number in range(servers):
            bind = f"127.0.0.1:{free_port()}"
            start(
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "gunicorn.conf.py",
                "mega.wsgi",
                log=f"gunicorn-{number}.log",
                GUNICORN_BIND=bind,
            )
            urls.append(f"http://{bind}")
        start(*MANAGE, "task_worker", "--no-reload", *worker_options, log="worker.log")
        for number, url in enumerate(urls):
            deadline = time.monotonic() + 60
            while not answers(f"{url}/healthz"):
                if time.monotonic() > deadline:
                    log = (logs / f"gunicorn-{number}.log").read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"{url} did not start:\n{log}")
                time.sleep(0.2)
        yield Stack(urls, redis, env, logs)
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)

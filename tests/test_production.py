"""What a production deployment relies on: health check, error pages, deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

from django.db import DatabaseError
from django.test import override_settings
from django.urls import reverse

BASE = Path(__file__).resolve().parent.parent


def test_healthz_reports_a_reachable_database_without_data(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_an_unreachable_database(client, db, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr("mega.health.connection", Unreachable())
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable", "cache": "ok"}


def test_healthz_needs_no_login_and_refuses_posts(client, db):
    assert client.post(reverse("healthz")).status_code == 405


def test_404_page_is_friendly_and_shows_no_internals(client, officer):
    client.force_login(officer)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "Traceback" not in html and "urlpatterns" not in html


def test_500_page_shows_no_stack_trace(db):
    from django.test import Client

    client = Client(raise_request_exception=False)
    with override_settings(ROOT_URLCONF="tests.broken_urls", DEBUG=False):
        response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "ZeroDivisionError" not in html and "Traceback" not in html


def test_deploy_check_reports_nothing_with_production_settings():
    env = {
        # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for themselves; a deployment never has it.
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"DEBUG", "HTTPS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        },
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "mega.example.org",
        "DJANGO_SETTINGS_MODULE": "mega.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_loading_the_app_opens_no_database_connection_for_gunicorns_forked_workers(tmp_path):
    """gunicorn.conf.py preloads the app in the master and forks the workers from it: a database
    connection opened while loading would be one socket shared by every worker."""
    import runpy

    config = runpy.run_path(str(BASE / "gunicorn.conf.py"))
    assert config["preload_app"] is True and callable(config["when_ready"])
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}},
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "mega.example.org",
        "DJANGO_SETTINGS_MODULE": "mega.settings",
        "CACHE_DIR": str(tmp_path / "cache"),
    }
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp_path}/db.sqlite3")
    script = (
        "from mega.wsgi import application\n"
        "from django.db import connections\n"
        "print(sum(c.connection is not None for c in connections.all()))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=BASE, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0"

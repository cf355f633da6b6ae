"""A broken cache (a directory that cannot be written, a Redis that is down) costs speed, never a
page: sessions live in the database too, every cache failure is logged, and /healthz names it."""

import logging
import os
import shutil
import socket
import subprocess
import time

import pytest
from django.urls import reverse

from tests.factories import make_user
from stakeholders.models import Assignment

pytestmark = pytest.mark.django_db


def signed_in_pages(sheet):
    return [
        reverse("home"),
        reverse("sheets:edit", args=[sheet.pk]),
        reverse("sheets:history", args=[sheet.pk]),
        reverse("reports:city", args=["milan", "2018"]),
        reverse("reports:sheet_pdf", args=[sheet.pk]),
        "/guidance/",
    ]


def sign_in_and_browse(client, milan, sheet):
    """Sign in with a password (the session is written), then read every kind of page."""
    make_user("olga", city=milan, role=Assignment.Role.OFFICER)
    response = client.post(reverse("login"), {"username": "olga", "password": "pw-olga"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    for url in signed_in_pages(sheet):
        for _ in range(2):  # the second time is where a cached copy would be read
            response = client.get(url)
            assert response.status_code == 200, url
    return response


@pytest.fixture
def unwritable_dir(tmp_path):
    """A real cache directory nobody may write: read-only mode, and immutable when we are root
    (root ignores the mode)."""
    path = tmp_path / "cache"
    path.mkdir()
    (path / "old-entry.djcache").write_bytes(b"not a cache entry")
    path.chmod(0o555)
    immutable = os.geteuid() == 0 and subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0
    try:
        (path / "probe").write_text("x")
    except OSError:
        pass
    else:
        pytest.fail(f"could not make {path} unwritable on this machine")
    yield path
    if immutable:
        subprocess.run(["chattr", "-i", str(path)], check=True)
    path.chmod(0o755)


def file_cache(settings, location):
    settings.CACHES = {"default": {"BACKEND": "mega.cache.FileBasedCache", "LOCATION": str(location)}}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_server():
    """A Redis of our own on a free port; the test stops it by killing the process."""
    binary = shutil.which("redis-server")
    if binary is None and os.environ.get("CI"):
        pytest.fail("redis-server is needed")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.05)
    yield process, f"redis://127.0.0.1:{port}/0"
    process.kill()
    process.wait()


def redis_cache(settings, url):
    settings.CACHES = {
        "default": {
            "BACKEND": "mega.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def test_an_unwritable_file_cache_serves_every_signed_in_page_and_logs_it(
    client, milan, sheet, settings, unwritable_dir, caplog
):
    file_cache(settings, unwritable_dir)
    with caplog.at_level(logging.ERROR, logger="mega.cache"):
        sign_in_and_browse(client, milan, sheet)
    assert any(record.name == "mega.cache" and "cache unavailable" in record.getMessage() for record in caplog.records)


def test_a_stopped_redis_serves_every_signed_in_page_and_keeps_people_signed_in(
    client, milan, sheet, settings, redis_server, caplog
):
    process, url = redis_server
    redis_cache(settings, url)
    sign_in_and_browse(client, milan, sheet)
    process.kill()
    process.wait()
    with caplog.at_level(logging.ERROR, logger="mega.cache"):
        for url_ in signed_in_pages(sheet):
            assert client.get(url_).status_code == 200, url_
    assert any(record.name == "mega.cache" for record in caplog.records)


def test_healthz_reports_a_working_redis_and_then_its_stop(client, settings, redis_server):
    process, url = redis_server
    redis_cache(settings, url)
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    process.kill()
    process.wait()
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "unreachable"}


def test_healthz_reports_an_unwritable_file_cache(client, settings, unwritable_dir):
    file_cache(settings, unwritable_dir)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "unreachable"}


def test_healthz_reports_a_writable_file_cache(client, settings, tmp_path):
    file_cache(settings, tmp_path / "cache")
    assert client.get(reverse("healthz")).json()["cache"] == "ok"


def test_healthz_is_answered_over_plain_http_while_everything_else_goes_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("healthz")).status_code == 200
    response = client.get(reverse("login"))
    assert response.status_code == 301 and response["Location"].startswith("https://")

"""Password reset: throttled per address and per client without telling who has an account, and
no reset token ever reaches a log (Django's log handler, gunicorn's access log), DEBUG off."""

import io
import logging
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

from mega.log_redaction import RedactSecrets
from tests.factories import make_user

TOO_MANY = "Too many password reset requests"
BASE = Path(__file__).resolve().parent.parent


def ask(client, email, address="203.0.113.5"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


@pytest.fixture
def olga(milan):
    user = make_user("olga")
    user.email = "olga@example.org"
    user.save()
    return user


def test_an_address_gets_three_links_an_hour_then_a_clear_message(client, olga, mailoutbox):
    for n in range(3):
        assert ask(client, "olga@example.org", address=f"203.0.113.{n}").status_code == 302
    response = ask(client, " OLGA@example.org", address="198.51.100.1")
    assert response.status_code == 429
    assert TOO_MANY in response.content.decode()
    assert len(mailoutbox) == 3


def test_the_limit_looks_the_same_for_an_address_without_an_account(client, olga, mailoutbox):
    """Same status, same page: the throttle tells nobody whether an account exists."""
    pages = {}
    for email in ["olga@example.org", "nobody@example.org"]:
        for n in range(3):
            assert ask(client, email, address=f"192.0.2.{n}").status_code == 302
        response = ask(client, email, address="192.0.2.99")
        pages[email] = (response.status_code, re.sub(r'value="[^"]*"', "", response.content.decode()))
    assert pages["olga@example.org"] == pages["nobody@example.org"]
    assert pages["nobody@example.org"][0] == 429


def test_one_client_asking_for_many_addresses_is_stopped(client, olga, mailoutbox):
    for n in range(10):
        assert ask(client, f"someone{n}@example.org").status_code == 302
    assert ask(client, "olga@example.org").status_code == 429
    assert mailoutbox == []
    assert ask(client, "olga@example.org", address="203.0.113.77").status_code == 302


def test_behind_the_proxy_each_client_is_counted_on_its_own(client, olga, settings, mailoutbox):
    settings.PROXY_COUNT = 1
    for n in range(10):
        client.post(
            reverse("password_reset"),
            {"email": f"x{n}@example.org"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    response = client.post(
        reverse("password_reset"),
        {"email": "olga@example.org"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    assert response.status_code == 302 and len(mailoutbox) == 1


def test_no_reset_token_reaches_the_log(client, olga, mailoutbox, settings):
    """A whole reset, and the ways a link gets logged (a refused CSRF check on it, a 404 below it),
    with DEBUG off and the log at DEBUG level: the log shows the paths, never the token."""
    from django.test import Client

    assert not settings.DEBUG
    root = logging.getLogger()
    # The project's own log handler (settings.LOGGING), writing where the test can read it.
    handler = next(h for h in root.handlers if any(isinstance(f, RedactSecrets) for f in h.filters))
    written, level = io.StringIO(), root.level
    stream = handler.setStream(written)
    root.setLevel(logging.DEBUG)
    try:
        assert ask(client, "olga@example.org").status_code == 302
        link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mailoutbox[0].body)[1]
        token = link.rstrip("/").rsplit("/", 1)[1]
        assert len(token) > 20
        Client(enforce_csrf_checks=True).post(link, {"new_password1": "x", "new_password2": "x"})
        client.get(link + "no-such-page/")
        page = client.get(link, follow=True)
        assert page.status_code == 200
        response = client.post(
            page.redirect_chain[-1][0], {"new_password1": "A-new-long-pass-9", "new_password2": "A-new-long-pass-9"}
        )
        assert response.status_code == 302
    finally:
        root.setLevel(level)
        handler.setStream(stream)
    logged = written.getvalue()
    assert "Forbidden (CSRF" in logged and "/accounts/reset/" in logged, "the test logged nothing to check"
    assert token not in logged
    assert "[redacted]" in logged


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_access_log_carries_no_reset_token(tmp_path):
    """The real gunicorn, with the project's gunicorn.conf.py, serving a reset link."""
    port = free_port()
    token = "cdf3l2-0123456789abcdef0123456789abcdef"
    log = tmp_path / "access.log"
    env = {
        "PATH": "/usr/bin:/bin",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "SECRET_KEY": "gunicorn-test",
        "ALLOWED_HOSTS": "127.0.0.1",
        "HTTPS": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "CACHE_DIR": str(tmp_path / "cache"),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(BASE / "gunicorn.conf.py"),
            "--access-logfile",
            str(log),
            "mega.wsgi",
        ],
        cwd=BASE,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/reset/MQ/{token}/", timeout=5)
                break
            except urllib.error.HTTPError:
                break  # answered (any status): the request line is logged
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=30)
    logged = log.read_text()
    assert "/accounts/reset/MQ/[redacted]" in logged
    assert token not in logged

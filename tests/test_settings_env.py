"""Settings read from the environment refuse nonsense instead of guessing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from mega.env import cache_from_url, database_from_url, env_bool, env_list

BASE = Path(__file__).resolve().parent.parent


def test_env_bool_reads_the_usual_spellings(monkeypatch):
    for raw, expected in [("1", True), ("true", True), ("Yes", True), ("0", False), ("off", False), ("", False)]:
        monkeypatch.setenv("FLAG", raw)
        assert env_bool("FLAG") is expected
    monkeypatch.delenv("FLAG")
    assert env_bool("FLAG", default=True) is True


def test_env_bool_refuses_nonsense(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be one of"):
        env_bool("FLAG")


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example, b.example ,,")
    assert env_list("HOSTS") == ["a.example", "b.example"]


def test_database_url_for_postgresql():
    config = database_from_url("postgres://mega:s%40cret@db.internal:5433/mega_prod", BASE)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "mega_prod",
        "mega",
        "s@cret",
        "db.internal",
        5433,
    )
    assert config["CONN_HEALTH_CHECKS"] and config["CONN_MAX_AGE"] == 60


def test_database_url_query_options_reach_the_driver():
    config = database_from_url("postgres://mega@db.internal/mega?sslmode=verify-full&connect_timeout=5", BASE)
    assert config["OPTIONS"] == {"sslmode": "verify-full", "connect_timeout": 5}


def test_database_url_for_an_sqlite_file():
    config = database_from_url("sqlite:////srv/mega/db.sqlite3", BASE)
    assert (config["ENGINE"], config["NAME"]) == ("django.db.backends.sqlite3", "/srv/mega/db.sqlite3")


def test_no_database_url_means_sqlite_in_the_project():
    config = database_from_url(None, BASE)
    assert config == {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE / "db.sqlite3"}


@pytest.mark.parametrize("url", ["mysql://x@y/z", "postgres://host:5432/", "sqlite:///", "nonsense"])
def test_unusable_database_urls_are_refused(url):
    with pytest.raises(ImproperlyConfigured):
        database_from_url(url, BASE)


def _start(env):
    """Import the real settings in a fresh interpreter with `env`, as a server would."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    return subprocess.run(
        [sys.executable, "-c", "import mega.settings"],
        cwd=BASE,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _start({"DEBUG": "0", "ALLOWED_HOSTS": "mega.example"})
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _start({"DEBUG": "0", "SECRET_KEY": "k" * 50})
    assert result.returncode != 0 and "ALLOWED_HOSTS must be set" in result.stderr


def test_local_development_starts_with_nothing_set():
    assert _start({"DEBUG": "1"}).returncode == 0


def test_cache_url_selects_the_shared_redis_cache():
    config = cache_from_url("redis://cache.internal:6379/2", "/unused")
    assert config["BACKEND"] == "mega.cache.RedisCache"
    assert config["LOCATION"] == "redis://cache.internal:6379/2"


def test_without_cache_url_the_cache_is_a_folder(tmp_path):
    config = cache_from_url(None, str(tmp_path))
    assert config["BACKEND"] == "mega.cache.FileBasedCache"
    assert config["LOCATION"] == str(tmp_path)


def test_cache_url_refuses_other_schemes():
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must start with redis://"):
        cache_from_url("memcached://127.0.0.1:11211", "/unused")

"""The catalogues hold every string the code marks for translation: a string added to a template
or a view without running `makemessages` would otherwise show in English to every reader."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
SOURCES = [
    "mega",
    "assessments",
    "reports",
    "matching",
    "stakeholders",
    "guidance",
    "translations",
    "people",
    "rounds",
    "downloads",
    "templates",
    "static",
    "manage.py",
    "docs/exchange.schema.json",
]


def msgids(path):
    return {(e.msgctxt, e.msgid) for e in polib.pofile(str(path)) if not e.obsolete and e.msgid}


@pytest.mark.skipif(
    shutil.which("xgettext") is None and os.environ.get("CI") != "true",
    reason="GNU gettext (xgettext) is not installed; CI installs it",
)
def test_the_catalogues_hold_every_marked_string(tmp_path):
    for name in SOURCES:
        source = BASE / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "vendor"))
        else:
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, tmp_path / name)
    shutil.copytree(BASE / "locale", tmp_path / "locale")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "it", "-v0"],
        cwd=tmp_path,
        check=True,
        env={**os.environ, "DEBUG": "1"},
        capture_output=True,
    )
    extracted = msgids(tmp_path / "locale/it/LC_MESSAGES/django.po")
    committed = msgids(BASE / "locale/it/LC_MESSAGES/django.po")
    missing = sorted(extracted - committed, key=str)
    assert not missing, f"run `python manage.py makemessages` and translate: {missing[:10]}"

"""`collectstatic` with the production storage (whitenoise, hashed and compressed names) succeeds, so
`make serve` and a deployment can start.

The storage rewrites every URL a stylesheet or script refers to, source maps included, and refuses
a file that refers to one that is missing: the vendored Bootstrap files are shipped without their
`sourceMappingURL` comments because their `.map` files are not shipped.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent

COLLECT = """
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
settings.STATIC_ROOT = {root!r}
# Hashing and rewriting the references is what can fail; compressing every file only takes time,
# so only the stylesheets are compressed, to show that they are served pre-compressed.
settings.WHITENOISE_SKIP_COMPRESS_EXTENSIONS = ["js", "svg", "ttf", "otf", "txt", "html", "map", "json", "xml",
                                                "ico", "png", "jpg", "woff", "woff2", "eot", "md", "LICENSE"]
call_command("collectstatic", interactive=False, verbosity=0)
"""


def test_collectstatic_with_the_production_storage_succeeds(tmp_path):
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"DEBUG", "HTTPS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        },
        "DJANGO_SETTINGS_MODULE": "mega.settings",
        "DEBUG": "0",
        "SECRET_KEY": "collectstatic-test-" + "x" * 40,
        "ALLOWED_HOSTS": "mega.example.org",
    }
    root = tmp_path / "staticfiles"
    result = subprocess.run(
        [sys.executable, "-c", COLLECT.format(root=str(root))],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = (root / "staticfiles.json").read_text()
    for name in ("js/sheet-editor.js", "css/print.css", "vendor/bootstrap/bootstrap.min.css"):
        assert f'"{name}"' in manifest, name
    hashed = json.loads(manifest)["paths"]["vendor/bootstrap/bootstrap.min.css"]
    compressed = root / (hashed + ".gz")
    assert compressed.exists() and compressed.stat().st_size < (root / hashed).stat().st_size / 4

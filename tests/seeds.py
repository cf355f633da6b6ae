"""The seed documents (the source PDFs' text) live beside the repository, in `../shared/seeds`.

A clone with nothing beside it checks the fixtures against the repository's own transcriptions in
`fixtures/source/`; the word-for-word checks against the seed documents run where the seeds are
present (as in CI, where their absence is a failure, not a skip). `MEGA_SEEDS` names another
folder.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

SEEDS = Path(os.environ.get("MEGA_SEEDS") or Path(settings.BASE_DIR).parent / "shared" / "seeds")


def seed_path(name):
    """The path of one seed document; skips the calling test (fails it under CI) when it is absent."""
    path = SEEDS / name
    if not path.exists():
        reason = f"seed document {name} is not beside this clone (looked in {SEEDS})"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason + "; the checks against fixtures/source still run")
    return path

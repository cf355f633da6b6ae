"""The change stamps that the report PDF's cache key reads (reports/stamps.py)."""

from django.apps import apps
from django.db import transaction

from reports import stamps
from assessments.models import Statement

PROJECT_APPS = ["assessments", "stakeholders", "guidance", "translations"]


def test_every_model_of_the_project_says_whether_a_report_shows_it():
    """A new model must be sorted: shown (its changes renew the stamps), a sheet's own row, or not."""
    models = {
        f"{m._meta.app_label}.{m._meta.object_name}"
        for app in PROJECT_APPS
        for m in apps.get_app_config(app).get_models()
        if not m._meta.object_name.startswith("Historical")
    }
    sorted_ = stamps.CONTENT_MODELS | stamps.SHEET_MODELS | stamps.UNSHOWN_MODELS
    assert models - sorted_ == set()
    assert sorted_ - models == set()


def test_the_stamp_is_renewed_again_when_the_transaction_commits(sheet, django_capture_on_commit_callbacks):
    """A request that reads the old rows while a change is not yet committed must not keep them
    under the stamp that follows the change: the commit renews the stamp once more."""
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            statement = Statement.objects.filter(level__checklist=sheet.checklist).first()
            statement.save()
            during = stamps._stamps([stamps.CONTENT_STAMP])
    assert stamps._stamps([stamps.CONTENT_STAMP]) != during


def test_the_code_digest_changes_with_a_template(tmp_path, settings):
    (tmp_path / "page.html").write_text("one")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    stamps.code_digest.cache_clear()
    try:
        before = stamps.code_digest()
        (tmp_path / "page.html").write_text("two")
        stamps.code_digest.cache_clear()
        assert stamps.code_digest() != before
    finally:
        stamps.code_digest.cache_clear()

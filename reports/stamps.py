"""Change stamps: values in the cache that are renewed whenever what a city report shows changes,
by any path at all (the editor, the admin, a spreadsheet or JSON import, a shell), so that the
report PDF's cache key (`pdf.report_cache_key`) can tell a current PDF without building its HTML.

- a sheet's stamp is renewed whenever one of its answers or columns is saved or deleted;
- the content stamp whenever anything else a report shows is saved or deleted: a checklist, level
  or statement, a translation, a guidance text or link, a city or an organisation
  (`CONTENT_MODELS`; a test makes every model of the project choose a side);
- `code_digest()` changes with the code, templates, catalogues and static files the process runs.

A stamp is renewed at once and again when the transaction commits: a request that read the old
rows in between cannot keep them under the new stamp. Stamps live in the cache with the PDFs, so
an evicted stamp only costs a render.
"""

import hashlib
import uuid
from functools import cache as once
from importlib import import_module
from importlib.metadata import distributions
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

CONTENT_STAMP = "stamps:content"
# Renewed whenever any city's report texts or conclusions change (`pdf.connect`): they show in
# other cities' partner matches.
REPORTS_STAMP = "mega-pdf:reports-stamp"

# What a report shows besides its sheets' own rows ("app_label.ModelName").
CONTENT_MODELS = {
    "assessments.Checklist",
    "assessments.Level",
    "assessments.Statement",
    "assessments.Topic",
    "assessments.Round",
    "stakeholders.City",
    "stakeholders.StakeholderType",
    "stakeholders.Organisation",
    "translations.ChecklistTranslation",
    "translations.LevelTranslation",
    "translations.StatementTranslation",
    "translations.TopicTranslation",
    "translations.GuidanceModuleTranslation",
    "translations.GuidanceStatementTranslation",
    "translations.GuidanceBlockTranslation",
    "translations.RecommendedActionTranslation",
    "guidance.GuidanceModule",
    "guidance.Reference",
    "guidance.GuidanceStatement",
    "guidance.GuidanceBlock",
    "guidance.RecommendedAction",
    "guidance.StatementLink",
}
# A sheet's own rows, and how to find the sheet of one.
SHEET_MODELS = {"assessments.Respondent", "assessments.Answer", "assessments.Sheet"}
# Models whose changes reach the PDF key otherwise (reports: their own stamp and versions), or never.
UNSHOWN_MODELS = {
    "assessments.SheetTransition",
    "assessments.CityReport",
    "assessments.Conclusion",
    "stakeholders.Assignment",
    "guidance.SelfAssessment",
    "guidance.Rating",
    "assessments.LoadedFixture",
}


def _sheet_stamp(sheet_id):
    return f"stamps:sheet:{sheet_id}"


def _renew(keys):
    cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)


def renew(keys):
    """Make every PDF key made with the current value of `keys` unreachable, now and at commit."""
    keys = list(keys)
    _renew(keys)
    transaction.on_commit(lambda: _renew(keys))


def _stamps(keys):
    """The current stamps of `keys`, or None when one cannot be read back from the cache."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, timeout=None)
            found[key] = cache.get(key)
    stamps = [found[key] for key in keys]
    return None if None in stamps else stamps


def content_stamps(sheet_ids, extra=()):
    """The current stamps of the checklist content, of each of the sheets and of the `extra`
    keys, for another cache keyed on the same changes (the PDF reports); None when one cannot be
    read back from the cache."""
    return _stamps([CONTENT_STAMP, *(_sheet_stamp(pk) for pk in sheet_ids), *extra])


def round_stamp(round):
    """The version of figures about a whole round that also read the checklists, cities and
    topics: the round's sheets' stamp (`Round.sheets_stamp`) with the content stamp; None when
    the content stamp cannot be read back from the cache."""
    content = content_stamps([])
    return None if content is None else (round.sheets_stamp(), content[0])


@once
def code_digest():
    """A digest of this project's code, templates, compiled catalogues and static files, and of
    the installed packages' versions (Django's templates and catalogues among them). Computed
    when the app starts (`AssessmentsConfig.ready`), so that it describes the code the process
    runs, not files deployed after it started."""
    base = Path(settings.BASE_DIR).resolve()
    roots = {Path(app.path).resolve() for app in apps.get_app_configs()}
    roots = {root for root in roots if base in root.parents and ".venv" not in root.parts}
    roots.add(Path(import_module(settings.ROOT_URLCONF).__file__).resolve().parent)  # urls, settings
    roots |= {Path(d).resolve() for t in settings.TEMPLATES for d in t.get("DIRS", [])}
    roots |= {Path(d).resolve() for d in settings.LOCALE_PATHS}
    roots |= {Path(d).resolve() for d in getattr(settings, "STATICFILES_DIRS", [])}
    digest = hashlib.sha256()
    digest.update(" ".join(sorted(f"{d.metadata['Name']}=={d.version}" for d in distributions())).encode())
    for root in sorted(roots):
        for path in sorted(root.rglob("*")):
            if path.suffix in {".py", ".html", ".mo", ".js", ".css"} and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# --- signals: what renews the stamps ---------------------------------------------------------


def _label(model):
    return f"{model._meta.app_label}.{model._meta.object_name}"


def _answer_changed(instance, origin=None, **kwargs):
    if getattr(instance, "_sheet_touched", False):
        return  # saved by `cells`, which touches the sheet once for all its answers
    if origin is not None and _label(getattr(origin, "model", type(origin))) != "assessments.Answer":
        return  # deleted with its column, sheet, statement or city, whose own signal renews
    respondent = instance._state.fields_cache.get("respondent")
    # Finding the sheet of a bare answer would cost a query per row of an import: renew all.
    renew([_sheet_stamp(respondent.sheet_id)] if respondent is not None else [CONTENT_STAMP])


def _sheet_changed(instance, **kwargs):
    renew([_sheet_stamp(instance.pk if _label(type(instance)) == "assessments.Sheet" else instance.sheet_id)])


def _content_changed(**kwargs):
    renew([CONTENT_STAMP])


def connect():
    """Called once from the app's `ready()`; only the listed models get the receivers, so that
    Django keeps fast-deleting the others."""
    for label in CONTENT_MODELS | SHEET_MODELS:
        model = apps.get_model(label)
        receiver = {
            "assessments.Answer": _answer_changed,
            "assessments.Respondent": _sheet_changed,
            "assessments.Sheet": _sheet_changed,
        }.get(label, _content_changed)
        post_save.connect(receiver, sender=model, dispatch_uid=f"stamps_save_{label}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"stamps_delete_{label}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _content_changed, sender=field.remote_field.through, dispatch_uid=f"stamps_m2m_{label}_{field.name}"
            )

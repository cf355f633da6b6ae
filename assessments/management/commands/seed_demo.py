"""Load the reference data and the Milan benchmarking; with DEBUG on, add one demo user per role
and the fictional sample cities (also with --sample-cities; `remove_sample_cities` removes them).

The fixtures' objects are added where the database does not hold them yet (found by their natural
keys) and left alone where it does. `loaddata` would write the fixture's values over every row it
finds, so each `make run` and each release's run would silently undo, without a history record,
what officers typed into Milan's sheets and what staff changed in the checklists and guidance.
A fixture whose file is unchanged since it was loaded (`LoadedFixture`) is skipped: what staff
deleted since stays deleted, and a run over a loaded database costs one query, not thousands.
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management import BaseCommand, CommandError
from django.db import transaction

from assessments.models import LoadedFixture
from stakeholders.models import Assignment, City

FIXTURES = [
    "stakeholder_types",
    "topics",
    "checklists",
    "checklists-it",
    "checklists-fr",
    "checklists-de",
    "checklists-es",
    "milan-2018",
    "oecd-module6",
    "guidance-it",
    "guidance-fr",
    "guidance-de",
    "guidance-es",
]
DEMO_USERS = [
    # username, password, is_superuser, role for Milan
    ("admin", "admin-demo", True, None),
    ("officer", "officer-demo", False, Assignment.Role.OFFICER),
    ("coordinator", "coordinator-demo", False, Assignment.Role.COORDINATOR),
]


class Command(BaseCommand):
    help = "Load all fixtures (idempotent) and, when DEBUG is on, the demo users and the sample cities."

    def add_arguments(self, parser):
        parser.add_argument(
            "--sample-cities", action="store_true", help="Load the fictional sample cities even with DEBUG off."
        )

    def handle(self, *args, **options):
        added, unchanged = load_missing(FIXTURES)
        read = [name for name in FIXTURES if name not in unchanged]
        if read:
            self.stdout.write(f"fixtures {', '.join(read)}: {added} objects added, the others already there")
        if unchanged:
            self.stdout.write(f"fixtures {', '.join(unchanged)}: unchanged since they were loaded, skipped")
        if settings.DEBUG or options["sample_cities"]:
            from rounds.sample import load_sample_cities

            created = load_sample_cities()
            self.stdout.write(
                f"sample cities (fictional, labelled sample data): {', '.join(created) or 'already there'}"
            )
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: no demo users created.")
            return
        milan = City.objects.get(slug="milan")
        User = get_user_model()
        for username, password, superuser, role in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": superuser, "is_superuser": superuser}
            )
            if created:
                user.set_password(password)
                user.save(update_fields=["password"])
            if role:
                Assignment.objects.get_or_create(user=user, city=milan, role=role)
            what = "superuser" if superuser else f"{role} for Milan"
            self.stdout.write(f"demo user {username!r} / {password!r} ({what}){'' if created else ' – already there'}")


def fixture_path(name):
    for folder in settings.FIXTURE_DIRS:
        path = Path(folder) / f"{name}.json"
        if path.is_file():
            return path
    raise CommandError(f"fixture {name!r} not found in {settings.FIXTURE_DIRS}")


@transaction.atomic
def load_missing(names):
    """Load fixtures `names`, in order, skipping those loaded before from the same file; return
    (objects added, names skipped).

    Of a fixture read, only the objects the database does not hold yet are saved, in the
    fixture's order, so that each one's natural keys find the objects saved before it.
    Deserializing looks each object up by its natural key and gives it the primary key of the row
    it finds: an object with a primary key is already there."""
    loaded = dict(LoadedFixture.objects.filter(name__in=names).values_list("name", "digest"))
    added, unchanged = 0, []
    for name in names:
        path = fixture_path(name)
        content = path.read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        if loaded.get(name) == digest:
            unchanged.append(name)
            continue
        for found in serializers.deserialize("json", content.decode("utf-8")):
            if not hasattr(found.object, "natural_key"):
                raise CommandError(f"{found.object._meta.label} in {name} has no natural key to find it by")
            if found.object.pk is None:
                found.save()
                added += 1
        LoadedFixture.objects.update_or_create(name=name, defaults={"digest": digest})
    return added, unchanged

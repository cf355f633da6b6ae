"""Load the reference data and the Milan benchmarking; with DEBUG on, add one demo user per role
and the fictional sample cities (also with --sample-cities; `remove_sample_cities` removes them)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, call_command

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
        call_command("loaddata", *FIXTURES, verbosity=0)
        self.stdout.write(f"loaded fixtures: {', '.join(FIXTURES)}")
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

"""Remove the demo cohort's fictional cities (`City.is_sample`) with their sheets and reports."""

from django.core.management import BaseCommand

from rounds.sample import remove_sample_cities


class Command(BaseCommand):
    help = "Delete the fictional sample cities that seed_demo loads, with everything of theirs."

    def handle(self, *args, **options):
        names = remove_sample_cities()
        self.stdout.write(f"removed sample cities: {', '.join(names)}" if names else "no sample cities to remove")

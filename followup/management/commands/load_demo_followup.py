from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, no_translations

from followup.demo import create_demo_followup


class Command(BaseCommand):
    help = "Creates the demo's locked 2024 follow-up with example figures and its report. Embedded demo only."

    @no_translations
    def handle(self, *args, **options):
        if not settings.EMBEDDED_DEMO:
            raise CommandError("The demo follow-up exists only in the embedded SQLite demo (DATABASE_URL unset).")
        followup = create_demo_followup()
        self.stdout.write(f"Demo follow-up: {'2024 created and locked' if followup else 'already there'}")

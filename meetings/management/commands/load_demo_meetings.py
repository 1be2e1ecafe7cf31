from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, no_translations

from meetings.demo import create_demo_meetings


class Command(BaseCommand):
    help = "Creates the demo's meetings of Fredagsgruppen around today, with minutes. Embedded demo only."

    @no_translations
    def handle(self, *args, **options):
        if not settings.EMBEDDED_DEMO:
            raise CommandError("Demo meetings exist only in the embedded SQLite demo (DATABASE_URL unset).")
        created = create_demo_meetings()
        self.stdout.write(f"Demo meetings: {created} created")

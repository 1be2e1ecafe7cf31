from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, no_translations

from plandata.demo import create_demo_accounts


class Command(BaseCommand):
    help = "Creates the demo accounts (admin, projektledare, fredagsgruppen; password demo). Embedded demo only."

    @no_translations
    def handle(self, *args, **options):
        if not settings.EMBEDDED_DEMO:
            raise CommandError("Demo accounts exist only in the embedded SQLite demo (DATABASE_URL unset).")
        created = create_demo_accounts()
        self.stdout.write(f"Demo accounts: {len(created)} created ({', '.join(created) or 'all existed'})")

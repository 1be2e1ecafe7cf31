import datetime

from django.core.management.base import BaseCommand

from revisions.services import activate_due_revisions


class Command(BaseCommand):
    help = "Puts in force every draft plan revision whose in-force date has come. Run it daily (cron, systemd timer)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=datetime.date.fromisoformat, help="Today, as YYYY-MM-DD (default: today).")

    def handle(self, *args, date=None, **options):
        for draft in activate_due_revisions(today=date):
            self.stdout.write(f"Revision {draft.label} is now in force.")

"""Sends the reminders and meeting-pack links that are due: run daily (README.md, "E-mail")."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from meetings.mail import send_notices
from meetings.reminders import notices_due


class Command(BaseCommand):
    help = "Sends the reminders before each forum's meeting and the links to the meeting packs that are due."

    def handle(self, *args, **options):
        notices = notices_due(timezone.now())
        outcome = send_notices(notices)
        summary = (
            f"Sent {outcome.sent}, skipped {outcome.skipped}, refused {outcome.failed}, "
            f"left for the next run {outcome.left}."
        )
        if outcome.failed or outcome.left:
            raise CommandError(summary)
        self.stdout.write(summary)

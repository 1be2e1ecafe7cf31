from django.core.management.base import BaseCommand, CommandError, no_translations

from plandata.demo import generate_demo_data


class Command(BaseCommand):
    help = "Makes the plan N times larger: generated activities and sub-activities, each with status history."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=10)
        parser.add_argument("--seed", type=int, default=1)

    @no_translations
    def handle(self, *args, scale, seed, **options):
        if scale < 1:
            raise CommandError("--scale must be at least 1")
        activities, subactivities = generate_demo_data(scale, seed=seed)
        self.stdout.write(f"Generated {activities} activities and {subactivities} sub-activities (scale {scale})")

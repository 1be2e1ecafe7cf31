from django.conf import settings
from django.core.management.base import BaseCommand, no_translations

from plandata.loader import load_plan_file


class Command(BaseCommand):
    help = "Loads a plan from its YAML fixture. Creates what is missing; never changes or duplicates what exists."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(settings.BASE_DIR / "fixtures" / "plan_jamtland_harjedalen.yaml")
        )

    @no_translations
    def handle(self, *args, path, **options):
        summary = load_plan_file(path)
        self.stdout.write(str(summary))

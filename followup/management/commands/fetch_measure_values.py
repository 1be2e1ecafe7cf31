"""Fetches effect-measure values from their open data sources: run daily or weekly (README.md)."""

from django.core.management.base import BaseCommand, CommandError

from followup.fetching import fetch_measure_values
from plan.models import PlanRevision
from strategies.models import EffectMeasure


class Command(BaseCommand):
    help = (
        "Fetches the values of the effect measures that name a source (Kolada, Folkhälsodata) and stores what is new."
    )

    def handle(self, *args, **options):
        measures = (
            EffectMeasure.objects.filter(strategy__revision__state=PlanRevision.State.IN_FORCE)
            .exclude(fetch_source="")
            .select_related("strategy")
        )
        failed = 0
        for measure in measures:
            report = fetch_measure_values(measure)
            if report.error:
                failed += 1
                self.stderr.write(f"{measure.name}: not fetched, tried again on the next run: {report.error}")
                continue
            self.stdout.write(
                f"{measure.name}: {len(report.added)} added, {len(report.updated)} updated, "
                f"{report.unchanged} unchanged, {len(report.conflicts)} conflicts with values entered by hand, "
                f"{len(report.locked)} in locked periods"
            )
            for label, current, fetched in report.conflicts:
                self.stdout.write(f"  conflict: {label}: entered {current.value}, fetched {fetched}")
        if failed:
            raise CommandError(f"{failed} of {len(measures)} measures could not be fetched")

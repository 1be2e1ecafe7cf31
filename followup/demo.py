"""The demo's locked 2024 follow-up, with effect-measure values plainly marked as example figures."""

import datetime

from django.db import transaction

from followup import services
from followup.models import EffectMeasureValue, FollowUp
from plan.models import Organisation, PlanRevision, User
from strategies.models import EffectMeasure

EXAMPLE_SOURCE = "Exempelsiffror för demon, inte verkliga data"

# (name prefix, {breakdown or "": (value for 2023, value for 2024)}) — made up, for the demo only.
EXAMPLE_VALUES = [
    ("Antal SIP", {"barn och unga": (112, 126), "vuxna": (298, 287)}),
    ("Upplevelse av trygghet", {"": (71, 74)}),
    ("Kontinuitets-index", {"": (0.42, 0.45)}),
    ("Läkarbesök i hemmet", {"": (1840, 1960)}),
    ("Påverkbar slutenvård", {"": (5.6, 5.1)}),
    ("Elever i åk 9", {"": (84.1, 83.2)}),
    ("Självskattat allmänt hälsotillstånd", {"": (68.0, 69.5)}),
]

NARRATIVE = {
    "went_well": "Exempeltext: arbetet med fasta kontakter har kommit igång i flera kommuner.",
    "late_and_why": "Exempeltext: flera aktiviteter väntar på uppdrag från SVOM.",
    "next_steps": "Exempeltext: nästa år prioriteras övergångar mellan verksamheter.",
}


# Made-up shares for the measure followed per municipality (in production fetched from Kolada): 2023, 2024.
EXAMPLE_PER_MUNICIPALITY = {
    "berg": (86.1, 88.0),
    "bracke": (81.5, 84.2),
    "harjedalen": (83.0, 82.4),
    "krokom": (85.2, 87.9),
    "ragunda": (79.8, 80.6),
    "stromsund": (84.7, 83.9),
    "are": (88.3, 90.1),
    "ostersund": (86.9, 88.5),
}


def _example_values_per_municipality(revision, admin):
    measure = (
        EffectMeasure.objects.filter(strategy__revision=revision, per_organisation=True)
        .exclude(direction=EffectMeasure.Direction.YES_NO)
        .first()
    )
    if measure is None:
        return
    organisations = Organisation.objects.in_bulk(field_name="slug")
    for slug, numbers in EXAMPLE_PER_MUNICIPALITY.items():
        for year, number in zip((2023, 2024), numbers, strict=True):
            EffectMeasureValue.objects.create(
                measure=measure,
                organisation=organisations[slug],
                year=year,
                value=number,
                source=EXAMPLE_SOURCE,
                is_example=True,
                entered_by=admin,
            )


@transaction.atomic
def create_demo_followup():
    """Creates and locks the 2024 follow-up once; returns it, or None if it existed."""
    revision = PlanRevision.objects.in_force().first()
    if revision is None or FollowUp.objects.filter(revision=revision, year=2024, half=0).exists():
        return None
    admin = User.objects.filter(username="admin").first()
    for prefix, series in EXAMPLE_VALUES:
        measure = EffectMeasure.objects.get(strategy__revision=revision, name__startswith=prefix)
        for breakdown, values in series.items():
            for year, number in zip((2023, 2024), values, strict=True):
                halves = [1, 2] if measure.cadence == EffectMeasure.Cadence.HALF_YEARLY else [0]
                for half in halves:
                    EffectMeasureValue.objects.create(
                        measure=measure,
                        year=year,
                        half=half,
                        breakdown=breakdown,
                        value=number if half != 1 else round(number * 0.48),
                        source=EXAMPLE_SOURCE,
                        is_example=True,
                        entered_by=admin,
                    )
    _example_values_per_municipality(revision, admin)
    arenas = EffectMeasure.objects.get(strategy__revision=revision, direction=EffectMeasure.Direction.YES_NO)
    EffectMeasureValue.objects.create(
        measure=arenas, year=2024, yes_no=True, source=EXAMPLE_SOURCE, is_example=True, entered_by=admin
    )
    followup = services.followup_open(
        revision=revision, year=2024, half=0, cut_off=datetime.date(2024, 12, 31), user=admin
    )
    services.followup_save_texts(
        followup=followup,
        user=admin,
        summary="Exempel: 2024 års uppföljning i demon. Effektmåttens värden är exempelsiffror, inte verkliga data.",
        narratives=dict.fromkeys(revision.strategies.all(), NARRATIVE),
    )
    return services.followup_lock(followup=followup, user=admin)

"""The plan in force as open data: JSON (the shape of /api/plan.json without people) and CSV, each with the
licence and the time it was generated. Nothing in them names a person: no project leaders, no contact
persons, no notes on values, nothing from the history but the time of the last change."""

import csv
import io

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from activities.models import Activity, SubActivity
from followup.exports import plan_as_json
from followup.measures import format_value
from followup.models import EffectMeasureValue
from strategies.local_arenas import build_matrix
from strategies.models import EffectMeasure


def licence():
    return {"name": settings.OPEN_DATA_LICENCE, "url": settings.OPEN_DATA_LICENCE_URL}


def open_plan_json(revision):
    data = plan_as_json(revision)
    for strategy in data["strategies"]:
        for activity in strategy["activities"]:
            del activity["leader"]
        for measure in strategy["effect_measures"]:
            for series in measure["series"]:
                for value in series["values"]:
                    del value["note"]
    matrix = build_matrix(revision)
    data["local_arenas"] = [
        {
            "arena": column["arena"].name,
            "adoptions": [
                {"local_activity": row.local_activity.text, "state": cell.state, "state_label": str(cell.label)}
                for row in matrix["rows"]
                for cell in row.cells
                if cell.arena == column["arena"]
            ],
        }
        for column in matrix["columns"]
    ]
    return {"licence": licence(), **data}


SUBACTIVITY_COLUMNS = [
    "strategi_nummer",
    "strategi",
    "aktivitet_id",
    "aktivitet",
    "prioriterad_fran",
    "prioriterad_till",
    "ansvariga_organisationer",
    "delaktivitet_id",
    "delaktivitet",
    "status",
    "status_text",
    "matt",
    "malvarde",
    "svar",
    "senast_andrad",
    "licens",
    "genererad",
]


def subactivities_csv(revision):
    """Queries: the responsible organisations, the sub-activities with their activities, strategies and last
    change, read as values(): thousands of model instances would cost more than the rest of the page."""
    organisations = Activity.objects.filter(strategy__revision=revision).organisation_names()
    subactivities = (
        SubActivity.objects.filter(activity__strategy__revision=revision)
        .with_last_change()
        .order_by("activity__strategy__number", "activity__number", "number")
        .values_list(
            "activity__strategy__number",
            "activity__strategy__name",
            "activity_id",
            "activity__name",
            "activity__priority_start_year",
            "activity__priority_end_year",
            "pk",
            "name",
            "status",
            "status_text",
            "measure",
            "target",
            "answer",
            "last_changed_at",
        )
    )
    statuses = {status.value: str(status.label) for status in SubActivity.Status}
    answers = {answer.value: str(answer.label) for answer in SubActivity.Answer}
    stamp = _stamp()
    rows = (
        [
            strategy_number,
            strategy_name,
            activity_id,
            activity_name,
            priority_from,
            priority_to,
            "; ".join(organisations[activity_id]),
            pk,
            name,
            statuses.get(status, status),
            status_text,
            measure,
            target,
            answers.get(answer, answer),
            last_changed_at.date().isoformat() if last_changed_at else "",
            *stamp,
        ]
        for (
            strategy_number,
            strategy_name,
            activity_id,
            activity_name,
            priority_from,
            priority_to,
            pk,
            name,
            status,
            status_text,
            measure,
            target,
            answer,
            last_changed_at,
        ) in subactivities
    )
    return _csv(SUBACTIVITY_COLUMNS, rows)


MEASURE_COLUMNS = [
    "strategi_nummer",
    "effektmatt",
    "malvarde",
    "organisation",
    "uppdelning",
    "period",
    "varde",
    "varde_text",
    "kalla",
    "exempelsiffra",
    "licens",
    "genererad",
]


def measures_csv(revision):
    measures = (
        EffectMeasure.objects.filter(strategy__revision=revision)
        .select_related("strategy")
        .prefetch_related(Prefetch("values", queryset=EffectMeasureValue.objects.select_related("organisation")))
        .order_by("strategy__number", "number")
    )
    stamp = _stamp()
    rows = (
        [
            measure.strategy.number,
            measure.name,
            measure.target,
            value.organisation.name if value.organisation else "",
            value.breakdown,
            value.period_label,
            "" if value.value is None else value.value,
            format_value(measure, value),
            value.source,
            "ja" if value.is_example else "nej",
            *stamp,
        ]
        for measure in measures
        for value in sorted(
            measure.values.all(), key=lambda v: (v.organisation.name if v.organisation else "", v.breakdown, v.period)
        )
    )
    return _csv(MEASURE_COLUMNS, rows)


def _stamp():
    return [f"{settings.OPEN_DATA_LICENCE} ({settings.OPEN_DATA_LICENCE_URL})", timezone.now().isoformat()]


def _csv(columns, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()

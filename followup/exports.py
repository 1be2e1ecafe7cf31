"""The whole plan with current statuses and effect-measure values as JSON (/api/plan.json), for Power BI
and other tools. The shape is documented in README.md; add fields, never rename them."""

from collections import defaultdict

from django.db.models import Prefetch
from django.utils import timezone

from activities.models import Activity, SubActivity, split_sub_points
from followup.measures import format_value, measure_series
from plan.models import User
from strategies.models import EffectMeasure, Strategy

FORMAT_VERSION = 1


def plan_as_json(revision):
    """Queries: strategies, quotes, measures, their forums, their values, local activities, activities with
    leaders, their organisations, their sub-activities with last change (9 in all). The activities and
    sub-activities, thousands at region scale, are read as values() and grouped here: model instances and a
    prefetched queryset per activity cost more than all the rest."""
    strategies = Strategy.objects.filter(revision=revision).prefetch_related(
        "quotes",
        Prefetch("effect_measures", queryset=EffectMeasure.objects.prefetch_related("forums", "values")),
        "local_activities",
    )
    organisations = Activity.objects.filter(strategy__revision=revision).organisation_names()
    subactivities = defaultdict(list)
    labels = {status.value: str(status.label) for status in SubActivity.Status}
    rows = SubActivity.objects.filter(activity__strategy__revision=revision).with_last_change().order_by("number")
    for sub in rows.values(*SUBACTIVITY_FIELDS, "activity_id", "sub_points", "last_changed_at"):
        subactivities[sub["activity_id"]].append(_subactivity(sub, labels))
    activities = defaultdict(list)
    rows = Activity.objects.filter(strategy__revision=revision).order_by("number")
    for activity in rows.values(*ACTIVITY_FIELDS, "strategy_id", *LEADER_FIELDS):
        activities[activity["strategy_id"]].append(_activity(activity, organisations, subactivities))
    return {
        "format_version": FORMAT_VERSION,
        "generated_at": timezone.now().isoformat(),
        "plan": {"name": revision.plan.name, "region": revision.plan.region},
        "revision": {
            "label": revision.label,
            "in_force_from": revision.in_force_from.isoformat(),
            "next_revision_due": revision.next_revision_due.isoformat(),
            "vision": revision.vision,
        },
        "status_categories": [{"value": s.value, "label": str(s.label)} for s in SubActivity.Status],
        "strategies": [_strategy(s, activities[s.pk]) for s in strategies],
    }


def _strategy(strategy, activities):
    return {
        "number": strategy.number,
        "name": strategy.name,
        "quotes": [q.text for q in strategy.quotes.all()],
        "effect_measures": [_measure(m) for m in strategy.effect_measures.all()],
        "activities": activities,
        "local_activities": [item.text for item in strategy.local_activities.all()],
    }


def _measure(measure):
    return {
        "name": measure.name,
        "target": measure.target,
        "direction": measure.direction,
        "cadence": measure.cadence,
        "forums": [f.name for f in measure.forums.all()],
        "data_source": measure.data_source,
        "unit": measure.unit,
        "decimals": measure.decimals,
        "breakdowns": measure.breakdowns,
        "series": [
            {
                "breakdown": series.breakdown,
                "target_met": series.verdict.met,
                "verdict": str(series.verdict.text),
                "values": [
                    {
                        "period": v.period_label,
                        "year": v.year,
                        "half": v.half,
                        "value": float(v.value) if v.value is not None else None,
                        "text": format_value(measure, v),
                        "yes_no": v.yes_no,
                        "source": v.source,
                        "note": v.note,
                        "example": v.is_example,
                    }
                    for v in series.values
                ],
            }
            for series in measure_series(measure)
        ],
    }


ACTIVITY_FIELDS = ["id", "name", "priority_start_year", "priority_end_year"]
LEADER_FIELDS = ["leader_id", "leader__username", "leader__first_name", "leader__last_name"]


def _activity(row, organisations, subactivities):
    leader = None
    if row["leader_id"] is not None:
        # str() of the user as the pages show them, from the joined columns.
        name = {field: row[f"leader__{field}"] for field in ("username", "first_name", "last_name")}
        leader = str(User(**name))
    return {
        "id": row["id"],
        "name": row["name"],
        "priority": {"from": row["priority_start_year"], "to": row["priority_end_year"]},
        "responsible_organisations": organisations[row["id"]],
        "leader": leader,
        "subactivities": subactivities[row["id"]],
    }


SUBACTIVITY_FIELDS = ["id", "name", "status", "status_text", "measure", "target", "answer"]


def _subactivity(row, labels):
    return {
        "id": row["id"],
        "name": row["name"],
        "sub_points": split_sub_points(row["sub_points"]),
        "status": row["status"],
        "status_label": labels.get(row["status"], row["status"]),
        "status_text": row["status_text"],
        "measure": row["measure"],
        "target": row["target"],
        "answer": row["answer"],
        "last_changed_at": row["last_changed_at"].isoformat() if row["last_changed_at"] else None,
    }

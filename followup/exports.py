"""The whole plan with current statuses and effect-measure values as JSON (/api/plan.json), for Power BI
and other tools. The shape is documented in README.md; add fields, never rename them."""

from django.db.models import Prefetch
from django.utils import timezone

from activities.models import Activity, SubActivity
from followup.measures import format_value, measure_series
from strategies.models import EffectMeasure, Strategy

FORMAT_VERSION = 1


def plan_as_json(revision):
    """Queries: strategies, quotes, measures, their forums, their values, activities with leaders, their
    organisations, their sub-activities with last change, local activities (9 in all)."""
    strategies = Strategy.objects.filter(revision=revision).prefetch_related(
        "quotes",
        Prefetch("effect_measures", queryset=EffectMeasure.objects.prefetch_related("forums", "values")),
        Prefetch(
            "activities",
            queryset=Activity.objects.select_related("leader").prefetch_related(
                "responsible_organisations", Prefetch("subactivities", queryset=SubActivity.objects.with_last_change())
            ),
        ),
        "local_activities",
    )
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
        "strategies": [_strategy(s) for s in strategies],
    }


def _strategy(strategy):
    return {
        "number": strategy.number,
        "name": strategy.name,
        "quotes": [q.text for q in strategy.quotes.all()],
        "effect_measures": [_measure(m) for m in strategy.effect_measures.all()],
        "activities": [_activity(a) for a in strategy.activities.all()],
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


def _activity(activity):
    return {
        "id": activity.pk,
        "name": activity.name,
        "priority": {"from": activity.priority_start_year, "to": activity.priority_end_year},
        "responsible_organisations": [o.name for o in activity.responsible_organisations.all()],
        "leader": str(activity.leader) if activity.leader else None,
        "subactivities": [
            {
                "id": sub.pk,
                "name": sub.name,
                "sub_points": sub.sub_point_list,
                "status": sub.status,
                "status_label": sub.get_status_display(),
                "status_text": sub.status_text,
                "measure": sub.measure,
                "target": sub.target,
                "answer": sub.answer,
                "last_changed_at": sub.last_changed_at.isoformat() if sub.last_changed_at else None,
            }
            for sub in activity.subactivities.all()
        ],
    }

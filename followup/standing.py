"""Where the plan stands: sub-activities per status, answers, late and due activities, per strategy and for
the whole plan, with the bar charts. The dashboard and the public overview show the same figures."""

from django.utils.translation import gettext as _

from activities.models import Activity, SubActivity
from followup.charts import status_bars
from strategies.models import Strategy


def plan_standing(revision, *, today):
    strategies = list(Strategy.objects.filter(revision=revision))
    subactivities = SubActivity.objects.filter(activity__strategy__revision=revision)
    status_counts = subactivities.status_counts_by_strategy()
    answers = subactivities.answer_counts_by_strategy()
    progress = Activity.objects.filter(strategy__revision=revision).progress_by_strategy(on=today)
    statuses = list(SubActivity.Status)

    rows = [
        _summary(s, status_counts.get(s.pk, {}), answers.get(s.pk, {}), progress.get(s.pk, {}), statuses)
        for s in strategies
    ]
    plan_counts = {s.value: sum(status_counts.get(st.pk, {}).get(s.value, 0) for st in strategies) for s in statuses}
    plan_row = _summary(
        None,
        plan_counts,
        {key: sum(a.get(key, 0) for a in answers.values()) for key in ("measured", "yes")},
        {key: sum(p.get(key, 0) for p in progress.values()) for key in ("activities", "late", "due_this_year")},
        statuses,
    )
    return {
        "strategies": strategies,
        "statuses": statuses,
        "plan_row": plan_row,
        "rows": rows,
        "plan_chart": status_bars([(_("The whole plan"), plan_counts)], statuses),
        "strategy_chart": status_bars(
            [(f"{r['strategy'].number}. {r['strategy'].name}", r["by_status"]) for r in rows], statuses
        ),
    }


def _summary(strategy, counts, answers, progress, statuses):
    measured, yes = answers.get("measured", 0), answers.get("yes", 0)
    return {
        "strategy": strategy,
        "by_status": counts,
        "counts": [(status, counts.get(status.value, 0)) for status in statuses],
        "total": sum(counts.values()),
        "measured": measured,
        "yes": yes,
        "yes_share": round(100 * yes / measured) if measured else None,
        "activities": progress.get("activities", 0),
        "late": progress.get("late", 0),
        "due_this_year": progress.get("due_this_year", 0),
    }

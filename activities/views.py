from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from activities.models import Activity, SubActivity
from plan.history import history_entries
from plan.models import PlanRevision
from strategies.models import Strategy


@login_required
def overview(request):
    revision = PlanRevision.objects.in_force().first()
    if revision is None:
        return render(request, "activities/overview.html", {"revision": None})

    strategies = Strategy.objects.filter(revision=revision).annotate(
        activity_count=Count("activities", distinct=True),
        measure_count=Count("effect_measures", distinct=True),
        local_activity_count=Count("local_activities", distinct=True),
    )
    counts = SubActivity.objects.filter(activity__strategy__revision=revision).status_counts_by_strategy()
    statuses = list(SubActivity.Status)
    rows = []
    for strategy in strategies:
        per_status = [counts.get(strategy.pk, {}).get(status, 0) for status in statuses]
        rows.append({"strategy": strategy, "counts": per_status, "total": sum(per_status)})
    totals = [sum(row["counts"][i] for row in rows) for i in range(len(statuses))]
    context = {
        "revision": revision,
        "principles": revision.guiding_principles.all(),
        "statuses": statuses,
        "rows": rows,
        "totals": totals,
        "total_activities": sum(row["strategy"].activity_count for row in rows),
        "total_subactivities": sum(totals),
    }
    return render(request, "activities/overview.html", context)


@login_required
def activity_detail(request, pk):
    activity = get_object_or_404(Activity.objects.select_related("strategy__revision__plan", "leader"), pk=pk)
    subactivities = list(activity.subactivities.all())
    activity_records = Activity.history.filter(id=activity.pk)
    subactivity_records = SubActivity.history.filter(activity_id=activity.pk)
    entries = history_entries(activity_records, Activity, exclude=["strategy"], label=lambda r: r.name)
    entries += history_entries(subactivity_records, SubActivity, exclude=["activity"], label=lambda r: r.name)
    entries.sort(key=lambda entry: entry.date, reverse=True)
    context = {
        "activity": activity,
        "strategy": activity.strategy,
        "subactivities": subactivities,
        "responsible_organisations": activity.responsible_organisations.all(),
        "history": entries,
    }
    return render(request, "activities/activity_detail.html", context)

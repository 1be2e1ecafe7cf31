"""Change histories of activities and sub-activities, and the plan-wide list of recent changes."""

from django.core.paginator import Paginator
from django.db.models import CharField, Q, Value
from django.urls import reverse

from activities.models import Activity, SubActivity
from plan.history import history_entries
from plan.models import PlanRevision

PAGE_SIZE = 50


def subactivity_history_entries(records):
    entries = history_entries(records, SubActivity, exclude=["activity", "version"], label=lambda r: r.name)
    for entry in entries:
        entry.anchor = f"andring-{entry.history_id}"  # changes_since links here
    return entries


def activity_history_entries(records):
    return history_entries(records, Activity, exclude=["strategy"], label=lambda r: r.name)


def link_subactivity_entries(entries):
    for entry in entries:
        entry.url = reverse("subactivity_history", args=[entry.object_id])
    return entries


def _while_in_force(records, revision_path, in_force_at):
    """The records made while their revision was in force (or after): a draft's copying and editing are the
    plan administrators' work in progress, not changes to the plan."""
    condition = Q(pk__in=[])
    for revision_id, moment in in_force_at.items():
        condition |= Q(**{revision_path: revision_id, "history_date__gte": moment})
    return records.filter(condition)


def _filtered(strategy=None, organisation=None, person=None):
    in_force_at = PlanRevision.objects.put_in_force_at()
    subs = _while_in_force(SubActivity.history.all(), "activity__strategy__revision", in_force_at)
    activities = _while_in_force(Activity.history.all(), "strategy__revision", in_force_at)
    if strategy:
        subs, activities = subs.filter(activity__strategy=strategy), activities.filter(strategy=strategy)
    if organisation:
        responsible = Activity.objects.filter(responsible_organisations=organisation).values("pk")
        subs, activities = subs.filter(activity_id__in=responsible), activities.filter(id__in=responsible)
    if person:
        subs, activities = subs.filter(history_user=person), activities.filter(history_user=person)
    return subs, activities


def _rows(records, kind):
    # Without ordering: a compound statement orders only as a whole.
    return (
        records.order_by()
        .annotate(kind=Value(kind, output_field=CharField()))
        .values("kind", "history_id", "history_date")
    )


def recent_changes_page(*, page_number, **filters):
    """A page of change entries, each linked to its object's history and saying which activity it concerns.

    Queries: count, page, then per kind the records of the objects on the page, and their activities.
    """
    subs, activities = _filtered(**filters)
    # UNION ALL: the two kinds' rows never coincide, and without the duplicate check the database need not
    # sort every record of the plan's history to count them or to find the newest.
    rows = (
        _rows(subs, "subactivity")
        .union(_rows(activities, "activity"), all=True)
        .order_by("-history_date", "-history_id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(page_number)
    wanted = {(row["kind"], row["history_id"]) for row in page.object_list}
    if not wanted:
        page.entries = []
        return page
    latest = max(row["history_date"] for row in page.object_list)

    def entries_for(model, kind, make_entries):
        history_ids = [hid for k, hid in wanted if k == kind]
        if not history_ids:
            return []
        object_ids = model.history.filter(history_id__in=history_ids).values("id")
        records = model.history.filter(id__in=object_ids, history_date__lte=latest)
        return [e for e in make_entries(records) if (kind, e.history_id) in wanted]

    sub_entries = link_subactivity_entries(entries_for(SubActivity, "subactivity", subactivity_history_entries))
    activity_entries = entries_for(Activity, "activity", activity_history_entries)
    record_activity = dict(
        SubActivity.history.filter(history_id__in=[e.history_id for e in sub_entries]).values_list(
            "history_id", "activity_id"
        )
    )
    activity_ids = {e.object_id for e in activity_entries} | set(record_activity.values())
    activities_by_id = Activity.objects.select_related("strategy").in_bulk(activity_ids)
    for entry in sub_entries:
        activity = activities_by_id.get(record_activity.get(entry.history_id))
        entry.context = f"{activity.strategy.number}. {activity.name}" if activity else ""
    for entry in activity_entries:
        if entry.object_id in activities_by_id:
            entry.url = reverse("activity_detail", args=[entry.object_id])
    page.entries = sorted(sub_entries + activity_entries, key=lambda e: (e.date, e.history_id), reverse=True)
    return page


def changes_since(*, revision, since, until=None, limit=200):
    """Changes to the revision's activities and sub-activities since a moment (and before `until`), newest
    first, at most `limit`; each entry gets `strategy_id` and a link to its history. Queries: 6–8, whatever
    the plan's size."""
    in_force_at = PlanRevision.objects.filter(pk=revision.pk).put_in_force_at().get(revision.pk)
    if in_force_at and in_force_at > since:
        since = in_force_at  # what happened before was the draft being prepared
    window = Q(history_date__gte=since) & (Q(history_date__lt=until) if until else Q())
    sub_ids = SubActivity.history.filter(window, activity__strategy__revision=revision).values("id")
    activity_ids = Activity.history.filter(window, strategy__revision=revision).values("id")
    records = {"history_date__lt": until} if until else {}
    sub_entries = link_subactivity_entries(
        subactivity_history_entries(SubActivity.history.filter(id__in=sub_ids, **records))
    )
    activity_entries = activity_history_entries(Activity.history.filter(id__in=activity_ids, **records))
    sub_entries = [e for e in sub_entries if e.date >= since]
    activity_entries = [e for e in activity_entries if e.date >= since]
    sub_strategy = dict(
        SubActivity.objects.filter(pk__in={e.object_id for e in sub_entries}).values_list("pk", "activity__strategy_id")
    )
    activity_strategy = dict(
        Activity.objects.filter(pk__in={e.object_id for e in activity_entries}).values_list("pk", "strategy_id")
    )
    for entry in sub_entries:
        entry.strategy_id = sub_strategy.get(entry.object_id)
        entry.url = f"{entry.url}#andring-{entry.history_id}"
    for entry in activity_entries:
        entry.strategy_id = activity_strategy.get(entry.object_id)
        if entry.strategy_id:
            entry.url = reverse("activity_detail", args=[entry.object_id])
    entries = sorted(sub_entries + activity_entries, key=lambda e: (e.date, e.history_id), reverse=True)
    return entries[:limit], len(entries) > limit

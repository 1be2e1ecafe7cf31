"""The plan in force and its status updates: the overview, strategy and activity pages, my activities, the
status form, a sub-activity's history and restore, and recent changes.

The overview, strategy and activity pages are reached through revisions.as_of_views, which shows them as
they were on a past day when asked with ?datum=, and otherwise calls the functions here with the date form
in `dated`.
"""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.access import (
    can_restore_subactivity,
    get_subactivity_for_editing,
    get_subactivity_for_restoring,
    get_subactivity_for_user,
)
from activities.bulk import SubActivityImporter
from activities.changes import (
    activity_history_entries,
    link_subactivity_entries,
    recent_changes_page,
    subactivity_history_entries,
)
from activities.forms import RecentChangesFilterForm, RestoreForm, SubActivityStatusForm
from activities.models import Activity, SubActivity
from activities.services import RESTORED_FIELDS, StaleVersion, subactivity_restore, subactivity_update_status
from plan.bulk import bulk_upload
from plan.caching import cached_page
from plan.history import FieldChange, display_value
from plan.models import PlanRevision, User
from strategies.models import Strategy


def _revision_notice(revision):
    """The banner of a strategy or activity page for a revision that is not the one in force."""
    if revision.state == PlanRevision.State.SUPERSEDED:
        return {"revision_notice": {"state": revision.state, "superseded_on": revision.superseded_on()}}
    if revision.state == PlanRevision.State.DRAFT:
        return {"revision_notice": {"state": revision.state}}
    return {}


def overview(request, *, dated):
    """The plan in force: its vision, principles and strategies with their sub-activities per status."""
    revision = PlanRevision.objects.in_force().first()
    if revision is None:
        return render(request, "activities/overview.html", {**dated, "revision": None})
    strategies = Strategy.objects.filter(revision=revision).annotate(
        activity_count=Count("activities", distinct=True),
        measure_count=Count("effect_measures", distinct=True),
        local_activity_count=Count("local_activities", distinct=True),
    )
    counts = SubActivity.objects.filter(activity__strategy__revision=revision).status_counts_by_strategy()
    context = {**dated, "countdown": revision.countdown(today=timezone.localdate())}
    return render_overview(request, context, revision, list(revision.guiding_principles.all()), strategies, counts)


def render_overview(request, context, revision, principles, strategies, counts):
    """The overview page of `revision`; `counts` is {strategy id: {status: n}}. The past view shares it."""
    statuses = list(SubActivity.Status)
    rows = []
    for strategy in strategies:
        per_status = [counts.get(strategy.pk, {}).get(status, 0) for status in statuses]
        rows.append({"strategy": strategy, "counts": per_status, "total": sum(per_status)})
    totals = [sum(row["counts"][i] for row in rows) for i in range(len(statuses))]
    context = {
        **context,
        "revision": revision,
        "principles": principles,
        "statuses": statuses,
        "rows": rows,
        "totals": totals,
        "total_activities": sum(row["strategy"].activity_count for row in rows),
        "total_subactivities": sum(totals),
    }
    return render(request, "activities/overview.html", context)


def strategy_detail(request, strategy, *, dated):
    """A strategy with its quotes, effect measures, activities and recommended local activities. Lives here,
    not in strategies/, since it shows activities."""
    # subactivity_list is filled as the past view fills it (revisions/as_of.py), straight from the prefetch: a
    # prefetched queryset per activity costs more than its rows. The organisations stay prefetched for the edit
    # checks (can_edit_activity).
    activities = list(
        strategy.activities.select_related("leader").prefetch_related(
            Prefetch("subactivities", to_attr="subactivity_list"), "responsible_organisations"
        )
    )
    for activity in activities:
        activity.organisation_list = list(activity.responsible_organisations.all())
    measures = list(strategy.effect_measures.prefetch_related("forums"))
    for measure in measures:
        measure.forum_list = list(measure.forums.all())
    context = {
        **dated,
        "strategy": strategy,
        "revision": strategy.revision,
        "quotes": list(strategy.quotes.all()),
        "effect_measures": measures,
        "activities": activities,
        "local_activities": list(strategy.local_activities.all()),
        **_revision_notice(strategy.revision),
    }
    return render(request, "strategies/strategy_detail.html", context)


def activity_detail(request, activity, *, dated):
    """An activity with its sub-activities and the history of both (activity from
    activities.access.get_activity_for_user). Its sub-activities' update links, for an activity in force, are
    kept for those who may change it by activities.access.keep_edit_links."""
    context = {
        **dated,
        **_revision_notice(activity.strategy.revision),
        "counterparts": activity.counterparts(include_drafts=request.user.is_plan_admin),
    }
    return render_activity(
        request,
        context,
        activity,
        changeable=activity.strategy.revision.state == PlanRevision.State.IN_FORCE,
        # decision_count only here: the past view's sub-activities, rebuilt from the history, have none.
        subactivities=list(activity.subactivities.with_decision_count()),
        organisations=list(activity.responsible_organisations.all()),
        activity_records=Activity.history.filter(id=activity.pk),
        subactivity_records=SubActivity.history.filter(activity_id=activity.pk),
    )


def render_activity(
    request, context, activity, *, changeable, subactivities, organisations, activity_records, subactivity_records
):
    """The activity page; the past view shares it with the activity and records as they were."""
    entries = activity_history_entries(activity_records)
    entries += link_subactivity_entries(subactivity_history_entries(subactivity_records))
    entries.sort(key=lambda entry: entry.date, reverse=True)
    context = {
        **context,
        "activity": activity,
        "strategy": activity.strategy,
        "revision": activity.strategy.revision,
        "subactivities": subactivities,
        "responsible_organisations": organisations,
        "history": entries,
        "changeable": changeable,
    }
    return render(request, "activities/activity_detail.html", context)


@login_required
def landing(request):
    """Where login leads: project leaders to their activities, local arena members to the county matrix,
    everyone else to the dashboard."""
    if request.user.is_project_leader:
        return redirect("my_activities")
    if request.user.is_local_arena_member:
        return redirect("local_matrix")
    return redirect("dashboard")


@login_required
@cached_page(by_user=True)
def my_activities(request):
    today = timezone.localdate()
    subactivities = SubActivity.objects.with_last_change()
    activities = list(
        Activity.objects.in_force()
        .responsible_for(request.user)
        .with_late(on=today)
        .select_related("strategy", "leader")
        .prefetch_related(Prefetch("subactivities", queryset=subactivities), "responsible_organisations")
        .order_by("strategy__number", "-is_late", "priority_end_year", "number")
    )
    changers = _users_by_id(sub.last_changed_by_id for a in activities for sub in a.subactivities.all())
    for activity in activities:
        for sub in activity.subactivities.all():
            sub.last_changed_by = changers.get(sub.last_changed_by_id)
    groups = [(strategy, list(items)) for strategy, items in groupby(activities, key=lambda a: a.strategy)]
    return render(
        request,
        "activities/my_activities.html",
        {"groups": groups, "late_count": sum(a.is_late for a in activities), "today": today},
    )


def _users_by_id(ids):
    ids = {i for i in ids if i is not None}
    return User.objects.in_bulk(ids) if ids else {}


@login_required
def subactivity_update(request, pk):
    subactivity = get_subactivity_for_editing(request, pk)
    conflict = None
    if request.method == "POST":
        form = SubActivityStatusForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                subactivity_update_status(
                    subactivity=subactivity,
                    user=request.user,
                    status=data["status"],
                    text=data["status_text"],
                    answer=data["answer"],
                    evidence_url=data["evidence_url"],
                    comment=data["comment"],
                    expected_version=data["version"],
                )
            except StaleVersion as stale:
                conflict = _conflict(stale.current, since_version=data["version"])
                # Keep what the user typed, but let a new save build on the version now stored.
                form = SubActivityStatusForm({**request.POST.dict(), "version": stale.current.version})
                subactivity = stale.current
            else:
                messages.success(
                    request,
                    _("Saved: “%(name)s” is now “%(status)s”.")
                    % {"name": subactivity.name, "status": subactivity.get_status_display()},
                )
                return redirect(f"{reverse('my_activities')}#delaktivitet-{subactivity.pk}")
    else:
        form = SubActivityStatusForm.for_subactivity(subactivity)
    return render(
        request,
        "activities/subactivity_form.html",
        {"subactivity": subactivity, "activity": subactivity.activity, "form": form, "conflict": conflict},
        status=409 if conflict else 200,
    )


def _conflict(current, *, since_version):
    """The changes others saved after the version the user started from."""
    entries = subactivity_history_entries(SubActivity.history.filter(id=current.pk))
    newer = set(
        SubActivity.history.filter(id=current.pk, version__gt=since_version).values_list("history_id", flat=True)
    )
    return [entry for entry in entries if entry.history_id in newer]


@login_required
def subactivity_history(request, pk):
    subactivity, can_edit = get_subactivity_for_user(request, pk)
    entries = subactivity_history_entries(SubActivity.history.filter(id=subactivity.pk))
    # One query, however many: the decisions of held meetings naming it, with their meetings and forums.
    decisions = subactivity.decisions.filter(meeting__cancelled=False).select_related("meeting__forum")
    return render(
        request,
        "activities/subactivity_history.html",
        {
            "subactivity": subactivity,
            "activity": subactivity.activity,
            "decisions": list(decisions.order_by("-meeting__starts_at", "-pk")),
            "history": entries,
            "can_edit": can_edit,
            "can_restore": can_restore_subactivity(request.user, subactivity),
            "counterparts": subactivity.counterparts(include_drafts=request.user.is_plan_admin),
        },
    )


@login_required
def restore_subactivity(request, pk, history_id):
    subactivity = get_subactivity_for_restoring(request, pk)
    record = get_object_or_404(
        SubActivity.history.select_related("history_user"), id=subactivity.pk, history_id=history_id
    )
    form = RestoreForm(request.POST or None, initial={"version": subactivity.version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            subactivity_restore(
                subactivity=subactivity,
                user=request.user,
                record=record,
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersion as stale:
            conflict = _conflict(stale.current, since_version=form.cleaned_data["version"])
            form = RestoreForm({**request.POST.dict(), "version": stale.current.version})
            subactivity = stale.current
        else:
            messages.success(request, _("The earlier version is restored. The restore is recorded in the history."))
            return redirect("subactivity_history", pk=subactivity.pk)
    changes = [
        FieldChange(
            f.verbose_name,
            display_value(f, getattr(subactivity, f.attname)),
            display_value(f, getattr(record, f.attname)),
        )
        for f in (SubActivity._meta.get_field(name) for name in RESTORED_FIELDS)
        if getattr(subactivity, f.attname) != getattr(record, f.attname)
    ]
    return render(
        request,
        "activities/subactivity_restore.html",
        {
            "subactivity": subactivity,
            "activity": subactivity.activity,
            "record": record,
            "changes": changes,
            "form": form,
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )


@login_required
@cached_page
def recent_changes(request):
    form = RecentChangesFilterForm(request.GET or None)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    page = recent_changes_page(page_number=request.GET.get("page"), **filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "activities/recent_changes.html",
        {"form": form, "page": page, "entries": page.entries, "query": query.urlencode()},
    )


@login_required
def subactivity_upload(request):
    """Status, status text and answer of many sub-activities at once, from the table's export (activities/bulk.py)."""
    if not (request.user.is_plan_admin or request.user.is_project_leader):
        raise PermissionDenied
    return bulk_upload(request, SubActivityImporter(), reverse("subactivity_table"))

from itertools import groupby
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.access import (
    get_activity_for_user,
    get_strategy_for_user,
    get_subactivity_for_editing,
    get_subactivity_for_user,
)
from activities.as_of import activity_as_of, plan_as_of, strategy_as_of
from activities.changes import (
    activity_history_entries,
    link_subactivity_entries,
    recent_changes_page,
    subactivity_history_entries,
)
from activities.forms import AsOfForm, RecentChangesFilterForm, RestoreForm, SubActivityStatusForm
from activities.models import Activity, SubActivity
from activities.revisions import counterparts, revision_countdown, superseded_on
from activities.services import RESTORED_FIELDS, StaleVersion, subactivity_restore, subactivity_update_status
from plan.history import FieldChange, display_value
from plan.models import Plan, PlanRevision, User
from plan.roles import Role
from strategies.models import Strategy

AS_OF_PARAM = "datum"


def _as_of(request):
    """(day or None, form) for `?datum=YYYY-MM-DD`: the past day whose plan to show. None means the present:
    no date, an invalid one (the form then carries the message), today or a day still to come."""
    form = AsOfForm(request.GET if AS_OF_PARAM in request.GET else None)
    if form.is_bound and form.is_valid():
        day = form.cleaned_data[AS_OF_PARAM]
        if day and day < timezone.localdate():
            return day, form
    return None, form


def _as_of_context(day, form):
    """What every page that can show the past passes its templates; links inside a past view keep the day
    with `as_of_query`."""
    return {
        "as_of": day,
        "as_of_form": form,
        "as_of_query": f"?{urlencode({AS_OF_PARAM: day.isoformat()})}" if day else "",
    }


def _not_on_that_day(request, context, *, kind):
    """The page for a strategy or activity asked for on a day when neither it nor its counterpart existed."""
    return render(request, "activities/as_of_missing.html", {**context, "kind": kind}, status=404)


def _revision_notice(revision):
    """The banner of a strategy or activity page for a revision that is not the one in force."""
    if revision.state == PlanRevision.State.SUPERSEDED:
        return {"revision_notice": {"state": revision.state, "superseded_on": superseded_on(revision)}}
    if revision.state == PlanRevision.State.DRAFT:
        return {"revision_notice": {"state": revision.state}}
    return {}


@login_required
def overview(request):
    as_of, as_of_form = _as_of(request)
    context = _as_of_context(as_of, as_of_form)
    if as_of:
        plan_id = Plan.objects.order_by("pk").values_list("pk", flat=True).first()
        past = plan_as_of(plan_id, as_of) if plan_id else None
        if past is None:
            return render(request, "activities/overview.html", {**context, "revision": None})
        revision, principles, strategies = past["revision"], past["principles"], past["strategies"]
        counts = past["status_counts"]
    else:
        revision = PlanRevision.objects.in_force().first()
        if revision is None:
            return render(request, "activities/overview.html", {**context, "revision": None})
        strategies = Strategy.objects.filter(revision=revision).annotate(
            activity_count=Count("activities", distinct=True),
            measure_count=Count("effect_measures", distinct=True),
            local_activity_count=Count("local_activities", distinct=True),
        )
        counts = SubActivity.objects.filter(activity__strategy__revision=revision).status_counts_by_strategy()
        principles = list(revision.guiding_principles.all())
        context["countdown"] = revision_countdown(revision, today=timezone.localdate())

    statuses = list(SubActivity.Status)
    rows = []
    for strategy in strategies:
        per_status = [counts.get(strategy.pk, {}).get(status, 0) for status in statuses]
        rows.append({"strategy": strategy, "counts": per_status, "total": sum(per_status)})
    totals = [sum(row["counts"][i] for row in rows) for i in range(len(statuses))]
    context.update(
        {
            "revision": revision,
            "principles": principles,
            "statuses": statuses,
            "rows": rows,
            "totals": totals,
            "total_activities": sum(row["strategy"].activity_count for row in rows),
            "total_subactivities": sum(totals),
        }
    )
    return render(request, "activities/overview.html", context)


@login_required
def strategy_detail(request, pk):
    """A strategy with its quotes, effect measures, activities and recommended local activities; with
    ?datum= as they were at the end of that day. Lives here, not in strategies/, since it shows activities."""
    strategy = get_strategy_for_user(request, pk)
    as_of, as_of_form = _as_of(request)
    context = _as_of_context(as_of, as_of_form)
    if as_of:
        past = strategy_as_of(strategy, as_of)
        context.update(past)
        if past.get("strategy") is None:
            return _not_on_that_day(request, context, kind="strategy")
        return render(request, "strategies/strategy_detail.html", context)

    activities = list(
        strategy.activities.select_related("leader").prefetch_related("subactivities", "responsible_organisations")
    )
    for activity in activities:
        # The same attributes the past view fills (activities/as_of.py); the prefetches stay for edit checks.
        activity.subactivity_list = list(activity.subactivities.all())
        activity.organisation_list = list(activity.responsible_organisations.all())
    measures = list(strategy.effect_measures.prefetch_related("forums"))
    for measure in measures:
        measure.forum_list = list(measure.forums.all())
    context.update(
        {
            "strategy": strategy,
            "revision": strategy.revision,
            "quotes": list(strategy.quotes.all()),
            "effect_measures": measures,
            "activities": activities,
            "local_activities": list(strategy.local_activities.all()),
            **_revision_notice(strategy.revision),
        }
    )
    return render(request, "strategies/strategy_detail.html", context)


@login_required
def activity_detail(request, pk):
    activity, can_edit = get_activity_for_user(request, pk)
    as_of, as_of_form = _as_of(request)
    context = _as_of_context(as_of, as_of_form)
    if as_of:
        past = activity_as_of(activity, as_of)
        context.update(revision=past["revision"], activity=past.get("activity"))
        if past.get("activity") is None:
            return _not_on_that_day(request, context, kind="activity")
        activity, can_edit = past["activity"], False
        subactivities, organisations = activity.subactivity_list, activity.organisation_list
        activity_records, subactivity_records = past["activity_records"], past["subactivity_records"]
    else:
        subactivities = list(activity.subactivities.all())
        organisations = list(activity.responsible_organisations.all())
        activity_records = Activity.history.filter(id=activity.pk)
        subactivity_records = SubActivity.history.filter(activity_id=activity.pk)
        context.update(_revision_notice(activity.strategy.revision))
        context["counterparts"] = counterparts(
            activity, "strategy__revision", include_drafts=request.user.is_plan_admin
        )
    entries = activity_history_entries(activity_records)
    entries += link_subactivity_entries(subactivity_history_entries(subactivity_records))
    entries.sort(key=lambda entry: entry.date, reverse=True)
    context.update(
        {
            "activity": activity,
            "strategy": activity.strategy,
            "revision": activity.strategy.revision,
            "subactivities": subactivities,
            "responsible_organisations": organisations,
            "history": entries,
            "can_edit": can_edit,
        }
    )
    return render(request, "activities/activity_detail.html", context)


@login_required
def landing(request):
    """Where login leads: project leaders to their activities, local arena members to the county matrix,
    everyone else to the dashboard."""
    if request.user.has_role(Role.PROJECT_LEADER):
        return redirect("my_activities")
    if request.user.has_role(Role.LOCAL_ARENA):
        return redirect("local_matrix")
    return redirect("dashboard")


@login_required
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
    return render(
        request,
        "activities/subactivity_history.html",
        {
            "subactivity": subactivity,
            "activity": subactivity.activity,
            "history": entries,
            "can_edit": can_edit,
            "can_restore": can_edit and request.user.is_plan_admin,
            "counterparts": counterparts(
                subactivity, "activity__strategy__revision", include_drafts=request.user.is_plan_admin
            ),
        },
    )


@login_required
def restore_subactivity(request, pk, history_id):
    subactivity = get_subactivity_for_editing(request, pk)
    if not request.user.is_plan_admin:
        raise PermissionDenied
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
def recent_changes(request):
    form = RecentChangesFilterForm(request.GET or None)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    page = recent_changes_page(page_number=request.GET.get("sida"), **filters)
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "activities/recent_changes.html",
        {"form": form, "page": page, "entries": page.entries, "query": query.urlencode()},
    )

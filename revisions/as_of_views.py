"""The overview, strategy and activity pages as they were at the end of a past day (?datum=YYYY-MM-DD),
rebuilt from the history and read-only. Without a past day they are the present pages of activities.views,
given the date form; an invalid date shows the present page with the form's message."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from activities import views as present
from activities.access import get_activity_for_user, get_strategy_for_user, keep_edit_links
from plan.caching import cached_page
from plan.models import Plan
from revisions.as_of import activity_as_of, plan_as_of, strategy_as_of
from revisions.forms import AS_OF_PARAM, AsOfForm


def _dated(request):
    """(past day or None, context) for `?datum=`. None means the present: no date, an invalid one (the form
    then carries the message), today or a day still to come. Links inside a past view keep the day with
    `as_of_query`."""
    form = AsOfForm(request.GET if AS_OF_PARAM in request.GET else None)
    day = form.cleaned_data[AS_OF_PARAM] if form.is_bound and form.is_valid() else None
    if day is not None and day >= timezone.localdate():
        day = None
    query = f"?{urlencode({AS_OF_PARAM: day.isoformat()})}" if day else ""
    return day, {"as_of": day, "as_of_form": form, "as_of_query": query}


def _not_on_that_day(request, context, *, kind):
    """The page for a strategy or activity asked for on a day when neither it nor its counterpart existed."""
    return render(request, "revisions/as_of_missing.html", {**context, "kind": kind}, status=404)


@login_required
@cached_page
def overview(request):
    day, dated = _dated(request)
    if day is None:
        return present.overview(request, dated=dated)
    plan_id = Plan.objects.order_by("pk").values_list("pk", flat=True).first()
    past = plan_as_of(plan_id, day) if plan_id else None
    if past is None:
        return render(request, "activities/overview.html", {**dated, "revision": None})
    return present.render_overview(
        request, dated, past["revision"], past["principles"], past["strategies"], past["status_counts"]
    )


@login_required
@cached_page(personalise=keep_edit_links)
def strategy_detail(request, pk):
    strategy = get_strategy_for_user(request, pk)
    day, dated = _dated(request)
    if day is None:
        return present.strategy_detail(request, strategy, dated=dated)
    past = strategy_as_of(strategy, day)
    context = {**dated, **past}
    if past.get("strategy") is None:
        return _not_on_that_day(request, context, kind="strategy")
    return render(request, "strategies/strategy_detail.html", context)


@login_required
@cached_page(personalise=keep_edit_links)
def activity_detail(request, pk):
    activity = get_activity_for_user(request, pk)
    day, dated = _dated(request)
    if day is None:
        return present.activity_detail(request, activity, dated=dated)
    past = activity_as_of(activity, day)
    if past.get("activity") is None:
        return _not_on_that_day(request, {**dated, "revision": past["revision"], "activity": None}, kind="activity")
    activity = past["activity"]
    return present.render_activity(
        request,
        dated,
        activity,
        changeable=False,
        subactivities=activity.subactivity_list,
        organisations=activity.organisation_list,
        activity_records=past["activity_records"],
        subactivity_records=past["subactivity_records"],
    )

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig
from django_tables2.export.export import TableExport

from activities.changes import changes_since
from activities.models import SubActivity
from followup import services
from followup.bulk import EffectMeasureValueImporter, sheet_export
from followup.exports import plan_as_json
from followup.fetching import fetch_measure_values
from followup.filters import SubActivityFilter
from followup.forms import EffectMeasureValueForm, SinceForm
from followup.locked import refuse_locked
from followup.measure_overview import measure_overview
from followup.standing import plan_standing
from followup.tables import SubActivityTable
from plan.access import plan_admin_required, positive_int
from plan.bulk import bulk_upload
from plan.caching import cached_page
from plan.models import PlanRevision
from strategies.local_arenas import build_matrix
from strategies.models import EffectMeasure

TABLE_PAGE_SIZE = 50


def _revision_or_none():
    return PlanRevision.objects.in_force().first()


@login_required
@cached_page
def dashboard(request):
    revision = _revision_or_none()
    if revision is None:
        return render(request, "activities/overview.html", {"revision": None})
    today = timezone.localdate()
    since_form = SinceForm(request.GET or None, initial={"since": SinceForm.default()})
    since = since_form.since_date()

    standing = plan_standing(revision, today=today)
    strategies = standing["strategies"]

    since_moment = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    entries, truncated = changes_since(revision=revision, since=since_moment)
    changes = [(s, [e for e in entries if e.strategy_id == s.pk]) for s in strategies]
    arenas = build_matrix(revision)

    return render(
        request,
        "followup/dashboard.html",
        {
            "revision": revision,
            "today": today,
            **standing,
            "since_form": since_form,
            "since": since,
            "changes": changes,
            "change_count": len(entries),
            "changes_truncated": truncated,
            "countdown": revision.countdown(today=today),
            "stale_arenas": [c["arena"] for c in arenas["columns"] if c["stale"]],
            "stale_local_activities": sum(row.stale for row in arenas["rows"]),
            "stale_days": arenas["stale_days"],
        },
    )


@login_required
@cached_page
def subactivity_table(request):
    revision = _revision_or_none()
    queryset = (
        SubActivity.objects.filter(activity__strategy__revision=revision)
        .select_related("activity__strategy")
        # As a list on each activity: a prefetched queryset per activity costs more than the export's rows.
        .prefetch_related(Prefetch("activity__responsible_organisations", to_attr="organisation_list"))
        .with_last_change()
        .with_activity_late(on=timezone.localdate())
        .order_by("activity__strategy__number", "activity__number", "number")
    )
    filterset = SubActivityFilter(request.GET or None, queryset=queryset)
    table = SubActivityTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": TABLE_PAGE_SIZE}).configure(table)
    export_format = request.GET.get("_export")
    if TableExport.is_valid_format(export_format) and export_format in ("csv", "xlsx"):
        exporter = TableExport(export_format, table)
        return exporter.response(f"delaktiviteter.{export_format}")
    query = request.GET.copy()
    for key in ("_export", "page", "sort"):
        query.pop(key, None)
    return render(
        request,
        "followup/subactivity_table.html",
        {"filter": filterset, "table": table, "query": query.urlencode()},
    )


@login_required
@cached_page
def effect_measures(request):
    revision = _revision_or_none()
    export_format = request.GET.get("_export")
    if export_format in ("csv", "xlsx"):
        return sheet_export(revision, export_format, today=timezone.localdate())
    items = measure_overview(revision)
    return render(
        request,
        "followup/effect_measures.html",
        {"items": items, "can_enter": request.user.is_plan_admin},
    )


@plan_admin_required
def effect_measure_value(request, measure_pk, pk=None):
    # Values are entered in the revision in force; earlier revisions keep theirs as they were.
    measure = get_object_or_404(
        EffectMeasure.objects.select_related("strategy"),
        pk=measure_pk,
        strategy__revision__state=PlanRevision.State.IN_FORCE,
    )
    instance = get_object_or_404(measure.values, pk=pk) if pk else None
    # A reminder links to the form with the missing period filled in (?ar=2025&halvar=0).
    period = {"year": positive_int(request.GET.get("ar")), "half": positive_int(request.GET.get("halvar"))}
    initial = {name: value for name, value in period.items() if value is not None and not instance}
    form = EffectMeasureValueForm(request.POST or None, instance=instance, measure=measure, initial=initial)
    valid = form.is_bound and form.is_valid()
    # A locked period is refused before anything else is said about the input: the value, or the period it
    # would move to, as the form's fields read it (so "2025.0" is 2025).
    posted = (form.cleaned_data.get("year"), form.cleaned_data.get("half") or 0) if form.is_bound else None
    periods = {instance.period if instance else None, posted} - {None, (None, 0)}
    locked = services.locked_followup_covering(measure.strategy.revision_id, periods)
    if locked:
        return refuse_locked(request, locked)
    if valid:
        try:
            value = services.effect_measure_value_save(value=form.save(commit=False), user=request.user)
        except services.FollowUpLocked as refused:
            return refuse_locked(request, refused.followup)
        messages.success(
            request, _("Saved: %(measure)s, %(period)s.") % {"measure": measure.name, "period": value.period_label}
        )
        return redirect(f"{reverse('effect_measures')}#effektmatt-{measure.pk}")
    return render(
        request, "followup/effect_measure_value_form.html", {"measure": measure, "form": form, "value": instance}
    )


@plan_admin_required
def effect_value_upload(request):
    """Values of many effect measures at once, from the effect-measures page's export (followup/bulk.py)."""
    return bulk_upload(request, EffectMeasureValueImporter(), reverse("effect_measures"))


@login_required
def plan_json(request):
    revision = _revision_or_none()
    if revision is None:
        return JsonResponse({"error": "no plan revision in force"}, status=404)
    # Not indented: indenting takes json's pure-Python encoder, which cost more than building the whole plan
    # (60 of 150 ms at 100× the real plan); the shape and values are the same for the tools that read it.
    return JsonResponse(plan_as_json(revision), json_dumps_params={"ensure_ascii": False})


@plan_admin_required
@require_POST
def measure_fetch(request):
    """Fetches the values of the measures that name a source now, and shows what changed."""
    measures = (
        EffectMeasure.objects.filter(strategy__revision__state=PlanRevision.State.IN_FORCE)
        .exclude(fetch_source="")
        .select_related("strategy")
    )
    reports = [fetch_measure_values(measure, user=request.user) for measure in measures]
    return render(request, "followup/fetch_result.html", {"reports": reports})

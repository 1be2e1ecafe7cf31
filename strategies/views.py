import tablib
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from plan.access import check_revision_readable
from plan.history import history_entries
from plan.models import Forum, PlanRevision
from plan.spreadsheets import spreadsheet_safe
from strategies.forms import ArenaLocalActivityForm, LocalAdoptionForm, MatrixFilterForm
from strategies.local_arenas import build_matrix, can_edit_arena
from strategies.models import ArenaLocalActivity, LocalActivity, LocalAdoption
from strategies.services import local_adoption_update


@login_required
def local_matrix(request):
    revision = PlanRevision.objects.in_force().first()
    form = MatrixFilterForm(request.GET or None)
    strategy = form.cleaned_data.get("strategy") if form.is_valid() else None
    matrix = build_matrix(revision, strategy=strategy)
    export_format = request.GET.get("_export")
    if export_format in ("csv", "xlsx"):
        return _matrix_export(matrix, export_format)
    query = request.GET.copy()
    query.pop("_export", None)
    own = ArenaLocalActivity.objects.filter(strategy__revision=revision).select_related("arena", "strategy")
    if strategy:
        own = own.filter(strategy=strategy)
    return render(
        request,
        "strategies/local_matrix.html",
        {"matrix": matrix, "form": form, "query": query.urlencode(), "own": own},
    )


def _matrix_export(matrix, export_format):
    dataset = tablib.Dataset(
        headers=[
            _("Strategy"),
            _("Recommended local activity"),
            *[a.short_name for a in matrix["arenas"]],
            _("Taken up"),
        ]
    )
    for row in matrix["rows"]:
        strategy = row.local_activity.strategy
        dataset.append(
            [
                f"{strategy.number}. {strategy.name}",
                spreadsheet_safe(row.local_activity.text),
                *[str(cell.label) for cell in row.cells],
                row.taken_up,
            ]
        )
    dataset.append(["", _("Taken up, per arena"), *[c["taken_up"] for c in matrix["columns"]], ""])
    content_type = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[export_format]
    response = HttpResponse(dataset.export(export_format), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="lokala-aktiviteter.{export_format}"'
    return response


@login_required
def local_adoption(request, arena_pk, local_activity_pk):
    arena = get_object_or_404(Forum, pk=arena_pk, kind=Forum.Kind.LOCAL)
    activity = get_object_or_404(LocalActivity.objects.select_related("strategy__revision"), pk=local_activity_pk)
    check_revision_readable(request.user, activity.strategy.revision)
    in_force = activity.strategy.revision.state == PlanRevision.State.IN_FORCE
    can_edit = in_force and can_edit_arena(request.user, arena)
    adoption = LocalAdoption.objects.filter(arena=arena, local_activity=activity).select_related("updated_by").first()
    form = None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = LocalAdoptionForm(request.POST)
        if form.is_valid():
            local_adoption_update(arena=arena, local_activity=activity, user=request.user, **form.cleaned_data)
            messages.success(
                request, _("Saved: %(arena)s, “%(activity)s”.") % {"arena": arena.short_name, "activity": activity.text}
            )
            return redirect("local_matrix")
    elif can_edit:
        initial = {"state": adoption.state, "text": adoption.text, "contact": adoption.contact} if adoption else {}
        form = LocalAdoptionForm(initial=initial)
    records = LocalAdoption.history.filter(arena_id=arena.pk, local_activity_id=activity.pk)
    entries = history_entries(
        records,
        LocalAdoption,
        exclude=["arena", "local_activity", "updated_at", "updated_by"],
        label=lambda r: arena.short_name,
    )
    return render(
        request,
        "strategies/local_adoption.html",
        {
            "arena": arena,
            "activity": activity,
            "adoption": adoption,
            "form": form,
            "history": entries,
            "can_edit": can_edit,
        },
    )


@login_required
def arena_detail(request, arena_pk):
    arena = get_object_or_404(Forum, pk=arena_pk, kind=Forum.Kind.LOCAL)
    can_edit = can_edit_arena(request.user, arena)
    form = ArenaLocalActivityForm(request.POST or None) if can_edit or request.method == "POST" else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            activity = ArenaLocalActivity(arena=arena, **form.cleaned_data)
            activity._history_user = request.user
            activity.save()
            messages.success(
                request,
                _("Saved: “%(name)s” is in %(arena)s's own activities.")
                % {"name": activity.name, "arena": arena.short_name},
            )
            return redirect("arena_detail", arena_pk=arena.pk)
    own = arena.own_activities.filter(strategy__revision__state=PlanRevision.State.IN_FORCE).select_related("strategy")
    return render(
        request, "strategies/arena_detail.html", {"arena": arena, "own": own, "form": form, "can_edit": can_edit}
    )

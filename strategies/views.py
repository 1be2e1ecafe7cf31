import re

import tablib
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from plan.bulk import bulk_upload
from plan.caching import cached_page
from plan.history import history_entries
from plan.models import PlanRevision
from plan.spreadsheets import spreadsheet_safe
from strategies.access import get_arena_for_user, get_cell_for_user
from strategies.bulk import CONTENT_TYPES, LocalAdoptionImporter, can_upload, editing_export
from strategies.forms import ArenaLocalActivityForm, LocalAdoptionForm, MatrixFilterForm
from strategies.local_arenas import build_matrix, local_arenas
from strategies.models import ArenaLocalActivity, LocalAdoption
from strategies.services import StaleAdoption, arena_own_activity_add, local_adoption_update

UPLOAD_LINK = re.compile(rb"<!--uploader-->(.*?)<!--/uploader-->", re.DOTALL)


def keep_upload_link(request, content):
    """Keeps the matrix page's link to the sheet upload (<!--uploader-->…<!--/uploader-->) for those who may
    upload (can_upload) and drops it for others, so the page is the same for every reader with the same roles
    (plan/caching.py)."""
    if b"<!--uploader-->" not in content:
        return content
    keep = can_upload(request.user, local_arenas())
    return UPLOAD_LINK.sub(lambda match: match.group(1) if keep else b"", content)


@login_required
@cached_page(personalise=keep_upload_link)
def local_matrix(request):
    revision = PlanRevision.objects.in_force().first()
    form = MatrixFilterForm(request.GET or None)
    strategy = form.cleaned_data.get("strategy") if form.is_valid() else None
    export_format = request.GET.get("_export")
    if export_format in CONTENT_TYPES and request.GET.get("for") == "editing":
        return editing_export(revision, export_format, arenas=local_arenas(), strategy=strategy)
    matrix = build_matrix(revision, strategy=strategy)
    if export_format in ("csv", "xlsx"):
        return _matrix_export(matrix, export_format)
    query = request.GET.copy()
    query.pop("_export", None)
    query.pop("for", None)
    own = ArenaLocalActivity.objects.filter(strategy__revision=revision).select_related("arena", "strategy")
    if strategy:
        own = own.filter(strategy=strategy)
    return render(
        request,
        "strategies/local_matrix.html",
        {
            "matrix": matrix,
            "form": form,
            "query": query.urlencode(),
            "own": own,
        },
    )


@login_required
def arena_upload(request):
    """State, text and contact person of many cells of the matrix at once, from the sheet for editing
    (strategies/bulk.py): each member changes their own arena's rows."""
    if not can_upload(request.user, local_arenas()):
        raise PermissionDenied
    return bulk_upload(request, LocalAdoptionImporter(), reverse("local_matrix"))


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
    editing = request.method == "POST"
    arena, activity, can_edit = get_cell_for_user(request, arena_pk, local_activity_pk, editing=editing)
    adoption = LocalAdoption.objects.filter(arena=arena, local_activity=activity).select_related("updated_by").first()
    form = conflict = None
    if editing:
        form = LocalAdoptionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                local_adoption_update(
                    arena=arena,
                    local_activity=activity,
                    user=request.user,
                    state=data["state"],
                    text=data["text"],
                    contact=data["contact"],
                    expected_version=data["version"],
                )
            except StaleAdoption as stale:
                adoption = stale.current
                conflict = _cell_entries(arena, activity, since_version=data["version"])
                # Keep what the member typed, but let a new save build on the version now stored.
                form = LocalAdoptionForm({**request.POST.dict(), "version": adoption.version})
            else:
                messages.success(
                    request,
                    _("Saved: %(arena)s, “%(activity)s”.") % {"arena": arena.short_name, "activity": activity.text},
                )
                return redirect("local_matrix")
    elif can_edit:
        form = LocalAdoptionForm.for_adoption(adoption)
    return render(
        request,
        "strategies/local_adoption.html",
        {
            "arena": arena,
            "activity": activity,
            "adoption": adoption,
            "form": form,
            "conflict": conflict,
            "history": _cell_entries(arena, activity),
            "can_edit": can_edit,
        },
        status=409 if conflict is not None else 200,
    )


def _cell_entries(arena, activity, *, since_version=None):
    """The cell's history, newest first; with `since_version`, only the changes saved after that version."""
    records = LocalAdoption.history.filter(arena_id=arena.pk, local_activity_id=activity.pk)
    entries = history_entries(
        records,
        LocalAdoption,
        exclude=["arena", "local_activity", "updated_at", "updated_by", "version"],
        label=lambda r: arena.short_name,
    )
    if since_version is None:
        return entries
    newer = set(records.filter(version__gt=since_version).values_list("history_id", flat=True))
    return [entry for entry in entries if entry.history_id in newer]


@login_required
def arena_detail(request, arena_pk):
    arena, can_edit = get_arena_for_user(request, arena_pk, editing=request.method == "POST")
    export_format = request.GET.get("_export")
    if request.method == "GET" and export_format in CONTENT_TYPES:
        revision = PlanRevision.objects.in_force().first()
        return editing_export(revision, export_format, arenas=[arena], filename=arena.slug)
    form = ArenaLocalActivityForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if form.is_valid():
            activity = arena_own_activity_add(arena=arena, user=request.user, **form.cleaned_data)
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

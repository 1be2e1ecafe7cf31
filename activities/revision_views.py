"""Plan revisions: the list, starting the next one, editing its draft, and putting it in force."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Max, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from activities import revision_forms as forms
from activities.models import Activity, SubActivity
from activities.revisions import RevisionError, activate_revision, start_revision, suggested_next_revision
from plan.access import positive_int, require_plan_admin
from plan.models import PlanRevision
from strategies.models import EffectMeasure, LocalActivity, Strategy


@login_required
def revision_list(request):
    return _render_list(request, form=None)


def _render_list(request, *, form, status=200):
    revisions = list(PlanRevision.objects.select_related("plan").order_by("-in_force_from"))
    current = next((r for r in revisions if r.state == PlanRevision.State.IN_FORCE), None)
    draft = next((r for r in revisions if r.state == PlanRevision.State.DRAFT), None)
    for newer, older in zip(revisions, revisions[1:], strict=False):
        if newer.state != PlanRevision.State.DRAFT:
            older.in_force_until = newer.in_force_from
    visible = [r for r in revisions if r.state != PlanRevision.State.DRAFT or request.user.is_plan_admin]
    if form is None and request.user.is_plan_admin and current and not draft:
        form = forms.StartRevisionForm(current=current, initial=suggested_next_revision(current))
    return render(
        request,
        "activities/revision_list.html",
        {"revisions": visible, "current": current, "draft": draft, "form": form},
        status=status,
    )


@login_required
@require_POST
def revision_start(request):
    require_plan_admin(request)
    current = PlanRevision.objects.in_force().first()
    if current is None:
        raise Http404
    form = forms.StartRevisionForm(request.POST, current=current)
    if form.is_valid():
        try:
            draft = start_revision(current, user=request.user, **form.cleaned_data)
        except RevisionError:
            messages.error(request, _("The plan already has a draft revision; finish or remove it first."))
            return redirect("revision_list")
        messages.success(
            request,
            _(
                "The draft of revision %(label)s is started as a copy of revision %(current)s. "
                "The revision in force is not changed."
            )
            % {"label": draft.label, "current": current.label},
        )
        return redirect("revision_detail", pk=draft.pk)
    return _render_list(request, form=form, status=400)


def _revision_contents(revision):
    """The revision's strategies with their effect measures, local activities, activities and delaktiviteter:
    five queries whatever the plan's size."""
    return Strategy.objects.filter(revision=revision).prefetch_related(
        "effect_measures",
        "local_activities",
        Prefetch("activities", queryset=Activity.objects.prefetch_related("subactivities")),
    )


@login_required
def revision_detail(request, pk):
    revision = get_object_or_404(PlanRevision.objects.select_related("plan", "predecessor"), pk=pk)
    is_draft = revision.state == PlanRevision.State.DRAFT
    if is_draft:
        require_plan_admin(request)
    return render(
        request,
        "activities/revision_detail.html",
        {"revision": revision, "strategies": _revision_contents(revision), "is_draft": is_draft},
    )


def _get_draft(request, pk):
    """The draft revision, for plan administrators only; 404 for a revision that is not a draft."""
    require_plan_admin(request)
    return get_object_or_404(PlanRevision.objects.select_related("plan"), pk=pk, state=PlanRevision.State.DRAFT)


@login_required
def revision_activate(request, pk):
    draft = _get_draft(request, pk)
    current = PlanRevision.objects.filter(plan_id=draft.plan_id).in_force().first()
    if request.method == "POST":
        try:
            activate_revision(draft, user=request.user)
        except RevisionError:
            raise Http404 from None
        messages.success(
            request,
            _("Revision %(label)s is now in force. The earlier revision is kept read-only, as it was.")
            % {"label": draft.label},
        )
        return redirect("overview")
    counts = SubActivity.objects.filter(activity__strategy__revision=draft).aggregate(
        carried=Count("pk", filter=Q(predecessor__isnull=False)), new=Count("pk", filter=Q(predecessor__isnull=True))
    )
    return render(request, "activities/revision_activate.html", {"draft": draft, "current": current, "counts": counts})


@login_required
def draft_revision_edit(request, pk):
    draft = _get_draft(request, pk)
    form = forms.RevisionDraftForm(request.POST or None, instance=draft, revision=draft)
    if request.method == "POST" and form.is_valid():
        draft = form.save(commit=False)
        draft._change_reason = f"Ändrad i utkastet till revision {draft.label}"
        draft.save()
        messages.success(request, _("Saved in the draft: %(item)s.") % {"item": _("the revision's vision and texts")})
        return redirect("revision_detail", pk=draft.pk)
    return render(
        request,
        "activities/draft_item_form.html",
        {"draft": draft, "form": form, "item": draft, "kind_name": _("the revision's vision and texts")},
        status=400 if form.is_bound else 200,
    )


@dataclass(frozen=True)
class DraftKind:
    """An editable kind of item in a draft: its model, form, where its revision is, and its parent field."""

    model: type
    form_class: type
    revision_lookup: str
    parent: str
    name: object
    can_add: bool = True

    def items(self, revision):
        return self.model.objects.filter(**{self.revision_lookup: revision})

    def next_number(self, parent):
        highest = self.model.objects.filter(**{self.parent: parent}).aggregate(n=Max("number"))["n"]
        return (highest or 0) + 1


DRAFT_KINDS = {
    "strategier": DraftKind(
        Strategy, forms.StrategyDraftForm, "revision", "revision", gettext_lazy("strategy"), can_add=False
    ),
    "aktiviteter": DraftKind(
        Activity, forms.ActivityDraftForm, "strategy__revision", "strategy", gettext_lazy("activity")
    ),
    "delaktiviteter": DraftKind(
        SubActivity,
        forms.SubActivityDraftForm,
        "activity__strategy__revision",
        "activity",
        gettext_lazy("sub-activity"),
    ),
    "effektmatt": DraftKind(
        EffectMeasure, forms.EffectMeasureDraftForm, "strategy__revision", "strategy", gettext_lazy("effect measure")
    ),
    "lokala-aktiviteter": DraftKind(
        LocalActivity,
        forms.LocalActivityDraftForm,
        "strategy__revision",
        "strategy",
        gettext_lazy("recommended local activity"),
    ),
}


def _kind(kind):
    try:
        return DRAFT_KINDS[kind]
    except KeyError:
        raise Http404 from None


@login_required
def draft_item_edit(request, pk, kind, item_pk=None):
    draft = _get_draft(request, pk)
    spec = _kind(kind)
    item = get_object_or_404(spec.items(draft), pk=item_pk) if item_pk else None
    if item is None and not spec.can_add:
        raise Http404
    initial = {}
    if item is None:
        parent_id = positive_int(request.GET.get(spec.parent))
        parent_model = spec.model._meta.get_field(spec.parent).related_model
        parent = parent_model.objects.filter(pk=parent_id).first() if parent_id else None
        if parent is not None:
            initial = {spec.parent: parent, "number": spec.next_number(parent)}
    form = spec.form_class(request.POST or None, instance=item, initial=initial, revision=draft)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save(commit=False)
            saved._change_reason = f"Ändrad i utkastet till revision {draft.label}"
            saved.save()
            form.save_m2m()
        messages.success(request, _("Saved in the draft: %(item)s.") % {"item": _item_label(saved)})
        return redirect(f"{_detail_url(draft)}#{kind}-{saved.pk}")
    return render(
        request,
        "activities/draft_item_form.html",
        {"draft": draft, "form": form, "item": item, "kind_name": spec.name, "kind": kind},
        status=400 if form.is_bound else 200,
    )


@login_required
def draft_item_delete(request, pk, kind, item_pk):
    draft = _get_draft(request, pk)
    spec = _kind(kind)
    if not spec.can_add:
        raise Http404
    item = get_object_or_404(spec.items(draft), pk=item_pk)
    if request.method == "POST":
        label = _item_label(item)
        item._change_reason = f"Borttagen ur utkastet till revision {draft.label}"
        item.delete()
        messages.success(request, _("Removed from the draft: %(item)s.") % {"item": label})
        return redirect(_detail_url(draft))
    return render(
        request,
        "activities/draft_item_delete.html",
        {"draft": draft, "item": item, "kind_name": spec.name, "kind": kind},
    )


def _item_label(item):
    return getattr(item, "name", None) or str(item)


def _detail_url(draft):
    return reverse("revision_detail", args=[draft.pk])

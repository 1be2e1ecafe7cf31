"""Plan revisions: the list, starting the next one, editing its draft, putting it in force, and comparing two."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from activities.models import Activity, SubActivity
from plan.access import can_read_revision, check_revision_readable, plan_admin_required, positive_int
from plan.caching import cached_page
from plan.language import plan_language
from plan.models import PlanRevision
from plan.pdf import pdf_response
from revisions import forms
from revisions.compare import KIND_LABELS, compare_revisions
from revisions.services import (
    RevisionError,
    activate_revision,
    draft_item_save,
    start_revision,
    suggested_next_revision,
)
from revisions.services import draft_item_delete as delete_from_draft
from strategies.models import Strategy


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
        "revisions/revision_list.html",
        {"revisions": visible, "current": current, "draft": draft, "form": form},
        status=status,
    )


@plan_admin_required
@require_POST
def revision_start(request):
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
    """The revision's strategies with their effect measures, local activities, activities and sub-activities:
    five queries whatever the plan's size."""
    return Strategy.objects.filter(revision=revision).prefetch_related(
        "effect_measures",
        "local_activities",
        Prefetch("activities", queryset=Activity.objects.prefetch_related("subactivities")),
    )


@login_required
def revision_detail(request, pk):
    revision = get_object_or_404(PlanRevision.objects.select_related("plan", "predecessor"), pk=pk)
    check_revision_readable(request.user, revision)
    is_draft = revision.state == PlanRevision.State.DRAFT
    return render(
        request,
        "revisions/revision_detail.html",
        {"revision": revision, "strategies": _revision_contents(revision), "is_draft": is_draft},
    )


def _get_draft(pk):
    """The draft revision; 404 for a revision that is not a draft. Its views are for plan administrators."""
    return get_object_or_404(PlanRevision.objects.select_related("plan"), pk=pk, state=PlanRevision.State.DRAFT)


@plan_admin_required
def revision_activate(request, pk):
    draft = _get_draft(pk)
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
    return render(request, "revisions/revision_activate.html", {"draft": draft, "current": current, "counts": counts})


@plan_admin_required
def draft_revision_edit(request, pk):
    draft = _get_draft(pk)
    form = forms.RevisionDraftForm(request.POST or None, instance=draft, revision=draft)
    if request.method == "POST" and form.is_valid():
        draft = draft_item_save(draft=draft, item=form.save(commit=False), user=request.user)
        messages.success(request, _("Saved in the draft: %(item)s.") % {"item": _("the revision's vision and texts")})
        return redirect("revision_detail", pk=draft.pk)
    return render(
        request,
        "revisions/draft_item_form.html",
        {"draft": draft, "form": form, "item": draft, "kind_name": _("the revision's vision and texts")},
        status=400 if form.is_bound else 200,
    )


@dataclass(frozen=True)
class DraftKind:
    """An editable kind of item in a draft: its model (a RevisedItem), form and parent field."""

    form_class: type
    parent: str
    name: object
    can_add: bool = True

    @property
    def model(self):
        return self.form_class._meta.model

    def items(self, revision):
        return self.model.objects.filter(**{self.model.revision_path: revision})

    def next_number(self, parent):
        highest = self.model.objects.filter(**{self.parent: parent}).aggregate(n=Max("number"))["n"]
        return (highest or 0) + 1


DRAFT_KINDS = {
    "strategier": DraftKind(forms.StrategyDraftForm, "revision", gettext_lazy("strategy"), can_add=False),
    "aktiviteter": DraftKind(forms.ActivityDraftForm, "strategy", gettext_lazy("activity")),
    "delaktiviteter": DraftKind(forms.SubActivityDraftForm, "activity", gettext_lazy("sub-activity")),
    "effektmatt": DraftKind(forms.EffectMeasureDraftForm, "strategy", gettext_lazy("effect measure")),
    "lokala-aktiviteter": DraftKind(
        forms.LocalActivityDraftForm, "strategy", gettext_lazy("recommended local activity")
    ),
}


def _kind(kind):
    try:
        return DRAFT_KINDS[kind]
    except KeyError:
        raise Http404 from None


@plan_admin_required
def draft_item_edit(request, pk, kind, item_pk=None):
    draft = _get_draft(pk)
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
        saved = draft_item_save(draft=draft, item=form.save(commit=False), user=request.user, save_m2m=form.save_m2m)
        messages.success(request, _("Saved in the draft: %(item)s.") % {"item": _item_label(saved)})
        return redirect(f"{_detail_url(draft)}#{kind}-{saved.pk}")
    return render(
        request,
        "revisions/draft_item_form.html",
        {"draft": draft, "form": form, "item": item, "kind_name": spec.name, "kind": kind},
        status=400 if form.is_bound else 200,
    )


@plan_admin_required
def draft_item_delete(request, pk, kind, item_pk):
    draft = _get_draft(pk)
    spec = _kind(kind)
    if not spec.can_add:
        raise Http404
    item = get_object_or_404(spec.items(draft), pk=item_pk)
    if request.method == "POST":
        label = _item_label(item)
        delete_from_draft(draft=draft, item=item, user=request.user)
        messages.success(request, _("Removed from the draft: %(item)s.") % {"item": label})
        return redirect(_detail_url(draft))
    return render(
        request,
        "revisions/draft_item_delete.html",
        {"draft": draft, "item": item, "kind_name": spec.name, "kind": kind},
    )


def _item_label(item):
    return getattr(item, "name", None) or str(item)


def _detail_url(draft):
    return reverse("revision_detail", args=[draft.pk])


def _chosen_revisions(request):
    """(old, new, revisions the user may choose from, message) from the GET parameters `fran` and `till`.

    Defaults: `till` is the draft (for plan administrators) or else the revision in force, `fran` the revision
    it was copied from. 404 for a parameter that is not a revision, 403 for a draft unless the user is a plan
    administrator. One query: every revision, few as they are (one every third year).
    """
    revisions = list(PlanRevision.objects.select_related("plan").order_by("plan_id", "in_force_from", "pk"))
    by_pk = {revision.pk: revision for revision in revisions}

    def param(name):
        value = request.GET.get(name, "").strip()
        if not value:
            return None
        revision = by_pk.get(positive_int(value))
        if revision is None:
            raise Http404(_("There is no such revision."))
        check_revision_readable(request.user, revision)
        return revision

    new, old = param("till"), param("fran")
    if new is None:
        same_plan = [revision for revision in revisions if old is None or revision.plan_id == old.plan_id]
        by_state = {revision.state: revision for revision in same_plan}
        draft = by_state.get(PlanRevision.State.DRAFT)
        readable_draft = draft if draft and can_read_revision(request.user, draft) else None
        new = readable_draft or by_state.get(PlanRevision.State.IN_FORCE)
    if old is None and new is not None:
        old = by_pk.get(new.predecessor_id)
    choices = [
        revision
        for revision in revisions
        if can_read_revision(request.user, revision) and (new is None or revision.plan_id == new.plan_id)
    ]
    message = ""
    if new is None or old is None:
        message = _("There is only one revision of the plan, so there is nothing to compare it with yet.")
        old = new = None
    elif old.plan_id != new.plan_id:
        message = _("The two revisions belong to different plans. Choose two revisions of the same plan.")
        old = new = None
    return old, new, choices, message


@login_required
@cached_page
def revision_compare(request):
    old, new, choices, message = _chosen_revisions(request)
    comparison = compare_revisions(old, new) if old else None
    return render(
        request,
        "revisions/revision_compare.html",
        {
            "old": old,
            "new": new,
            "choices": choices,
            "message": message,
            "comparison": comparison,
            "kind_labels": KIND_LABELS,
        },
    )


@plan_admin_required
def revision_compare_pdf(request):
    old, new, _choices, message = _chosen_revisions(request)
    if old is None:
        raise Http404(message)
    with plan_language():
        html = render_to_string(
            "revisions/revision_compare_pdf.html",
            {"comparison": compare_revisions(old, new), "old": old, "new": new, "kind_labels": KIND_LABELS},
        )
    return pdf_response(html, f"jamforelse-revision-{slugify(old.label)}-{slugify(new.label)}.pdf")

"""Two revisions of the plan side by side: the page and its PDF."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from activities.revision_compare import KIND_LABELS, compare_revisions
from plan.access import positive_int, require_plan_admin
from plan.models import PlanRevision
from plan.pdf import render_pdf


def _chosen_revisions(request):
    """(old, new, revisions the user may choose from, message) from the GET parameters `fran` and `till`.

    Defaults: `till` is the draft (for plan administrators) or else the revision in force, `fran` the revision
    it was copied from. 404 for a parameter that is not a revision, 403 for a draft unless the user is a plan
    administrator. One query: every revision, few as they are (one every third year).
    """
    revisions = list(PlanRevision.objects.select_related("plan").order_by("plan_id", "in_force_from", "pk"))
    by_pk = {revision.pk: revision for revision in revisions}
    may_see_drafts = request.user.is_plan_admin

    def param(name):
        value = request.GET.get(name, "").strip()
        if not value:
            return None
        revision = by_pk.get(positive_int(value))
        if revision is None:
            raise Http404(_("There is no such revision."))
        if revision.state == PlanRevision.State.DRAFT and not may_see_drafts:
            raise PermissionDenied
        return revision

    new, old = param("till"), param("fran")
    if new is None:
        same_plan = [revision for revision in revisions if old is None or revision.plan_id == old.plan_id]
        by_state = {revision.state: revision for revision in same_plan}
        new = (may_see_drafts and by_state.get(PlanRevision.State.DRAFT)) or by_state.get(PlanRevision.State.IN_FORCE)
    if old is None and new is not None:
        old = by_pk.get(new.predecessor_id)
    choices = [
        revision
        for revision in revisions
        if (may_see_drafts or revision.state != PlanRevision.State.DRAFT)
        and (new is None or revision.plan_id == new.plan_id)
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
def revision_compare(request):
    old, new, choices, message = _chosen_revisions(request)
    comparison = compare_revisions(old, new) if old else None
    return render(
        request,
        "activities/revision_compare.html",
        {
            "old": old,
            "new": new,
            "choices": choices,
            "message": message,
            "comparison": comparison,
            "kind_labels": KIND_LABELS,
        },
    )


@login_required
def revision_compare_pdf(request):
    require_plan_admin(request)
    old, new, _choices, message = _chosen_revisions(request)
    if old is None:
        raise Http404(message)
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "activities/revision_compare_pdf.html",
            {
                "comparison": compare_revisions(old, new),
                "old": old,
                "new": new,
                "kind_labels": KIND_LABELS,
            },
        )
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    name = f"jamforelse-revision-{slugify(old.label)}-{slugify(new.label)}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response

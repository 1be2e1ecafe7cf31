"""The yearly follow-up: list, open, write, review, lock, unlock, and its PDF report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from followup import services
from followup.forms import CommentForm, FollowUpTextsForm, OpenFollowUpForm, UnlockForm
from followup.locked import refuse_locked
from followup.models import FollowUp
from followup.report import render_report_html
from plan.access import plan_admin_required, positive_int
from plan.caching import cached_page
from plan.models import Plan, PlanRevision
from plan.pdf import RenderBusy, busy_response, pdf_response
from strategies.local_arenas import local_arenas
from strategies.models import Strategy


def _get(pk):
    return get_object_or_404(FollowUp.objects.select_related("revision__plan", "locked_by"), pk=pk)


@login_required
def followup_list(request):
    if request.method == "POST":
        return _followup_open(request)
    return _render_list(request, OpenFollowUpForm())


@plan_admin_required
def _followup_open(request):
    form = OpenFollowUpForm(request.POST)
    revision = PlanRevision.objects.in_force().first()
    if revision is None:
        form.add_error(None, _("No plan revision is in force."))
    elif form.is_valid():
        try:
            followup = services.followup_open(revision=revision, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(title)s is opened.") % {"title": followup.title})
            return redirect("followup_detail", pk=followup.pk)
    return _render_list(request, form)


def _render_list(request, form):
    followups = FollowUp.objects.select_related("revision__plan").defer("content", "report_pdf")
    revision_filter = (
        PlanRevision.objects.exclude(state=PlanRevision.State.DRAFT)
        .filter(pk=positive_int(request.GET.get("revision")))
        .first()
    )
    if revision_filter:
        followups = followups.filter(revision=revision_filter)
    return render(
        request,
        "followup/followup_list.html",
        {
            "followups": followups,
            "form": form,
            "revision_filter": revision_filter,
            "plan": Plan.objects.filter(revisions__state=PlanRevision.State.IN_FORCE).first(),
        },
    )


@login_required
@cached_page
def followup_detail(request, pk):
    followup = _get(pk)
    content = services.followup_content(followup)
    strategies = list(Strategy.objects.filter(revision=followup.revision))
    is_admin = request.user.is_plan_admin
    texts_form = None
    if is_admin and not followup.is_locked:
        texts_form = FollowUpTextsForm(followup=followup, strategies=strategies, arenas=local_arenas())
    return render(
        request,
        "followup/followup_detail.html",
        {
            "followup": followup,
            "c": content,
            "is_admin": is_admin,
            "texts_form": texts_form,
            "comments": followup.comments.select_related("author"),
            "comment_form": CommentForm() if followup.state == FollowUp.State.UNDER_REVIEW else None,
            "unlock_form": UnlockForm() if is_admin and followup.is_locked else None,
        },
    )


@plan_admin_required
@require_POST
def followup_texts(request, pk):
    followup = _get(pk)
    if followup.is_locked:
        return refuse_locked(request, followup)
    strategies = list(Strategy.objects.filter(revision=followup.revision))
    form = FollowUpTextsForm(request.POST, followup=followup, strategies=strategies, arenas=local_arenas())
    if not form.is_valid():
        return render(request, "followup/followup_texts_form.html", {"followup": followup, "texts_form": form})
    try:
        services.followup_save_texts(
            followup=followup,
            user=request.user,
            summary=form.cleaned_data["summary"],
            narratives=form.narratives(),
            arena_narratives=form.arena_narratives(),
        )
    except services.FollowUpLocked:
        return refuse_locked(request, followup)
    messages.success(request, _("The texts are saved."))
    return redirect("followup_detail", pk=followup.pk)


@plan_admin_required
@require_POST
def followup_submit(request, pk):
    followup = _get(pk)
    try:
        services.followup_submit_for_review(followup=followup, user=request.user)
    except services.FollowUpLocked:
        return refuse_locked(request, followup)
    except services.WrongState:
        messages.error(request, _("The follow-up is already under review."))
    else:
        messages.success(request, _("The follow-up is under review: everyone can now comment on it."))
    return redirect("followup_detail", pk=followup.pk)


@login_required
@require_POST
def followup_comment(request, pk):
    followup = _get(pk)
    if followup.is_locked:
        return refuse_locked(request, followup)
    if followup.state != FollowUp.State.UNDER_REVIEW:
        messages.error(request, _("Comments are taken while the follow-up is under review."))
        return redirect("followup_detail", pk=followup.pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.followup_comment(followup=followup, user=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Your comment is saved."))
    else:
        messages.error(request, _("Write a comment of at most 5000 characters."))
    return redirect(f"{followup.get_absolute_url()}#kommentarer")


@plan_admin_required
@require_POST
def followup_lock(request, pk):
    followup = _get(pk)
    if followup.is_locked:
        return refuse_locked(request, followup)
    try:
        services.followup_lock(followup=followup, user=request.user)
    except RenderBusy:
        return busy_response()
    except services.BeforeCutOff:
        messages.error(request, _("The follow-up can be approved after its cut-off date, when its statuses are final."))
    else:
        messages.success(request, _("Approved and locked. The report is stored and will say the same thing later."))
    return redirect("followup_detail", pk=followup.pk)


@plan_admin_required
@require_POST
def followup_unlock(request, pk):
    followup = _get(pk)
    form = UnlockForm(request.POST)
    if not followup.is_locked:
        messages.error(request, _("The follow-up is not locked."))
    elif followup.revision.state == PlanRevision.State.SUPERSEDED:
        messages.error(request, _("The follow-up belongs to a superseded revision of the plan and stays as it was."))
    elif not form.is_valid():
        messages.error(request, _("Say why the follow-up is unlocked; the reason is kept in its history."))
    else:
        services.followup_unlock(followup=followup, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The follow-up is unlocked and open again. Its stored report is removed."))
    return redirect("followup_detail", pk=followup.pk)


@login_required
def followup_report(request, pk):
    followup = _get(pk)
    name = f"uppfoljning-{followup.period_label.replace(' ', '-')}"
    if not followup.is_locked:
        # Rendered once per content: a second request for an unchanged draft comes from the cache.
        return pdf_response(render_report_html(services.followup_content(followup), draft=True), f"{name}-utkast.pdf")
    response = HttpResponse(bytes(followup.report_pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response

"""The forums' meetings: planning them, the meeting pack (page and PDF), and the minutes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings import services
from meetings.access import get_forum_for_user, get_meeting_for_user
from meetings.forms import DecisionForm, MeetingForm, MinutesForm, SeriesForm
from meetings.models import Meeting
from meetings.pack import build_pack
from plan.language import plan_language
from plan.models import Forum, PlanRevision
from plan.pdf import pdf_response


@login_required
def forum_list(request):
    now = timezone.now()
    forums = list(Forum.objects.order_by("kind", "name"))
    upcoming = {}
    for meeting in Meeting.objects.held().filter(starts_at__gte=now).order_by("starts_at"):
        upcoming.setdefault(meeting.forum_id, meeting)
    for forum in forums:
        forum.next_meeting = upcoming.get(forum.pk)
    return render(request, "meetings/forum_list.html", {"forums": forums})


@login_required
def forum_meetings(request, slug):
    forum, can_manage = get_forum_for_user(request, slug)
    return _render_forum(request, forum, can_manage)


def _render_forum(request, forum, can_manage, *, meeting_form=None, series_form=None, status=200):
    now = timezone.now()
    meetings = forum.meetings.order_by("starts_at")
    context = {
        "forum": forum,
        "can_manage": can_manage,
        "coming": list(meetings.filter(starts_at__gte=now)),
        "past": list(meetings.filter(starts_at__lt=now).order_by("-starts_at")),
        "members": list(forum.members.order_by("first_name", "last_name", "username")),
        "secretaries": list(forum.secretaries.order_by("first_name", "last_name", "username")),
    }
    if can_manage:
        context["meeting_form"] = meeting_form or MeetingForm(forum=forum)
        context["series_form"] = series_form or SeriesForm()
    return render(request, "meetings/forum_meetings.html", context, status=status)


@require_POST
def meeting_add(request, slug):
    forum, can_manage = get_forum_for_user(request, slug, managing=True)
    form = MeetingForm(request.POST, forum=forum)
    if not form.is_valid():
        return _render_forum(request, forum, can_manage, meeting_form=form, status=400)
    meeting = services.meeting_create(
        forum=forum, starts_at=form.cleaned_data["starts_at"], place=form.cleaned_data["place"], user=request.user
    )
    messages.success(request, _("The meeting on %(date)s is planned.") % {"date": _date(meeting)})
    _warn_without_members(request, forum)
    return redirect("meeting_detail", meeting.pk)


@require_POST
def series_add(request, slug):
    forum, can_manage = get_forum_for_user(request, slug, managing=True)
    form = SeriesForm(request.POST)
    if not form.is_valid():
        return _render_forum(request, forum, can_manage, series_form=form, status=400)
    created, skipped = services.meeting_series_create(
        forum=forum, starts=form.cleaned_data["starts"], place=form.cleaned_data["place"], user=request.user
    )
    text = _("%(count)d meetings are planned.") % {"count": len(created)}
    if skipped:
        text += " " + _("%(count)d dates already had a meeting and were left as they were.") % {"count": skipped}
    messages.success(request, text)
    _warn_without_members(request, forum)
    return redirect("forum_meetings", forum.slug)


def _warn_without_members(request, forum):
    if not forum.members.exists():
        messages.warning(request, _("The forum has no members yet, so nobody gets the meeting pack by e-mail."))


def _date(meeting):
    return timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")


@login_required
def meeting_detail(request, pk):
    meeting, can_manage = get_meeting_for_user(request, pk)
    return _render_meeting(request, meeting, can_manage)


def _render_meeting(request, meeting, can_manage, *, forms=None, status=200):
    forms = forms or {}
    decisions = meeting.decisions.prefetch_related("subactivities__activity__strategy")
    context = {"meeting": meeting, "forum": meeting.forum, "can_manage": can_manage, "decisions": decisions}
    if can_manage:
        revision = PlanRevision.objects.in_force().first()
        context["move_form"] = forms.get("move") or MeetingForm(forum=meeting.forum, meeting=meeting)
        context["minutes_form"] = forms.get("minutes") or MinutesForm(initial={"notes": meeting.notes})
        context["decision_form"] = forms.get("decision") or DecisionForm(revision=revision)
    return render(request, "meetings/meeting_detail.html", context, status=status)


@require_POST
def meeting_move(request, pk):
    meeting, can_manage = get_meeting_for_user(request, pk, managing=True)
    form = MeetingForm(request.POST, forum=meeting.forum, meeting=meeting)
    if not form.is_valid():
        return _render_meeting(request, meeting, can_manage, forms={"move": form}, status=400)
    services.meeting_move(
        meeting=meeting, starts_at=form.cleaned_data["starts_at"], place=form.cleaned_data["place"], user=request.user
    )
    messages.success(request, _("The meeting is moved to %(date)s.") % {"date": _date(meeting)})
    return redirect("meeting_detail", meeting.pk)


@require_POST
def meeting_cancel(request, pk):
    meeting, _can_manage = get_meeting_for_user(request, pk, managing=True)
    if not meeting.cancelled:
        services.meeting_cancel(meeting=meeting, user=request.user)
    messages.success(request, _("The meeting on %(date)s is cancelled.") % {"date": _date(meeting)})
    return redirect("forum_meetings", meeting.forum.slug)


@require_POST
def meeting_minutes(request, pk):
    meeting, can_manage = get_meeting_for_user(request, pk, managing=True)
    form = MinutesForm(request.POST)
    if not form.is_valid():
        return _render_meeting(request, meeting, can_manage, forms={"minutes": form}, status=400)
    services.minutes_save(meeting=meeting, notes=form.cleaned_data["notes"], user=request.user)
    messages.success(request, _("The minutes are saved."))
    return redirect(f"{reverse('meeting_detail', args=[meeting.pk])}#protokoll")


@require_POST
def decision_add(request, pk):
    meeting, can_manage = get_meeting_for_user(request, pk, managing=True)
    form = DecisionForm(request.POST, revision=PlanRevision.objects.in_force().first())
    if not form.is_valid():
        return _render_meeting(request, meeting, can_manage, forms={"decision": form}, status=400)
    services.decision_add(
        meeting=meeting,
        text=form.cleaned_data["text"],
        subactivities=form.cleaned_data["subactivities"],
        user=request.user,
    )
    messages.success(request, _("The decision is recorded."))
    return redirect(f"{reverse('meeting_detail', args=[meeting.pk])}#beslut")


@login_required
def meeting_pack(request, pk):
    meeting, _can_manage = get_meeting_for_user(request, pk)
    return render(request, "meetings/meeting_pack.html", build_pack(meeting))


@login_required
def meeting_pack_pdf(request, pk):
    meeting, _can_manage = get_meeting_for_user(request, pk)
    with plan_language():
        html = render_to_string("meetings/meeting_pack_pdf.html", build_pack(meeting))
    name = f"motesunderlag-{meeting.forum.slug}-{timezone.localtime(meeting.starts_at):%Y-%m-%d}.pdf"
    return pdf_response(html, name)

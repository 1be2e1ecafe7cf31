"""Writes to follow-ups: each atomic and recorded in the history."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from followup.content import build_content
from followup.models import ArenaNarrative, FollowUp, ReviewComment, StrategyNarrative
from followup.report import render_report_pdf
from plan.models import PlanRevision


class FollowUpLocked(Exception):
    """The follow-up is approved and locked: its content can no longer change."""


class WrongState(Exception):
    """The follow-up is not in the state the step needs."""


class BeforeCutOff(Exception):
    """A follow-up can be approved only after its cut-off date: until then its statuses are not final."""


def locked_followup_for(revision_id, year, half):
    """The locked follow-up that holds a value of this period, if any: such a value can no longer change.
    A yearly follow-up holds the whole year and both halves; a first-half follow-up only the first half."""
    covering = Q(half=0) | Q(half=1) if half == 1 else Q(half=0)
    return FollowUp.objects.filter(covering, revision_id=revision_id, year=year, state=FollowUp.State.LOCKED).first()


def _ensure_open(followup):
    if followup.is_locked:
        raise FollowUpLocked(followup)


def _save(followup, user, reason, fields):
    followup._history_user = user
    followup._change_reason = reason
    followup.full_clean()
    followup.save(update_fields=fields)


def followup_open(*, revision, year, half, cut_off, user):
    followup = FollowUp(revision=revision, year=year, half=half, cut_off=cut_off)
    followup.full_clean()
    followup._history_user = user
    followup._change_reason = "Uppföljningen öppnad"
    followup.save()
    return followup


@transaction.atomic
def followup_save_texts(*, followup, user, summary, narratives, arena_narratives=None):
    """narratives: {strategy: {"went_well": …, "late_and_why": …, "next_steps": …}};
    arena_narratives: {local arena: text}."""
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    _ensure_open(followup)
    followup.summary = summary
    _save(followup, user, "Sammanfattning sparad", ["summary"])
    for strategy, texts in narratives.items():
        narrative, _created = StrategyNarrative.objects.get_or_create(followup=followup, strategy=strategy)
        changed = [k for k, v in texts.items() if getattr(narrative, k) != v]
        if changed:
            for key in changed:
                setattr(narrative, key, texts[key])
            narrative._history_user = user
            narrative.save()
    for arena, text in (arena_narratives or {}).items():
        narrative, _created = ArenaNarrative.objects.get_or_create(followup=followup, arena=arena)
        if narrative.text != text:
            narrative.text = text
            narrative._history_user = user
            narrative.save()
    return followup


def followup_submit_for_review(*, followup, user):
    _ensure_open(followup)
    if followup.state != FollowUp.State.OPEN:
        raise WrongState(followup)
    followup.state = FollowUp.State.UNDER_REVIEW
    _save(followup, user, "Skickad på granskning", ["state"])


def followup_comment(*, followup, user, text):
    _ensure_open(followup)
    return ReviewComment.objects.create(followup=followup, author=user, text=text)


@transaction.atomic
def followup_lock(*, followup, user):
    """Freezes the content as of now and stores the report rendered from it."""
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    _ensure_open(followup)
    if timezone.localdate() <= followup.cut_off:
        raise BeforeCutOff(followup)
    followup.content = build_content(followup)
    followup.report_pdf = render_report_pdf(followup.content)
    followup.state = FollowUp.State.LOCKED
    followup.locked_at = timezone.now()
    followup.locked_by = user
    _save(followup, user, "Godkänd och låst", ["content", "report_pdf", "state", "locked_at", "locked_by"])
    return followup


@transaction.atomic
def followup_unlock(*, followup, user, reason):
    followup = FollowUp.objects.select_related("revision").select_for_update(of=("self",)).get(pk=followup.pk)
    # A superseded revision's follow-ups and reports are kept exactly as they were.
    if not followup.is_locked or followup.revision.state == PlanRevision.State.SUPERSEDED:
        raise WrongState(followup)
    followup.state = FollowUp.State.OPEN
    followup.content = None
    followup.report_pdf = None
    followup.locked_at = None
    followup.locked_by = None
    _save(followup, user, f"Upplåst: {reason}", ["state", "content", "report_pdf", "locked_at", "locked_by"])
    return followup


def followup_content(followup):
    """The stored content of a locked follow-up, or the content built now for an open one."""
    return followup.content if followup.is_locked else build_content(followup)

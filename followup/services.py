"""Writes to follow-ups and effect-measure values: each atomic and recorded in the history."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from followup.content import build_content
from followup.models import ArenaNarrative, EffectMeasureValue, FollowUp, ReviewComment, StrategyNarrative
from followup.report import render_report_html
from plan.history import save_with_history
from plan.language import in_plan_language
from plan.models import PlanRevision
from plan.pdf import cached_pdf


class FollowUpLocked(Exception):
    """The follow-up is approved and locked: its content can no longer change."""

    def __init__(self, followup):
        super().__init__(f"follow-up {followup.pk} is locked")
        self.followup = followup


class WrongState(Exception):
    """The follow-up is not in the state the step needs."""


class BeforeCutOff(Exception):
    """A follow-up can be approved only after its cut-off date: until then its statuses are not final."""


def locked_followup_for(revision_id, year, half):
    """The locked follow-up that holds a value of this period, if any: such a value can no longer change.
    A yearly follow-up holds the whole year and both halves; a first-half follow-up only the first half."""
    covering = Q(half=0) | Q(half=1) if half == 1 else Q(half=0)
    return FollowUp.objects.filter(covering, revision_id=revision_id, year=year, state=FollowUp.State.LOCKED).first()


def locked_followup_covering(revision_id, periods):
    """The first locked follow-up that holds a value of any of `periods` ((year, half) pairs), if any."""
    return next(filter(None, (locked_followup_for(revision_id, year, half) for year, half in periods)), None)


def _ensure_open(followup):
    if followup.is_locked:
        raise FollowUpLocked(followup)


def _save(followup, user, reason, fields):
    followup.full_clean()
    save_with_history(followup, user=user, reason=reason, update_fields=fields)


def followup_open(*, revision, year, half, cut_off, user):
    followup = FollowUp(revision=revision, year=year, half=half, cut_off=cut_off)
    followup.full_clean()
    return save_with_history(followup, user=user, reason=_("The follow-up opened"))


@transaction.atomic
def followup_save_texts(*, followup, user, summary, narratives, arena_narratives=None):
    """narratives: {strategy: {"went_well": …, "late_and_why": …, "next_steps": …}};
    arena_narratives: {local arena: text}."""
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    _ensure_open(followup)
    followup.summary = summary
    _save(followup, user, _("Summary saved"), ["summary"])
    reason = _("Narrative saved")
    for strategy, texts in narratives.items():
        narrative = StrategyNarrative.objects.filter(followup=followup, strategy=strategy).first()
        narrative = narrative or StrategyNarrative(followup=followup, strategy=strategy)
        changed = [k for k, v in texts.items() if getattr(narrative, k) != v]
        for key in changed:
            setattr(narrative, key, texts[key])
        if changed or narrative.pk is None:
            save_with_history(narrative, user=user, reason=reason)
    for arena, text in (arena_narratives or {}).items():
        narrative = ArenaNarrative.objects.filter(followup=followup, arena=arena).first()
        narrative = narrative or ArenaNarrative(followup=followup, arena=arena)
        if narrative.text != text or narrative.pk is None:
            narrative.text = text
            save_with_history(narrative, user=user, reason=reason)
    return followup


def followup_submit_for_review(*, followup, user):
    _ensure_open(followup)
    if followup.state != FollowUp.State.OPEN:
        raise WrongState(followup)
    followup.state = FollowUp.State.UNDER_REVIEW
    _save(followup, user, _("Sent for review"), ["state"])


def followup_comment(*, followup, user, text):
    _ensure_open(followup)
    return ReviewComment.objects.create(followup=followup, author=user, text=text)


@transaction.atomic
def followup_lock(*, followup, user):
    """Freezes the content as of now and stores the report rendered from it; plan.pdf.RenderBusy (nothing
    saved) when the servers are rendering too many PDFs to render it now."""
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    _ensure_open(followup)
    if timezone.localdate() <= followup.cut_off:
        raise BeforeCutOff(followup)
    followup.content = build_content(followup)
    followup.report_pdf = cached_pdf(render_report_html(followup.content))
    followup.state = FollowUp.State.LOCKED
    followup.locked_at = timezone.now()
    followup.locked_by = user
    _save(followup, user, _("Approved and locked"), ["content", "report_pdf", "state", "locked_at", "locked_by"])
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
    _save(
        followup,
        user,
        in_plan_language(_("Unlocked: %(reason)s"), reason=reason),
        ["state", "content", "report_pdf", "locked_at", "locked_by"],
    )
    return followup


def followup_content(followup):
    """The stored content of a locked follow-up, or the content built now for an open one."""
    return followup.content if followup.is_locked else build_content(followup)


@transaction.atomic
def effect_measure_value_save(*, value, user):
    """Saves a value of an effect measure of the revision in force. Refused (FollowUpLocked) when a locked
    follow-up holds its period, before or after the change; takes the lock a status update takes, so it
    cannot interleave with putting the next revision in force (PermissionDenied once this one is superseded)."""
    PlanRevision.objects.lock_in_force(value.measure.strategy.revision_id)
    periods = {value.period}
    if value.pk:
        periods.add(EffectMeasureValue.objects.get(pk=value.pk).period)
    locked = locked_followup_covering(value.measure.strategy.revision_id, periods)
    if locked:
        raise FollowUpLocked(locked)
    value.entered_by = user
    return save_with_history(value, user=user, reason=_("Entered in the application"))

"""Revising the plan: a draft copied from the revision in force, edited, then activated.

A copy keeps a `predecessor` link from every carried-over item to the item it was copied from, so an
activity, its sub-activities and its effect measures can be followed across revisions. Activation makes
the draft the revision in force and the earlier one superseded (read-only); carried-over sub-activities and
local adoptions take over their predecessors' state as it is at that moment, since project leaders go on
updating the revision in force while the draft is edited.
"""

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, SubActivity
from plan.dates import years_later
from plan.history import delete_with_history, save_with_history
from plan.language import in_plan_language
from plan.models import GuidingPrinciple, PlanRevision
from strategies.models import ArenaLocalActivity, LocalActivity, LocalAdoption, Strategy

REVISION_PERIOD_YEARS = 3

# Sent inside the activation's transaction with `draft`, `previous` and `user`, for layers above this one
# (the follow-up carries effect-measure values over).
revision_activated = Signal()


class RevisionError(Exception):
    """The revision is not in a state that allows this."""


def suggested_next_revision(current):
    """Defaults for the revision after `current`: in force when `current` is due for revision, and
    labelled by the first whole year it covers."""
    in_force_from = current.next_revision_due
    label = str(in_force_from.year + 1 if in_force_from.month > 6 else in_force_from.year)
    return {"label": label, "in_force_from": in_force_from}


class _Copier:
    def __init__(self, user, reason):
        self.user = user
        self.reason = reason

    def copy(self, original, **changes):
        """Saves a copy of `original` with `changes`, linked to it as its predecessor."""
        fields = {
            f.attname: getattr(original, f.attname)
            for f in original._meta.concrete_fields
            if not f.primary_key and f.attname != "predecessor_id"
        }
        copy = type(original)(**fields, predecessor=original)
        for name, value in changes.items():
            setattr(copy, name, value)
        return save_with_history(copy, user=self.user, reason=self.reason)


@transaction.atomic
def start_revision(current, *, label, in_force_from, user, next_revision_due=None):
    """A draft copy of `current` with everything in it; `current` itself is not changed."""
    current = PlanRevision.objects.select_for_update().get(pk=current.pk)
    if current.state != PlanRevision.State.IN_FORCE:
        raise RevisionError("Only the revision in force can be revised.")
    if PlanRevision.objects.filter(plan_id=current.plan_id, state=PlanRevision.State.DRAFT).exists():
        raise RevisionError("The plan already has a draft revision.")
    copier = _Copier(user, in_plan_language(_("Copied from revision %(label)s"), label=current.label))
    draft = copier.copy(
        current,
        label=label,
        state=PlanRevision.State.DRAFT,
        in_force_from=in_force_from,
        next_revision_due=next_revision_due or years_later(in_force_from, REVISION_PERIOD_YEARS),
    )
    for principle in GuidingPrinciple.objects.filter(revision=current):
        copier.copy(principle, revision=draft)
    strategies = Strategy.objects.filter(revision=current).prefetch_related(
        "quotes", "effect_measures__forums", "local_activities"
    )
    activities = Activity.objects.filter(strategy__revision=current).prefetch_related(
        "responsible_organisations", "subactivities"
    )
    new_strategies = {}
    for strategy in strategies:
        new_strategy = new_strategies[strategy.pk] = copier.copy(strategy, revision=draft)
        for quote in strategy.quotes.all():
            copier.copy(quote, strategy=new_strategy)
        for measure in strategy.effect_measures.all():
            copier.copy(measure, strategy=new_strategy).forums.set(measure.forums.all())
        for local_activity in strategy.local_activities.all():
            copier.copy(local_activity, strategy=new_strategy)
    for activity in activities:
        new_activity = copier.copy(activity, strategy=new_strategies[activity.strategy_id])
        new_activity.responsible_organisations.set(activity.responsible_organisations.all())
        for subactivity in activity.subactivities.all():
            copier.copy(subactivity, activity=new_activity, version=1)
    return draft


@transaction.atomic
def activate_revision(draft, *, user, today=None):
    """Puts `draft` in force and supersedes the revision in force; returns the superseded one (or None)."""
    draft = PlanRevision.objects.select_for_update().get(pk=draft.pk)
    if draft.state != PlanRevision.State.DRAFT:
        raise RevisionError("Only a draft can be activated.")
    # Locking the revision in force waits for status updates under way and holds off new ones (lock_in_force).
    previous = PlanRevision.objects.select_for_update().filter(plan_id=draft.plan_id).in_force().first()
    # Carried over while still a draft, so the carrying is not news in the changes since the activation.
    if previous:
        _carry_over_statuses(draft, previous, user)
        _carry_over_local_adoptions(draft, previous, user)
        revision_activated.send(sender=PlanRevision, draft=draft, previous=previous, user=user)
    reason = in_plan_language(_("Revision %(label)s in force"), label=draft.label)
    if previous:
        previous.state = PlanRevision.State.SUPERSEDED
        save_with_history(previous, user=user, reason=reason, update_fields=["state"])
    draft.state = PlanRevision.State.IN_FORCE
    # Put in force by hand before its planned date: it is in force from today.
    draft.in_force_from = min(draft.in_force_from, today or timezone.localdate())
    save_with_history(draft, user=user, reason=reason, update_fields=["state", "in_force_from"])
    return previous


def _carry_over_statuses(draft, previous, user):
    """Each carried-over sub-activity takes its predecessor's status, status text, answer and evidence as they are
    now."""
    reason = in_plan_language(_("Status carried over from revision %(label)s"), label=previous.label)
    successors = SubActivity.objects.filter(
        activity__strategy__revision=draft, predecessor__activity__strategy__revision=previous
    ).select_related("predecessor")
    for subactivity in successors.select_for_update(of=("self",)):
        before = subactivity.predecessor
        carried = {
            "status": before.status,
            "status_text": before.status_text,
            "answer": before.answer,
            "evidence_url": before.evidence_url,
        }
        if all(getattr(subactivity, name) == value for name, value in carried.items()):
            continue
        for name, value in carried.items():
            setattr(subactivity, name, value)
        subactivity.raise_version(expected=subactivity.version)  # a status form opened before is refused
        save_with_history(subactivity, user=user, reason=reason, update_fields=[*carried, "version"])


def _carry_over_local_adoptions(draft, previous, user):
    """The local arenas' adoptions and own activities move on with the recommended local activities."""
    reason = in_plan_language(_("Carried over from revision %(label)s"), label=previous.label)
    successor_of = dict(
        LocalActivity.objects.filter(strategy__revision=draft, predecessor__isnull=False).values_list(
            "predecessor_id", "pk"
        )
    )
    existing = set(
        LocalAdoption.objects.filter(local_activity__strategy__revision=draft).values_list(
            "arena_id", "local_activity_id"
        )
    )
    for adoption in LocalAdoption.objects.filter(local_activity_id__in=successor_of):
        key = (adoption.arena_id, successor_of[adoption.local_activity_id])
        if key not in existing:
            copy = LocalAdoption(
                arena_id=key[0],
                local_activity_id=key[1],
                state=adoption.state,
                text=adoption.text,
                contact=adoption.contact,
                updated_by_id=adoption.updated_by_id,
            )
            save_with_history(copy, user=user, reason=reason)
            # `updated_at` is auto_now: the arena's own last update date carries over, not the activation's.
            LocalAdoption.objects.filter(pk=copy.pk).update(updated_at=adoption.updated_at)
    strategy_successor = dict(
        Strategy.objects.filter(revision=draft, predecessor__revision=previous).values_list("predecessor_id", "pk")
    )
    for own in ArenaLocalActivity.objects.filter(strategy__revision=previous):
        if own.strategy_id in strategy_successor:
            copy = ArenaLocalActivity(
                arena_id=own.arena_id,
                strategy_id=strategy_successor[own.strategy_id],
                name=own.name,
                state=own.state,
                text=own.text,
            )
            save_with_history(copy, user=user, reason=reason)


def activate_due_revisions(*, today=None):
    """Activates every draft whose in-force date has come (run daily); returns the activated drafts."""
    today = today or timezone.localdate()
    due = list(PlanRevision.objects.filter(state=PlanRevision.State.DRAFT, in_force_from__lte=today))
    for draft in due:
        activate_revision(draft, user=None, today=today)
    return due


@transaction.atomic
def draft_item_save(*, draft, item, user, save_m2m=None):
    """Saves an item of the draft revision (or the draft's own fields), and then its many-to-many fields
    (`save_m2m`, a model form's). The draft is locked as a status update locks the revision in force, so the
    change cannot interleave with putting the draft in force: once it is in force, PermissionDenied."""
    PlanRevision.objects.lock_draft(draft.pk)
    reason = in_plan_language(_("Changed in the draft of revision %(label)s"), label=draft.label)
    save_with_history(item, user=user, reason=reason)
    if save_m2m:
        save_m2m()
    return item


@transaction.atomic
def draft_item_delete(*, draft, item, user):
    """Removes an item from the draft revision, under the same lock as draft_item_save."""
    PlanRevision.objects.lock_draft(draft.pk)
    reason = in_plan_language(_("Removed from the draft of revision %(label)s"), label=draft.label)
    delete_with_history(item, user=user, reason=reason)

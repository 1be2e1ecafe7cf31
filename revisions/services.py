"""Revising the plan: a draft copied from the revision in force, edited, then activated.

A copy keeps a `predecessor` link from every carried-over item to the item it was copied from, so an
activity, its sub-activities and its effect measures can be followed across revisions. Activation makes
the draft the revision in force and the earlier one superseded (read-only); carried-over sub-activities and
local adoptions take over their predecessors' state as it is at that moment, since project leaders go on
updating the revision in force while the draft is edited.
"""

from collections import defaultdict

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, SubActivity
from plan.dates import years_later
from plan.history import add_all_with_history, create_all_with_history, delete_with_history, save_with_history
from plan.language import in_plan_language
from plan.models import GuidingPrinciple, PlanRevision
from strategies.models import ArenaLocalActivity, EffectMeasure, LocalActivity, LocalAdoption, Strategy, StrategyQuote

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

    @staticmethod
    def _copy(original, changes):
        """An unsaved copy of `original` with `changes`, linked to it as its predecessor."""
        fields = {
            f.attname: getattr(original, f.attname)
            for f in original._meta.concrete_fields
            if not f.primary_key and f.attname != "predecessor_id"
        }
        copy = type(original)(**fields, predecessor=original)
        for name, value in changes.items():
            setattr(copy, name, value)
        return copy

    def copy(self, original, **changes):
        """Saves a copy of `original` with `changes`, linked to it as its predecessor."""
        return save_with_history(self._copy(original, changes), user=self.user, reason=self.reason)

    def copy_all(self, originals, *, parent=None, **changes):
        """Saves copies of `originals` (all of one model) with `changes`, as `copy` saves one, but in bulk with
        their history records. `parent` is (the name of a foreign key, {pk of an original's parent: its copy}):
        each copy goes under the copy of its original's parent. Returns {original pk: copy}."""
        copies = []
        for original in originals:
            copy = self._copy(original, changes)
            if parent:
                name, parent_copies = parent
                setattr(copy, name, parent_copies[getattr(original, f"{name}_id")])
            copies.append(copy)
        create_all_with_history(copies, user=self.user, reason=self.reason)
        return {copy.predecessor_id: copy for copy in copies}

    def copy_links(self, model, field_name, originals, copies):
        """Gives each copy the related objects of its original in the many-to-many field `field_name`, as
        `.set()` would, with the history record that records them; `originals` is a queryset of `model`."""
        m2m_field = model._meta.get_field(field_name)
        source, target = m2m_field.m2m_field_name(), m2m_field.m2m_reverse_field_name()
        links = m2m_field.remote_field.through.objects.filter(**{f"{source}__in": originals})
        related = defaultdict(list)
        for original_pk, related_pk in links.values_list(f"{source}_id", f"{target}_id"):
            related[original_pk].append(related_pk)
        add_all_with_history(
            field_name,
            [(copy, related[original_pk]) for original_pk, copy in copies.items()],
            user=self.user,
            reason=self.reason,
        )


@transaction.atomic
def start_revision(current, *, label, in_force_from, user, next_revision_due=None):
    """A draft copy of `current` with everything in it; `current` itself is not changed. The items are copied
    kind by kind in bulk, a few queries per kind whatever the plan's size."""
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
    copier.copy_all(GuidingPrinciple.objects.filter(revision=current), revision=draft)
    in_new_strategy = ("strategy", copier.copy_all(Strategy.objects.filter(revision=current), revision=draft))
    # Kind by kind, each in its order (strategy by strategy), so the copies' primary keys keep that order.
    in_current = {"strategy__revision": current}
    copier.copy_all(StrategyQuote.objects.filter(**in_current), parent=in_new_strategy)
    measures = EffectMeasure.objects.filter(**in_current)
    copier.copy_links(EffectMeasure, "forums", measures, copier.copy_all(measures, parent=in_new_strategy))
    copier.copy_all(LocalActivity.objects.filter(**in_current), parent=in_new_strategy)
    activities = Activity.objects.filter(**in_current)
    new_activities = copier.copy_all(activities, parent=in_new_strategy)
    copier.copy_links(Activity, "responsible_organisations", activities, new_activities)
    copier.copy_all(
        SubActivity.objects.filter(activity__strategy__revision=current), parent=("activity", new_activities), version=1
    )
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

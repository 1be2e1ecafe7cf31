"""Revising the plan: a draft copied from the revision in force, edited, then activated.

A copy keeps a `predecessor` link from every carried-over item to the item it was copied from, so an
activity, its delaktiviteter and its effect measures can be followed across revisions. Activation makes
the draft the revision in force and the earlier one superseded (read-only); carried-over delaktiviteter and
local adoptions take over their predecessors' state as it is at that moment, since project leaders go on
updating the revision in force while the draft is edited.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Min, Q
from django.dispatch import Signal
from django.utils import timezone

from activities.models import Activity, SubActivity
from plan.history import end_of_day, records_as_of
from plan.models import GuidingPrinciple, PlanRevision
from strategies.models import ArenaLocalActivity, LocalActivity, LocalAdoption, Strategy

REVISION_PERIOD_YEARS = 3
REVISION_WARNING_MONTHS = 6

# Sent inside the activation's transaction with `draft` and `previous`, for layers above this one (the
# follow-up carries effect-measure values over).
revision_activated = Signal()


class RevisionError(Exception):
    """The revision is not in a state that allows this."""


def years_later(date, years=REVISION_PERIOD_YEARS):
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)


def months_earlier(date, months):
    month_index = date.year * 12 + date.month - 1 - months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date.replace(year=year, month=month + 1, day=min(date.day, last_day))


@dataclass(frozen=True)
class RevisionCountdown:
    """How long until the revision in force is due to be revised, for the dashboard and the overview."""

    due: datetime.date
    days: int  # negative once the due date has passed
    warning: bool  # from six months before the due date

    @property
    def overdue(self):
        return self.days < 0


def revision_countdown(revision, *, today):
    due = revision.next_revision_due
    return RevisionCountdown(
        due=due, days=(due - today).days, warning=today >= months_earlier(due, REVISION_WARNING_MONTHS)
    )


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
        copy._history_user = self.user
        copy._change_reason = self.reason
        copy.save()
        return copy


@transaction.atomic
def start_revision(current, *, label, in_force_from, user, next_revision_due=None):
    """A draft copy of `current` with everything in it; `current` itself is not changed."""
    current = PlanRevision.objects.select_for_update().get(pk=current.pk)
    if current.state != PlanRevision.State.IN_FORCE:
        raise RevisionError("Only the revision in force can be revised.")
    if PlanRevision.objects.filter(plan_id=current.plan_id, state=PlanRevision.State.DRAFT).exists():
        raise RevisionError("The plan already has a draft revision.")
    copier = _Copier(user, f"Kopierad från revision {current.label}")
    draft = copier.copy(
        current,
        label=label,
        state=PlanRevision.State.DRAFT,
        in_force_from=in_force_from,
        next_revision_due=next_revision_due or years_later(in_force_from),
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
    reason = f"Revision {draft.label} i kraft"
    if previous:
        previous.state = PlanRevision.State.SUPERSEDED
        previous._history_user, previous._change_reason = user, reason
        previous.save(update_fields=["state"])
    draft.state = PlanRevision.State.IN_FORCE
    # Put in force by hand before its planned date: it is in force from today.
    draft.in_force_from = min(draft.in_force_from, today or timezone.localdate())
    draft._history_user, draft._change_reason = user, reason
    draft.save(update_fields=["state", "in_force_from"])
    return previous


def _carry_over_statuses(draft, previous, user):
    """Each carried-over delaktivitet takes its predecessor's status, status text and answer as they are now."""
    reason = f"Status överförd från revision {previous.label}"
    successors = SubActivity.objects.filter(
        activity__strategy__revision=draft, predecessor__activity__strategy__revision=previous
    ).select_related("predecessor")
    for subactivity in successors.select_for_update(of=("self",)):
        before = subactivity.predecessor
        carried = {"status": before.status, "status_text": before.status_text, "answer": before.answer}
        if all(getattr(subactivity, name) == value for name, value in carried.items()):
            continue
        for name, value in carried.items():
            setattr(subactivity, name, value)
        subactivity.version += 1
        subactivity._history_user, subactivity._change_reason = user, reason
        subactivity.save(update_fields=[*carried, "version"])


def _carry_over_local_adoptions(draft, previous, user):
    """The local arenas' adoptions and own activities move on with the recommended local activities."""
    reason = f"Överförd från revision {previous.label}"
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
            copy._history_user, copy._change_reason = user, reason
            copy.save()
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
            copy._history_user, copy._change_reason = user, reason
            copy.save()


def activate_due_revisions(*, today=None):
    """Activates every draft whose in-force date has come (run daily); returns the activated drafts."""
    today = today or timezone.localdate()
    due = list(PlanRevision.objects.filter(state=PlanRevision.State.DRAFT, in_force_from__lte=today))
    for draft in due:
        activate_revision(draft, user=None, today=today)
    return due


def revision_in_force_on(plan_id, date):
    """The historical record of the revision that was in force at the end of `date` (or None), its plan
    selected. Two records saved in the same instant (a draft activated in the request that created it)
    are told apart by their history id; one query."""
    records = records_as_of(PlanRevision.history.filter(plan_id=plan_id), end_of_day(date)).select_related("plan")
    return next((r for r in records if r.state == PlanRevision.State.IN_FORCE), None)


def counterparts(item, revision_path, *, include_drafts):
    """The same item in the revisions before and after: its predecessor and successors, each with `.revision`,
    oldest first; one query. `revision_path` leads from the item to its revision, e.g. "strategy__revision"."""
    if item.pk is None:
        return []
    items = type(item).objects.filter(Q(pk=item.predecessor_id) | Q(predecessor=item.pk)).select_related(revision_path)
    if not include_drafts:
        items = items.exclude(**{f"{revision_path}__state": PlanRevision.State.DRAFT})
    found = list(items)
    for other in found:
        other.revision = other
        for name in revision_path.split("__"):
            other.revision = getattr(other.revision, name)
    return sorted(found, key=lambda other: other.revision.in_force_from)


def put_in_force_at(revision_ids=None):
    """{revision id: the moment it was put in force} for those of `revision_ids` (default all) ever in force;
    one query."""
    records = PlanRevision.history.filter(state=PlanRevision.State.IN_FORCE)
    if revision_ids is not None:
        records = records.filter(id__in=revision_ids)
    rows = records.values("id").annotate(moment=Min("history_date")).order_by()
    return {row["id"]: row["moment"] for row in rows}


def superseded_on(revision):
    """The day a superseded revision stopped being in force, from its history (or None); one query."""
    record = (
        PlanRevision.history.filter(id=revision.pk, state=PlanRevision.State.SUPERSEDED)
        .order_by("history_date", "history_id")
        .first()
    )
    return timezone.localdate(record.history_date) if record else None

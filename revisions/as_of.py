"""The plan as it stood at the end of a past day, rebuilt from the history (django-simple-history).

The functions return model instances made from historical records, with what the pages show of their
relations filled in as plain attributes: `activity.subactivity_list`, `activity.organisation_list`,
`measure.forum_list`, the strategies' `activity_count`, `measure_count` and `local_activity_count`, and
foreign keys the pages follow (`revision.plan`, `activity.leader`, `strategy.revision`) already set. The
present views fill the same attributes from their prefetches, so one template serves both. Nothing here is
saved: the instances are for reading only.

The revision shown is the one in force at the end of the day (`revision_in_force_on`). An object asked for
by pk that did not exist then is looked for along its predecessors (and successors) in that revision.
"""

from collections import Counter, defaultdict

from activities.models import Activity, SubActivity
from plan.history import end_of_day, m2m_as_of, records_as_of
from plan.models import GuidingPrinciple, PlanRevision
from strategies.models import EffectMeasure, LocalActivity, Strategy, StrategyQuote

# How far along the predecessor/successor links an object is followed to the revision in force on the day.
MAX_REVISION_STEPS = 20


def revision_in_force_on(plan_id, date):
    """The historical record of the revision that was in force at the end of `date` (or None), its plan
    selected. Two records saved in the same instant (a draft activated in the request that created it)
    are told apart by their history id; one query."""
    return revision_as_of(plan_id, end_of_day(date))


def _instance(record, *related):
    """The model instance a historical record holds, with the foreign keys in `related` (selected with the
    record) set on it, so reading them costs no query."""
    obj = record.instance
    for name in related:
        setattr(obj, name, getattr(record, name))
    return obj


def _instances_of(model, records):
    """The instances of `model` that historical `records` (a queryset) hold, made from the records' values: for
    many records, cheaper than making each record and then its `instance`."""
    fields = [f.attname for f in model._meta.concrete_fields]
    return [model.from_db(records.db, fields, row) for row in records.values_list(*fields)]


def _revision(record):
    return _instance(record, "plan")


def plan_as_of(plan_id, date):
    """The overview of the plan at the end of `date`, or None if no revision was in force then:
    {"revision", "principles", "strategies" (with their counts), "status_counts" ({strategy id: {status: n}})}.

    Queries (7): the revision in force, guiding principles, strategies, effect measures, recommended local
    activities, activities, and the sub-activities counted per activity and status.
    """
    record = revision_in_force_on(plan_id, date)
    if record is None:
        return None
    moment = end_of_day(date)
    principles = records_as_of(GuidingPrinciple.history.filter(revision_id=record.id), moment).order_by("number")
    strategies = [
        r.instance for r in records_as_of(Strategy.history.filter(revision_id=record.id), moment).order_by("number")
    ]
    strategy_ids = [s.pk for s in strategies]

    def per_strategy(model):
        records = records_as_of(model.history.filter(strategy_id__in=strategy_ids), moment)
        return Counter(records.values_list("strategy_id", flat=True))

    measures, local_activities = per_strategy(EffectMeasure), per_strategy(LocalActivity)
    activity_strategy = dict(
        records_as_of(Activity.history.filter(strategy_id__in=strategy_ids), moment).values_list("id", "strategy_id")
    )
    activities = Counter(activity_strategy.values())
    subactivities = (
        records_as_of(SubActivity.history.filter(activity_id__in=list(activity_strategy)), moment)
        .order_by()
        .values_list("activity_id", "status")
    )
    status_counts = defaultdict(Counter)
    for activity_id, status in subactivities:
        status_counts[activity_strategy[activity_id]][status] += 1
    for strategy in strategies:
        strategy.activity_count = activities[strategy.pk]
        strategy.measure_count = measures[strategy.pk]
        strategy.local_activity_count = local_activities[strategy.pk]
    return {
        "revision": _revision(record),
        "principles": [r.instance for r in principles],
        "strategies": strategies,
        "status_counts": status_counts,
    }


def _in_revision(obj, revision_id, revision_of, queryset):
    """`obj` or the item it was copied from, or copied into, that belongs to revision `revision_id` (or None).
    One query per revision stepped over; none when `obj` is already in it."""
    for step in ("predecessor", "successors"):
        current = obj
        for _ in range(MAX_REVISION_STEPS):
            if revision_of(current) == revision_id:
                return current
            if step == "predecessor":
                current = queryset.filter(pk=current.predecessor_id).first() if current.predecessor_id else None
            else:
                current = queryset.filter(predecessor=current).order_by("pk").first()
            if current is None:
                break
    return None


def _activities_as_of(records, moment):
    """The activities among `records` (historical records) as of `moment`, each with `subactivity_list`,
    `organisation_list` and `leader` set. Queries (3): activities with leaders, their organisations, their
    sub-activities."""
    records = list(records_as_of(records, moment).select_related("leader").order_by("strategy_id", "number"))
    organisations = m2m_as_of(Activity, "responsible_organisations", records)
    subactivities = defaultdict(list)
    sub_records = records_as_of(SubActivity.history.filter(activity_id__in=[r.id for r in records]), moment)
    for subactivity in _instances_of(SubActivity, sub_records.order_by("activity_id", "number")):
        subactivities[subactivity.activity_id].append(subactivity)
    activities = []
    for record in records:
        activity = _instance(record, "leader")
        activity.organisation_list = organisations.get(record.history_id, [])
        activity.subactivity_list = subactivities.get(record.id, [])
        activities.append(activity)
    return activities


def revision_as_of(plan_id, moment):
    """The historical record of the revision in force at `moment` (or None), its plan selected; one query."""
    records = records_as_of(PlanRevision.history.filter(plan_id=plan_id), moment).select_related("plan")
    return next((r for r in records if r.state == PlanRevision.State.IN_FORCE), None)


def activities_as_of(revision_id, moment, *, strategy_ids=None):
    """The revision's activities as they stood at `moment` (of the given strategies, or all), each with
    `subactivity_list`, `organisation_list` and `leader`; 4 queries."""
    strategies = records_as_of(Strategy.history.filter(revision_id=revision_id), moment)
    if strategy_ids is not None:
        strategies = strategies.filter(id__in=strategy_ids)
    ids = list(strategies.values_list("id", flat=True))
    return _activities_as_of(Activity.history.filter(strategy_id__in=ids), moment)


def strategy_as_of(strategy, date):
    """The strategy page's content at the end of `date` for `strategy` (a live Strategy with its revision),
    or {"revision": None} when no revision was in force, or {"revision": …, "strategy": None} when neither it
    nor the same strategy in the revision then in force existed then.

    Queries (10 when the strategy is in the revision of the day): the revision in force, the strategy,
    quotes, effect measures, their forums, activities with leaders, their organisations, their
    sub-activities, recommended local activities; one more per revision stepped over.
    """
    record = revision_in_force_on(strategy.revision.plan_id, date)
    if record is None:
        return {"revision": None}
    revision = _revision(record)
    moment = end_of_day(date)
    same = _in_revision(strategy, record.id, lambda s: s.revision_id, Strategy.objects.all())
    strategy_record = same and records_as_of(Strategy.history.filter(id=same.pk), moment).first()
    if not strategy_record:
        return {"revision": revision, "strategy": None}
    strategy = strategy_record.instance
    strategy.revision = revision
    quotes = records_as_of(StrategyQuote.history.filter(strategy_id=strategy.pk), moment).order_by("position")
    measure_records = list(
        records_as_of(EffectMeasure.history.filter(strategy_id=strategy.pk), moment).order_by("number")
    )
    forums = m2m_as_of(EffectMeasure, "forums", measure_records)
    measures = []
    for measure_record in measure_records:
        measure = measure_record.instance
        measure.forum_list = forums.get(measure_record.history_id, [])
        measures.append(measure)
    local_activities = records_as_of(LocalActivity.history.filter(strategy_id=strategy.pk), moment).order_by("number")
    return {
        "strategy": strategy,
        "revision": revision,
        "quotes": [r.instance for r in quotes],
        "effect_measures": measures,
        "activities": _activities_as_of(Activity.history.filter(strategy_id=strategy.pk), moment),
        "local_activities": [r.instance for r in local_activities],
    }


def activity_as_of(activity, date):
    """The activity page's content at the end of `date` for `activity` (a live Activity with its strategy and
    revision), shaped like `strategy_as_of`'s answer: {"revision": None}, {"revision": …, "activity": None},
    or the activity (with `subactivity_list`, `organisation_list`, `leader`), its strategy and the activity's
    history records up to that day ("activity_records", "subactivity_records", querysets).

    Queries (6 when the activity is in the revision of the day): the revision in force, the activity with its
    leader, its organisations, its sub-activities, its strategy; one more per revision stepped over.
    """
    record = revision_in_force_on(activity.strategy.revision.plan_id, date)
    if record is None:
        return {"revision": None}
    revision = _revision(record)
    moment = end_of_day(date)
    same = _in_revision(
        activity, record.id, lambda a: a.strategy.revision_id, Activity.objects.select_related("strategy")
    )
    found = _activities_as_of(Activity.history.filter(id=same.pk), moment) if same else []
    if not found:
        return {"revision": revision, "activity": None}
    found = found[0]
    strategy_record = records_as_of(Strategy.history.filter(id=found.strategy_id), moment).first()
    if strategy_record is None:  # only if the history was edited by hand
        return {"revision": revision, "activity": None}
    strategy = strategy_record.instance
    strategy.revision = revision
    found.strategy = strategy
    return {
        "revision": revision,
        "activity": found,
        "strategy": strategy,
        "activity_records": Activity.history.filter(id=found.pk, history_date__lt=moment),
        "subactivity_records": SubActivity.history.filter(activity_id=found.pk, history_date__lt=moment),
    }

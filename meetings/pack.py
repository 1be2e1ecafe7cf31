"""The meeting pack: what a forum reads before its meeting, built from the history as of the meeting's start,
so it reads the same afterwards. Queries are a constant number, whatever the size of the plan."""

from collections import defaultdict

from activities.changes import changes_since
from activities.models import SubActivity
from followup.measures import measure_series
from followup.models import EffectMeasureValue
from meetings.models import Decision
from meetings.scope import followed_strategy_ids, since_previous_meeting, the_plan
from plan.history import records_as_of
from plan.models import Forum
from revisions.as_of import activities_as_of, revision_as_of
from strategies.local_arenas import build_matrix
from strategies.models import EffectMeasure, LocalActivity, LocalAdoption, Strategy


def _unfinished(activity):
    return any(sub.status != SubActivity.Status.DONE for sub in activity.subactivity_list)


def _adoptions_as_of(moment, local_activity_ids, arena=None):
    records = LocalAdoption.history.filter(local_activity_id__in=local_activity_ids)
    if arena is not None:
        records = records.filter(arena_id=arena.pk)
    return {(r.arena_id, r.local_activity_id): r.instance for r in records_as_of(records, moment)}


def _measures(forum, revision_id, moment):
    measures = list(
        EffectMeasure.objects.filter(strategy__revision_id=revision_id, forums=forum)
        .select_related("strategy")
        .order_by("strategy__number", "number")
    )
    values = defaultdict(list)
    records = EffectMeasureValue.history.filter(measure_id__in=[m.pk for m in measures])
    for record in records_as_of(records, moment):
        values[record.measure_id].append(record.instance)
    for measure in measures:
        measure.series = measure_series(measure, values[measure.pk])
    return measures


def _local(forum, revision, moment, since):
    """For a local arena its own column of the matrix and its items not updated since `since`; for a county
    forum the arenas that have been silent (no update within LOCAL_ARENA_STALE_DAYS)."""
    local_activity_ids = list(LocalActivity.objects.filter(strategy__revision=revision).values_list("pk", flat=True))
    is_arena = forum.kind == Forum.Kind.LOCAL
    adoptions = _adoptions_as_of(moment, local_activity_ids, forum if is_arena else None)
    matrix = build_matrix(revision, adoptions=adoptions, now=moment)
    if not is_arena:
        return {"silent_arenas": [column for column in matrix["columns"] if column["stale"]]}
    index = next(i for i, arena in enumerate(matrix["arenas"]) if arena.pk == forum.pk)
    column = [(strategy, [row.cells[index] for row in rows]) for strategy, rows in matrix["groups"]]
    stale = [cell for _strategy, cells in column for cell in cells if not cell.updated_at or cell.updated_at < since]
    return {"arena_column": column, "arena_stale": stale}


def build_pack(meeting):
    """The pack's content for `meeting` (its forum selected): {"meeting", "previous", "since", "revision"}
    and, when a revision was in force at the meeting's start, "changes" ([(strategy, entries)]),
    "changes_cut", "late", "due", "year", "measures", "previous_decisions" and the local part (see _local)."""
    forum, moment = meeting.forum, meeting.starts_at
    previous, since = since_previous_meeting(meeting)
    pack = {"meeting": meeting, "forum": forum, "previous": previous, "since": since, "revision": None}
    plan = the_plan()
    record = plan and revision_as_of(plan.pk, moment)
    if not record:
        return pack
    revision = record.instance
    revision.plan = record.plan
    followed = followed_strategy_ids(forum, record.id)
    strategies = [
        r.instance
        for r in records_as_of(Strategy.history.filter(revision_id=record.id), moment).order_by("number")
        if followed is None or r.id in followed
    ]
    by_id = {s.pk: s for s in strategies}
    entries, cut = changes_since(revision=revision, since=since, until=moment)
    grouped = defaultdict(list)
    for entry in entries:
        if entry.strategy_id in by_id:
            grouped[entry.strategy_id].append(entry)
    activities = activities_as_of(record.id, moment, strategy_ids=list(by_id))
    year = moment.year
    for activity in activities:
        activity.strategy = by_id[activity.strategy_id]
    pack.update(
        revision=revision,
        year=year,
        strategies=strategies,
        changes=[(s, grouped[s.pk]) for s in strategies if grouped[s.pk]],
        changes_cut=cut,
        late=[a for a in activities if a.priority_end_year < year and _unfinished(a)],
        due=[a for a in activities if a.priority_end_year == year and _unfinished(a)],
        measures=_measures(forum, record.id, moment),
        previous_decisions=(
            list(Decision.objects.filter(meeting=previous).prefetch_related("subactivities")) if previous else []
        ),
        **_local(forum, revision, moment, since),
    )
    return pack

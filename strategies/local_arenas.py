"""The county matrix of the recommended local activities (rows) and the local arenas (columns)."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from plan.models import Forum
from strategies.models import LocalActivity, LocalAdoption

TAKEN_UP = {LocalAdoption.State.ADOPTED, LocalAdoption.State.IN_PROGRESS, LocalAdoption.State.DONE}
STATE_LABELS = dict(LocalAdoption.State.choices)


def stale_before(now=None):
    """Updates older than this are stale (LOCAL_ARENA_STALE_DAYS, default about six months)."""
    return (now or timezone.now()) - datetime.timedelta(days=settings.LOCAL_ARENA_STALE_DAYS)


@dataclass
class Cell:
    arena: Forum
    local_activity: LocalActivity
    state: str
    label: str
    text: str = ""
    updated_at: object = None


@dataclass
class Row:
    local_activity: LocalActivity
    cells: list = field(default_factory=list)

    @property
    def taken_up(self):
        return sum(cell.state in TAKEN_UP for cell in self.cells)

    @property
    def last_update(self):
        return max((c.updated_at for c in self.cells if c.updated_at), default=None)


def local_arenas():
    return list(Forum.objects.filter(kind=Forum.Kind.LOCAL).order_by("name"))


def build_matrix(revision, *, strategy=None, adoptions=None, now=None):
    """Rows grouped by strategy, with column totals and stale flags. `adoptions` ({(arena id, activity id):
    object with state, text, updated_at}) defaults to the current ones; a follow-up passes them as of its cut-off."""
    arenas = local_arenas()
    activities = LocalActivity.objects.filter(strategy__revision=revision).select_related("strategy")
    if strategy:
        activities = activities.filter(strategy=strategy)
    activities = list(activities.order_by("strategy__number", "number"))
    if adoptions is None:
        adoptions = {
            (a.arena_id, a.local_activity_id): a
            for a in LocalAdoption.objects.filter(local_activity__in=[la.pk for la in activities])
        }
    threshold = stale_before(now)
    groups, rows = [], []
    for activity in activities:
        row = Row(activity)
        for arena in arenas:
            adoption = adoptions.get((arena.pk, activity.pk))
            state = adoption.state if adoption else LocalAdoption.State.NOT_CONSIDERED
            row.cells.append(
                Cell(
                    arena,
                    activity,
                    state,
                    STATE_LABELS[state],
                    adoption.text if adoption else "",
                    adoption.updated_at if adoption else None,
                )
            )
        row.stale = row.last_update is None or row.last_update < threshold
        rows.append(row)
        if not groups or groups[-1][0] != activity.strategy:
            groups.append((activity.strategy, []))
        groups[-1][1].append(row)
    columns = []
    for index, arena in enumerate(arenas):
        cells = [row.cells[index] for row in rows]
        last = max((c.updated_at for c in cells if c.updated_at), default=None)
        columns.append(
            {
                "arena": arena,
                "taken_up": sum(c.state in TAKEN_UP for c in cells),
                "last_update": last,
                "stale": last is None or last < threshold,
            }
        )
    return {
        "groups": groups,
        "rows": rows,
        "columns": columns,
        "arenas": arenas,
        "stale_days": settings.LOCAL_ARENA_STALE_DAYS,
    }

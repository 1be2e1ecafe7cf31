"""Comparing two revisions of the plan: what was added, removed, changed or moved between them.

Items are matched through their `predecessor` links, walked through any revisions in between, so the two
revisions need not be adjacent (and may be given in either order). A sub-activity's status, status text
and answer are follow-up, not plan content, and are left out.

The queries do not depend on the plan's size: per kind of item one query for the items of both revisions
(plus a prefetch for many-to-many fields), and, only when the revisions are not adjacent, one for the
predecessor links across the plan.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import Activity, SubActivity
from plan.models import GuidingPrinciple, PlanRevision
from strategies.models import EffectMeasure, LocalActivity, Strategy, StrategyQuote

ADDED, REMOVED, CHANGED, MOVED = "added", "removed", "changed", "moved"
KINDS = (ADDED, REMOVED, CHANGED, MOVED)
KIND_LABELS = {
    ADDED: gettext_lazy("Added"),
    REMOVED: gettext_lazy("Removed"),
    CHANGED: gettext_lazy("Changed"),
    MOVED: gettext_lazy("Moved"),
}


@dataclass
class FieldChange:
    field: str
    old: str
    new: str
    # For text fields: [(op, text)] with op "equal", "delete" or "insert", word by word.
    diff: list | None = None


@dataclass
class Difference:
    kind: str  # ADDED, REMOVED, CHANGED or MOVED (a moved item also lists its other changes)
    item: str  # what it is: "activity", "sub-activity" …
    number: int | None
    name: str
    old: object = None
    new: object = None
    context: str = ""  # where it is, when the strategy's heading does not say it ("Activity 3: …")
    moved_from: str = ""
    moved_to: str = ""
    changes: list = field(default_factory=list)
    sort_key: tuple = ()

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]


@dataclass
class Group:
    """The differences under one heading: the plan as a whole, or one strategy (matched across the revisions)."""

    title: str
    old: object = None  # the strategy in the old revision, if any
    new: object = None  # … and in the new one
    differences: list = field(default_factory=list)

    @property
    def counts(self):
        counts = dict.fromkeys(KINDS, 0)
        for difference in self.differences:
            counts[difference.kind] += 1
        return counts

    @property
    def anchor(self):
        strategy = self.new or self.old
        return f"strategi-{strategy.number}" if strategy else "planen"


@dataclass
class Comparison:
    old: PlanRevision
    new: PlanRevision
    groups: list  # [Group]: the plan as a whole first, then the strategies in the new revision's order

    @property
    def has_differences(self):
        return any(group.differences for group in self.groups)

    @property
    def totals(self):
        totals = dict.fromkeys(KINDS, 0)
        for group in self.groups:
            for kind, n in group.counts.items():
                totals[kind] += n
        return totals


def word_diff(old, new):
    """[(op, text)]: `old` turned into `new` word by word. A word keeps the white space after it, so a
    removed word and the word added in its place stay apart, and the old (new) text is exactly the equal
    and deleted (inserted) segments."""
    a, b = re.findall(r"^\s+|\S+\s*", old), re.findall(r"^\s+|\S+\s*", new)
    segments = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            segments.append(("insert", "".join(b[j1:j2])))
    return segments


def _verbose(model, name):
    return str(model._meta.get_field(name).verbose_name)


def _names(related):
    return ", ".join(sorted(str(item) for item in related.all()))


# Per kind of item, its compared fields as (label, value getter, is free text).
def _attr(name):
    return lambda item: "" if getattr(item, name) is None else str(getattr(item, name))


def _display(name):
    return lambda item: str(getattr(item, f"get_{name}_display")())


def _fields(model, *specs):
    """[(label, getter, is_text)] from field names; a tuple spec is (label, getter, is_text) as it is."""
    text_types = ("TextField", "CharField")
    out = []
    for spec in specs:
        if isinstance(spec, tuple):
            out.append(spec)
            continue
        f = model._meta.get_field(spec)
        getter = _display(spec) if f.choices else _attr(spec)
        out.append((_verbose(model, spec), getter, f.get_internal_type() in text_types and not f.choices))
    return out


def _field_specs():
    return {
        PlanRevision: _fields(PlanRevision, "vision", "vision_text", "follow_up_text"),
        GuidingPrinciple: _fields(GuidingPrinciple, "number", "text"),
        Strategy: _fields(Strategy, "number", "name"),
        StrategyQuote: _fields(StrategyQuote, "position", "perspective", "text"),
        EffectMeasure: _fields(
            EffectMeasure,
            "number",
            "name",
            "target",
            "direction",
            "follow_up",
            "cadence",
            (_verbose(EffectMeasure, "breakdowns"), lambda m: ", ".join(str(b) for b in m.breakdowns or []), False),
            "data_source",
            (_verbose(EffectMeasure, "forums"), lambda m: _names(m.forums), False),
        ),
        LocalActivity: _fields(LocalActivity, "number", "text"),
        Activity: _fields(
            Activity,
            "number",
            "name",
            (_("priority period"), lambda a: a.priority_period, False),
            (_verbose(Activity, "responsible_organisations"), lambda a: _names(a.responsible_organisations), False),
            (_verbose(Activity, "leader"), lambda a: str(a.leader) if a.leader_id else "", False),
        ),
        # Not status, status text or answer: they are follow-up, carried over on activation.
        SubActivity: _fields(SubActivity, "number", "name", "sub_points", "measure", "target"),
    }


def _changes(specs, old, new, *, skip=()):
    changes = []
    for label, getter, is_text in specs:
        if label in skip:
            continue
        before, after = getter(old), getter(new)
        if before != after:
            changes.append(FieldChange(label, before, after, word_diff(before, after) if is_text else None))
    return changes


class _Kind:
    """The items of one model in the two revisions, and which are the same item."""

    def __init__(self, queryset, revision_path, old, new):
        self.model = queryset.model
        items = list(queryset.filter(**{f"{revision_path}__in": {old.pk, new.pk}}).annotate(_revision=F(revision_path)))
        self.old = [item for item in items if item._revision == old.pk]
        self.new = [item for item in items if item._revision == new.pk]
        parents = {item.pk: item.predecessor_id for item in items}
        adjacent = old.pk == new.pk or new.predecessor_id == old.pk or old.predecessor_id == new.pk
        if not adjacent:  # the links through the revisions in between: one query
            links = queryset.model.objects.filter(**{f"{revision_path}__plan_id": new.plan_id})
            parents.update(links.values_list("pk", "predecessor_id"))
        self.match = self._match(parents)  # {old pk: new item}
        self.matched_new = {item.pk for item in self.match.values()}

    def _match(self, parents):
        """Each item paired with its nearest ancestor in the other revision (whichever revision is the later)."""
        old_by_pk = {item.pk: item for item in self.old}
        new_by_pk = {item.pk: item for item in self.new}

        def ancestor(pk, targets):
            seen = set()
            while pk is not None and pk not in seen:
                if pk in targets:
                    return pk
                seen.add(pk)
                pk = parents.get(pk)
            return None

        match, taken = {}, set()
        for item in self.new:  # the new revision is the later one
            old_pk = ancestor(item.pk, old_by_pk)
            if old_pk is not None and old_pk not in match:
                match[old_pk] = item
                taken.add(item.pk)
        for item in self.old:  # the old revision is the later one
            new_pk = ancestor(item.pk, new_by_pk)
            if new_pk is not None and item.pk not in match and new_pk not in taken:
                match[item.pk] = new_by_pk[new_pk]
                taken.add(new_pk)
        return match

    def added(self):
        return [item for item in self.new if item.pk not in self.matched_new]

    def removed(self):
        return [item for item in self.old if item.pk not in self.match]

    def pairs(self):
        return [(item, self.match[item.pk]) for item in self.old if item.pk in self.match]


def _strategy_title(strategy):
    return _("Strategy %(number)s: %(name)s") % {"number": strategy.number, "name": strategy.name}


def _activity_title(activity):
    return _("Activity %(number)s: %(name)s") % {"number": activity.number, "name": activity.name}


def _activity_place(activity):
    return _("Strategy %(strategy)s, activity %(number)s: %(name)s") % {
        "strategy": activity.strategy.number,
        "number": activity.number,
        "name": activity.name,
    }


ORDER = [Strategy, StrategyQuote, EffectMeasure, LocalActivity, Activity, SubActivity]
# The parent whose change makes an item "moved".
PARENT_FIELD = {
    StrategyQuote: "strategy",
    EffectMeasure: "strategy",
    LocalActivity: "strategy",
    Activity: "strategy",
    SubActivity: "activity",
}


def compare_revisions(old, new):
    """The differences from revision `old` to revision `new`, as a Comparison grouped per strategy."""
    specs = _field_specs()
    kinds = {
        GuidingPrinciple: _Kind(GuidingPrinciple.objects.all(), "revision", old, new),
        Strategy: _Kind(Strategy.objects.all(), "revision", old, new),
        StrategyQuote: _Kind(StrategyQuote.objects.select_related("strategy"), "strategy__revision", old, new),
        EffectMeasure: _Kind(
            EffectMeasure.objects.select_related("strategy").prefetch_related("forums"), "strategy__revision", old, new
        ),
        LocalActivity: _Kind(LocalActivity.objects.select_related("strategy"), "strategy__revision", old, new),
        Activity: _Kind(
            Activity.objects.select_related("strategy", "leader").prefetch_related("responsible_organisations"),
            "strategy__revision",
            old,
            new,
        ),
        SubActivity: _Kind(
            SubActivity.objects.select_related("activity__strategy"), "activity__strategy__revision", old, new
        ),
    }

    whole = Group(title=_("The plan as a whole"))
    revision_changes = _changes(specs[PlanRevision], old, new)
    if revision_changes:
        whole.differences.append(
            Difference(
                CHANGED,
                str(PlanRevision._meta.verbose_name),
                None,
                "",
                old,
                new,
                changes=revision_changes,
            )
        )
    _add_differences(whole.differences.append, kinds[GuidingPrinciple], specs[GuidingPrinciple], 0)

    # One group per strategy of the new revision (with its match in the old), then the old ones removed.
    strategies = kinds[Strategy]
    old_match = {new_strategy.pk: old_pk for old_pk, new_strategy in strategies.match.items()}
    old_by_pk = {s.pk: s for s in strategies.old}
    groups, group_of_new, group_of_old = [], {}, {}
    for strategy in sorted(strategies.new, key=lambda s: s.number):
        previous = old_by_pk.get(old_match.get(strategy.pk))
        group = Group(title=_strategy_title(strategy), old=previous, new=strategy)
        groups.append(group)
        group_of_new[strategy.pk] = group
        if previous:
            group_of_old[previous.pk] = group
    for strategy in sorted(strategies.removed(), key=lambda s: s.number):
        group = group_of_old[strategy.pk] = Group(title=_strategy_title(strategy), old=strategy)
        groups.append(group)

    def place(difference):
        if difference.kind == REMOVED:
            group_of_old[_strategy_id(difference.old)].differences.append(difference)
        else:
            group_of_new[_strategy_id(difference.new)].differences.append(difference)

    for position, model in enumerate(ORDER, start=1):
        parent = kinds[Activity] if model is SubActivity else kinds[Strategy]
        _add_differences(place, kinds[model], specs[model], position, parents=None if model is Strategy else parent)
    for group in [whole, *groups]:
        group.differences.sort(key=lambda d: d.sort_key)
    return Comparison(old=old, new=new, groups=[whole, *groups])


def _strategy_id(item):
    if isinstance(item, Strategy):
        return item.pk
    if isinstance(item, SubActivity):
        return item.activity.strategy_id
    return item.strategy_id


def _describe(item):
    """(what it is, its number, its text, where it is)."""
    label = str(type(item)._meta.verbose_name)
    if isinstance(item, SubActivity):
        return label, item.number, item.name, _activity_title(item.activity)
    if isinstance(item, StrategyQuote):
        return label, item.position, item.text, item.get_perspective_display()
    if isinstance(item, GuidingPrinciple | LocalActivity):
        return label, item.number, item.text, ""
    return label, item.number, item.name, ""


def _sort_key(position, item):
    if isinstance(item, SubActivity):
        return (position, item.activity.number, item.number)
    return (position, getattr(item, "number", None) or getattr(item, "position", 0), 0)


def _parent_place(parent):
    return _activity_place(parent) if isinstance(parent, Activity) else _strategy_title(parent)


def _add_differences(add, kind, specs, position, parents=None):
    """Adds kind's differences; `parents` is the _Kind of the items' parents (strategies or activities), to tell
    the items moved to another parent."""
    for item in kind.added():
        label, number, name, context = _describe(item)
        add(Difference(ADDED, label, number, name, new=item, context=context, sort_key=_sort_key(position, item)))
    for item in kind.removed():
        label, number, name, context = _describe(item)
        add(Difference(REMOVED, label, number, name, old=item, context=context, sort_key=_sort_key(position, item)))
    parent_field = PARENT_FIELD.get(kind.model)
    for before, after in kind.pairs():
        moved_from = moved_to = ""
        if parents is not None and parent_field:
            successor = parents.match.get(getattr(before, f"{parent_field}_id"))
            if successor is None or successor.pk != getattr(after, f"{parent_field}_id"):
                moved_from = _parent_place(getattr(before, parent_field))
                moved_to = _parent_place(getattr(after, parent_field))
        # A moved item's number is its place under its new parent, which "moved to" already says.
        changes = _changes(specs, before, after, skip={_verbose(type(after), "number")} if moved_to else set())
        if not (moved_to or changes):
            continue
        label, number, name, context = _describe(after)
        add(
            Difference(
                MOVED if moved_to else CHANGED,
                label,
                number,
                name,
                old=before,
                new=after,
                context=context,
                moved_from=moved_from,
                moved_to=moved_to,
                changes=changes,
                sort_key=_sort_key(position, after),
            )
        )

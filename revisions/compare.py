"""Comparing two revisions of the plan: what was added, removed, changed or moved between them.

Items are matched through their `predecessor` links, walked through any revisions in between, so the two
revisions need not be adjacent (and may be given in either order). A sub-activity's status, status text
and answer are follow-up, not plan content, and are left out.

The queries do not depend on the plan's size: per kind of item one query for the items of both revisions
(plus one for the links of a many-to-many field compared), and, only when the revisions are not adjacent, one
for the predecessor links across the plan. The items are read and compared as rows, not model instances, which
would cost ten times as much for a plan of thousands of sub-activities; only the items a difference names are
made instances.
"""

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import Activity, SubActivity
from plan.models import GuidingPrinciple, PlanRevision, User
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
    return ", ".join(sorted(str(item) for item in related))


# Per kind of item, its compared fields as (label, value getter, is free text, what the getter reads: field
# attnames, or the name of a many-to-many field).
def _attr(name):
    return lambda item: "" if getattr(item, name) is None else str(getattr(item, name))


def _display(name):
    return lambda item: str(getattr(item, f"get_{name}_display")())


def _fields(model, *specs):
    """[(label, getter, is_text, reads)] from field names; a tuple spec is (label, getter, is_text, reads) as it is."""
    text_types = ("TextField", "CharField")
    out = []
    for spec in specs:
        if isinstance(spec, tuple):
            out.append(spec)
            continue
        f = model._meta.get_field(spec)
        getter = _display(spec) if f.choices else _attr(spec)
        out.append((_verbose(model, spec), getter, f.get_internal_type() in text_types and not f.choices, [f.attname]))
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
            (
                _verbose(EffectMeasure, "breakdowns"),
                lambda m: ", ".join(str(b) for b in m.breakdowns or []),
                False,
                ["breakdowns"],
            ),
            "data_source",
            (_verbose(EffectMeasure, "forums"), lambda m: _names(m.forum_list), False, ["forums"]),
        ),
        LocalActivity: _fields(LocalActivity, "number", "text"),
        Activity: _fields(
            Activity,
            "number",
            "name",
            (_("priority period"), lambda a: a.priority_period, False, ["priority_start_year", "priority_end_year"]),
            (
                _verbose(Activity, "responsible_organisations"),
                lambda a: _names(a.organisation_list),
                False,
                ["responsible_organisations"],
            ),
            (_verbose(Activity, "leader"), lambda a: str(a.leader) if a.leader_id else "", False, ["leader_id"]),
        ),
        # Not status, status text or answer: they are follow-up, carried over on activation.
        SubActivity: _fields(SubActivity, "number", "name", "sub_points", "measure", "target"),
    }


def _changes(specs, old, new, *, skip=()):
    changes = []
    for label, getter, is_text, _reads in specs:
        if label in skip:
            continue
        before, after = getter(old), getter(new)
        if before != after:
            changes.append(FieldChange(label, before, after, word_diff(before, after) if is_text else None))
    return changes


# The many-to-many fields compared, and the attribute that holds an item's related objects as a list.
M2M_LISTS = {EffectMeasure: ("forums", "forum_list"), Activity: ("responsible_organisations", "organisation_list")}
# The person an activity names, read with the activity: enough of the user to show their name.
LEADER_FIELDS = ["id", "username", "first_name", "last_name"]


class _Kind:
    """The items of one model in the two revisions, and which are the same item.

    The items are read as rows (values_list), their many-to-many fields in one query through the related
    table, and matched and compared on those values; a model instance is made (without a query) only for an
    item that a difference names. `parent` is the _Kind of the items the model's parent field points to
    (strategies or activities), which gives the instances their parents and the rows their order."""

    def __init__(self, model, revision_path, old, new, specs, *, parent=None):
        self.model, self.parent = model, parent
        self.parent_field = PARENT_FIELD.get(model)
        self.attnames = [f.attname for f in model._meta.concrete_fields]
        extra = [revision_path] + ([f"leader__{name}" for name in LEADER_FIELDS] if model is Activity else [])
        queryset = model._default_manager.filter(**{f"{revision_path}__in": {old.pk, new.pk}})
        self.db = queryset.db
        rows = list(queryset.order_by().values_list(*self.attnames, *extra))
        self.related = self._m2m(revision_path, {old.pk, new.pk})
        self.rows = {row[0]: row for row in rows}
        position = {name: i for i, name in enumerate(self.attnames)}
        revision = len(self.attnames)
        # The model's order (its parent's, then its number or position), as the items' Meta.ordering has it.
        order = position[model._meta.ordering[-1]]
        parent_at = position[f"{self.parent_field}_id"] if parent else None
        self.order = {
            pk: (parent.order[row[parent_at]] if parent else ()) + (row[order],) for pk, row in self.rows.items()
        }
        ordered = sorted(rows, key=lambda row: self.order[row[0]])
        self.old = [row[0] for row in ordered if row[revision] == old.pk]
        self.new = [row[0] for row in ordered if row[revision] == new.pk]
        self.parent_id = {pk: row[parent_at] for pk, row in self.rows.items()} if parent else {}
        reads = [name for _label, _getter, _is_text, names in specs for name in names]
        self.compared = {pk: self._values(row, reads, position) for pk, row in self.rows.items()}
        self._instances = {}

        parents = {pk: row[position["predecessor_id"]] for pk, row in self.rows.items()}
        adjacent = old.pk == new.pk or new.predecessor_id == old.pk or old.predecessor_id == new.pk
        if not adjacent:  # the links through the revisions in between: one query
            links = model._default_manager.filter(**{f"{revision_path}__plan_id": new.plan_id}).order_by()
            parents.update(links.values_list("pk", "predecessor_id"))
        self.match = self._match(parents)  # {old pk: new pk}
        self.matched_new = set(self.match.values())

    def _m2m(self, revision_path, revisions):
        """{item pk: [related objects]} for the model's many-to-many field compared, if any, in the related
        model's order; one query."""
        if self.model not in M2M_LISTS:
            return {}
        m2m_field = self.model._meta.get_field(M2M_LISTS[self.model][0])
        source, target = m2m_field.m2m_field_name(), m2m_field.m2m_reverse_field_name()
        ordering = [
            f"-{target}__{name[1:]}" if name.startswith("-") else f"{target}__{name}"
            for name in m2m_field.related_model._meta.ordering
        ]
        links = m2m_field.remote_field.through.objects.filter(**{f"{source}__{revision_path}__in": revisions})
        related = defaultdict(list)
        for link in links.select_related(target).order_by(*ordering, "pk"):
            related[getattr(link, f"{source}_id")].append(getattr(link, target))
        return related

    def _values(self, row, reads, position):
        """What the compared fields' getters read of the item: equal values give equal fields."""
        values = []
        for name in reads:
            if name in position:
                values.append(row[position[name]])
            else:  # the many-to-many field
                values.append(sorted(item.pk for item in self.related.get(row[0], [])))
        return values

    def _match(self, parents):
        """Each item paired with its nearest ancestor in the other revision (whichever revision is the later)."""
        old_pks, new_pks = set(self.old), set(self.new)

        def ancestor(pk, targets):
            seen = set()
            while pk is not None and pk not in seen:
                if pk in targets:
                    return pk
                seen.add(pk)
                pk = parents.get(pk)
            return None

        match, taken = {}, set()
        for pk in self.new:  # the new revision is the later one
            old_pk = ancestor(pk, old_pks)
            if old_pk is not None and old_pk not in match:
                match[old_pk] = pk
                taken.add(pk)
        for pk in self.old:  # the old revision is the later one
            new_pk = ancestor(pk, new_pks)
            if new_pk is not None and pk not in match and new_pk not in taken:
                match[pk] = new_pk
                taken.add(new_pk)
        return match

    def instance(self, pk):
        """The item as a model instance, with its parent, its many-to-many list and an activity's leader set;
        no query."""
        if pk not in self._instances:
            row = self.rows[pk]
            n = len(self.attnames)
            item = self.model.from_db(self.db, self.attnames, row[:n])
            item._revision = row[n]
            if self.parent:
                setattr(item, self.parent_field, self.parent.instance(self.parent_id[pk]))
            if self.model in M2M_LISTS:
                setattr(item, M2M_LISTS[self.model][1], self.related.get(pk, []))
            if self.model is Activity:
                leader = row[n + 1 :]
                item.leader = User.from_db(self.db, LEADER_FIELDS, leader) if item.leader_id else None
            self._instances[pk] = item
        return self._instances[pk]

    def added(self):
        return [pk for pk in self.new if pk not in self.matched_new]

    def removed(self):
        return [pk for pk in self.old if pk not in self.match]

    def pairs(self):
        return [(pk, self.match[pk]) for pk in self.old if pk in self.match]


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

    def kind(model, revision_path, parent=None):
        return _Kind(model, revision_path, old, new, specs[model], parent=parent)

    kinds = {GuidingPrinciple: kind(GuidingPrinciple, "revision")}
    strategies = kinds[Strategy] = kind(Strategy, "revision")
    for model in (StrategyQuote, EffectMeasure, LocalActivity, Activity):
        kinds[model] = kind(model, "strategy__revision", strategies)
    kinds[SubActivity] = kind(SubActivity, "activity__strategy__revision", kinds[Activity])

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
    old_match = {new_pk: old_pk for old_pk, new_pk in strategies.match.items()}
    groups, group_of_new, group_of_old = [], {}, {}
    for strategy in sorted(map(strategies.instance, strategies.new), key=lambda s: s.number):
        previous = strategies.instance(old_match[strategy.pk]) if strategy.pk in old_match else None
        group = Group(title=_strategy_title(strategy), old=previous, new=strategy)
        groups.append(group)
        group_of_new[strategy.pk] = group
        if previous:
            group_of_old[previous.pk] = group
    for strategy in sorted(map(strategies.instance, strategies.removed()), key=lambda s: s.number):
        group = group_of_old[strategy.pk] = Group(title=_strategy_title(strategy), old=strategy)
        groups.append(group)

    def place(difference):
        if difference.kind == REMOVED:
            group_of_old[_strategy_id(difference.old)].differences.append(difference)
        else:
            group_of_new[_strategy_id(difference.new)].differences.append(difference)

    for position, model in enumerate(ORDER, start=1):
        _add_differences(place, kinds[model], specs[model], position)
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


def _add_differences(add, kind, specs, position):
    """Adds kind's differences; an item whose parent (strategy or activity) is not the successor of its parent in
    the other revision is moved."""
    for item in map(kind.instance, kind.added()):
        label, number, name, context = _describe(item)
        add(Difference(ADDED, label, number, name, new=item, context=context, sort_key=_sort_key(position, item)))
    for item in map(kind.instance, kind.removed()):
        label, number, name, context = _describe(item)
        add(Difference(REMOVED, label, number, name, old=item, context=context, sort_key=_sort_key(position, item)))
    for before_pk, after_pk in kind.pairs():
        moved = kind.parent is not None and kind.parent.match.get(kind.parent_id[before_pk]) != kind.parent_id[after_pk]
        if not moved and kind.compared[before_pk] == kind.compared[after_pk]:
            continue  # the fields compared read the same values: no change
        before, after = kind.instance(before_pk), kind.instance(after_pk)
        moved_from = moved_to = ""
        if moved:
            moved_from = _parent_place(getattr(before, kind.parent_field))
            moved_to = _parent_place(getattr(after, kind.parent_field))
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

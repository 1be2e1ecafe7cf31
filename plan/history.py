"""Readable change histories from django-simple-history records, computed without a query per record."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import groupby

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from plan.language import in_plan_language

KIND_LABELS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


class IndexedHistoricalRecords(HistoricalRecords):
    """The history of a model with many rows (activities, sub-activities): its table gets an index on
    (id, history_date, history_id, history_user), so an object's newest record (`with_last_change`, once per
    row of the table and the exports) or its newest before a moment (`records_as_of`) is read from the index
    alone, not by sorting the object's records or looking up each of them."""

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        latest = models.Index(
            fields=["id", "history_date", "history_id", "history_user"], name=f"{model._meta.model_name}_hist_latest"
        )
        options["indexes"] = [*options.get("indexes", ()), latest]
        return options


def save_with_history(obj, *, user, reason, **save_kwargs):
    """Saves `obj`; its history record names `user` (None for the system) and `reason`, in the plan's
    language. Every write of plan content and follow-up goes through here."""
    obj._history_user = user
    obj._change_reason = in_plan_language(reason)
    obj.save(**save_kwargs)
    return obj


def create_all_with_history(objs, *, user, reason, batch_size=None):
    """Saves new `objs` (all of one model) in bulk, each with its creation record naming `user` and `reason` as
    save_with_history's does, in a few queries (simple-history's bulk_create_with_history); returns them with
    their primary keys."""
    if not objs:
        return []
    reason = in_plan_language(reason)
    for obj in objs:
        obj._history_user = user
        obj._change_reason = reason
    return bulk_create_with_history(
        objs, type(objs[0]), batch_size=batch_size, default_user=user, default_change_reason=reason
    )


def add_all_with_history(field_name, targets, *, user, reason, batch_size=None):
    """Adds related objects to a many-to-many field tracked by simple-history (m2m_fields) of several saved
    objects in bulk: `targets` is [(obj, [related pks])]. Each obj that gets some has the history record that
    `getattr(obj, field_name).add(…)` would give it, naming `user` and `reason`, with the links as saved with it;
    a few queries in all."""
    targets = [(obj, sorted(set(pks))) for obj, pks in targets if pks]
    if not targets:
        return
    model = type(targets[0][0])
    m2m_field = model._meta.get_field(field_name)
    through = m2m_field.remote_field.through
    source, target = m2m_field.m2m_field_name(), m2m_field.m2m_reverse_field_name()
    links = through.objects.bulk_create(
        [through(**{f"{source}_id": obj.pk, f"{target}_id": pk}) for obj, pks in targets for pk in pks],
        batch_size=batch_size,
    )
    objs = [obj for obj, _pks in targets]
    reason = in_plan_language(reason)
    for obj in objs:
        obj._history_user = user
        obj._change_reason = reason
    records = model.history.bulk_history_create(
        objs, batch_size=batch_size, update=True, default_user=user, default_change_reason=reason
    )
    record_of = {record.id: record for record in records}
    through_history = vars(model.history.model)[field_name].model
    through_history.objects.bulk_create(
        [
            through_history(
                history=record_of[getattr(link, f"{source}_id")],
                id=link.pk,
                **{f"{source}_id": getattr(link, f"{source}_id"), f"{target}_id": getattr(link, f"{target}_id")},
            )
            for link in links
        ],
        batch_size=batch_size,
    )


def delete_with_history(obj, *, user, reason):
    """Deletes `obj`; the history's deletion record names `user` and `reason`, as save_with_history does."""
    obj._history_user = user
    obj._change_reason = in_plan_language(reason)
    obj.delete()


def end_of_day(date):
    """The first instant after `date`, in the plan's time zone: "as of a day" means at the end of it."""
    return timezone.make_aware(datetime.datetime.combine(date + datetime.timedelta(days=1), datetime.time.min))


def records_as_of(records, moment):
    """Of a queryset of historical records, the newest per object saved before `moment`, leaving out objects
    deleted by then. Unlike simple-history's `latest_of_each`, two records saved in the same instant (an
    object created and its many-to-many set in one request) are told apart by their history id, so each
    object appears once; a queryset, so it can be filtered, counted or joined further."""
    records = records.filter(history_date__lt=moment)
    later = records.model._default_manager.filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id")),
        id=OuterRef("id"),
        history_date__lt=moment,
    )
    return records.filter(~Exists(later)).exclude(history_type="-")


def m2m_as_of(model, field_name, records):
    """{history_id: [related objects]} for a many-to-many field tracked by simple-history (m2m_fields), as it was
    saved with each of `records`; one query through the historical through table."""
    m2m_field = model._meta.get_field(field_name)
    through_history = vars(model.history.model)[field_name].model
    target = m2m_field.m2m_reverse_field_name()
    rows = through_history.objects.filter(history_id__in=[r.history_id for r in records]).select_related(target)
    # In the related model's own order, as the present pages list them.
    ordering = [
        f"-{target}__{name[1:]}" if name.startswith("-") else f"{target}__{name}"
        for name in m2m_field.related_model._meta.ordering
    ]
    related = defaultdict(list)
    for row in rows.order_by(*ordering, "pk"):
        related[row.history_id].append(getattr(row, target))
    return related


@dataclass
class FieldChange:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    date: object
    user: object
    kind: str
    object_label: str
    reason: str
    changes: list = field(default_factory=list)
    object_id: int = None
    history_id: int = None
    url: str = ""  # where the object's own history is, when a page lists several objects
    anchor: str = ""  # the row's id, for entries that links point at (unique on a page only per kind)
    context: str = ""  # what the object belongs to, when a page lists objects of several parents

    @property
    def kind_label(self):
        return KIND_LABELS.get(self.kind, self.kind)


def tracked_fields(model, exclude=()):
    return [f for f in model._meta.concrete_fields if not f.primary_key and f.name not in exclude]


def display_value(model_field, value, related=None):
    """A field's value as a person reads it: the label of a choice, the name of a related object."""
    if value is None or value == "":
        return "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        return str((related or {}).get(model_field.name, {}).get(value, value))
    return str(value)


def _m2m_fields(model, exclude):
    return [f for f in getattr(model.history.model, "_history_m2m_fields", []) if f.name not in exclude]


def _m2m_values(model, m2m_field, records):
    """{history_id: sorted names of the related objects} for a many-to-many field, in one query."""
    through_history = vars(model.history.model)[m2m_field.name].model
    target = m2m_field.m2m_reverse_field_name()
    rows = through_history.objects.filter(history_id__in=[r.history_id for r in records]).select_related(target)
    values = defaultdict(list)
    for row in rows:
        values[row.history_id].append(str(getattr(row, target)))
    return {history_id: ", ".join(sorted(names)) for history_id, names in values.items()}


def history_entries(records, model, *, exclude=(), label=str):
    """Turns a queryset of historical records of `model` (any objects) into entries, newest first.

    Each entry lists the fields that differ from the object's previous record, many-to-many fields
    included; a save that changed no shown field is listed too, with no field changes. Queries: the
    records with their users, one per many-to-many field, one per related model named by a foreign key.
    """
    fields = tracked_fields(model, exclude)
    m2m_fields = _m2m_fields(model, exclude)
    records = sorted(records.select_related("history_user"), key=lambda r: (r.id, r.history_date, r.history_id))
    m2m_values = {f.name: _m2m_values(model, f, records) for f in m2m_fields}
    related = {}
    for f in fields:
        if isinstance(f, models.ForeignKey):
            ids = {getattr(r, f.attname) for r in records} - {None}
            related[f.name] = f.related_model._default_manager.in_bulk(ids) if ids else {}

    entries = []
    for _object_id, object_records in groupby(records, key=lambda r: r.id):
        previous = None
        for record in object_records:
            changes = []
            if previous is not None:
                for f in fields:
                    old, new = getattr(previous, f.attname), getattr(record, f.attname)
                    if old != new:
                        changes.append(
                            FieldChange(f.verbose_name, display_value(f, old, related), display_value(f, new, related))
                        )
                for f in m2m_fields:
                    old = m2m_values[f.name].get(previous.history_id, "–")
                    new = m2m_values[f.name].get(record.history_id, "–")
                    if old != new:
                        changes.append(FieldChange(f.verbose_name, old, new))
            entries.append(
                HistoryEntry(
                    date=record.history_date,
                    user=record.history_user,
                    kind=record.history_type,
                    object_label=label(record),
                    reason=record.history_change_reason or "",
                    changes=changes,
                    object_id=record.id,
                    history_id=record.history_id,
                )
            )
            previous = record
    entries.sort(key=lambda e: e.date, reverse=True)
    return entries

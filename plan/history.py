"""Readable change histories from django-simple-history records, computed without a query per record."""

from dataclasses import dataclass, field
from itertools import groupby

from django.db import models
from django.utils.translation import gettext_lazy as _

KIND_LABELS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


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

    @property
    def kind_label(self):
        return KIND_LABELS.get(self.kind, self.kind)


def tracked_fields(model, exclude=()):
    return [f for f in model._meta.concrete_fields if not f.primary_key and f.name not in exclude]


def _display(model_field, value, related):
    if value is None or value == "":
        return "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        return str(related.get(model_field.name, {}).get(value, value))
    return str(value)


def history_entries(records, model, *, exclude=(), label=str):
    """Turns historical records of `model` (any objects, any order) into entries, newest first.

    Each entry lists the fields that differ from the object's previous record. The records should come
    with `select_related("history_user")`; related objects named by foreign keys are read with one query
    per related model.
    """
    fields = tracked_fields(model, exclude)
    records = sorted(records, key=lambda r: (r.id, r.history_date, r.history_id))
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
                            FieldChange(f.verbose_name, _display(f, old, related), _display(f, new, related))
                        )
            if previous is None or changes or record.history_type != "~" or record.history_change_reason:
                entries.append(
                    HistoryEntry(
                        date=record.history_date,
                        user=record.history_user,
                        kind=record.history_type,
                        object_label=label(record),
                        reason=record.history_change_reason or "",
                        changes=changes,
                        object_id=record.id,
                    )
                )
            previous = record
    entries.sort(key=lambda e: e.date, reverse=True)
    return entries

"""The local arenas' matrix from a sheet: the long export (one row per arena and recommended local activity,
with Arena id, Activity id, Version, State, Text and Contact person), edited and uploaded back by the arenas'
members and the plan administrators (plan/bulk.py). The rules are those of the cell's form
(strategies/forms.py) and service (strategies/services.py)."""

import tablib
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from plan.bulk import WILL_CHANGE, Change, Importer, RowResult, choice_reader, duplicate_keys
from plan.models import Forum, PlanRevision
from plan.spreadsheets import Column, SheetError, spreadsheet_safe
from plan.validators import reject_control_characters
from strategies.access import can_edit_arena
from strategies.forms import LocalAdoptionForm
from strategies.models import LocalActivity, LocalAdoption

FIELDS = ["state", "text", "contact"]
MAX_LENGTH = {name: LocalAdoptionForm.base_fields[name].max_length for name in ("text", "contact")}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _label(name):
    return LocalAdoption._meta.get_field(name).verbose_name


COLUMNS = [
    Column("arena_id", _("Arena id")),
    Column("activity_id", _("Activity id")),
    Column("version", _("Version")),
    Column("arena", _("Arena"), required=False),
    Column("strategy", _("Strategy"), required=False),
    Column("local_activity", _("Recommended local activity"), required=False),
    Column("state", _("State")),
    Column("text", _label("text")),
    Column("contact", _("Contact person")),
]


def can_upload(user, arenas):
    """Whether `user` may change the column of at least one of `arenas` (the local arenas)."""
    return any(can_edit_arena(user, arena) for arena in arenas)


def editing_export(revision, export_format, *, arenas, strategy=None, filename="lokala-arenor"):
    """The sheet for editing: a row per arena of `arenas` and recommended local activity of `revision`
    (of `strategy` only, if given), with what the arena has said and the version it was said in."""
    activities = LocalActivity.objects.filter(strategy__revision=revision).select_related("strategy")
    if strategy:
        activities = activities.filter(strategy=strategy)
    activities = list(activities.order_by("strategy__number", "number"))
    adoptions = {
        (a.arena_id, a.local_activity_id): a
        for a in LocalAdoption.objects.filter(arena__in=arenas, local_activity__in=activities)
    }
    dataset = tablib.Dataset(headers=[capfirst(str(column.label)) for column in COLUMNS])
    for arena in arenas:
        for activity in activities:
            adoption = adoptions.get((arena.pk, activity.pk))
            state = adoption.state if adoption else LocalAdoption.State.NOT_CONSIDERED
            dataset.append(
                [
                    arena.pk,
                    activity.pk,
                    _version(adoption),
                    spreadsheet_safe(arena.name),
                    spreadsheet_safe(f"{activity.strategy.number}. {activity.strategy.name}"),
                    spreadsheet_safe(activity.text),
                    str(LocalAdoption.State(state).label),
                    spreadsheet_safe(adoption.text if adoption else ""),
                    spreadsheet_safe(adoption.contact if adoption else ""),
                ]
            )
    response = HttpResponse(dataset.export(export_format), content_type=CONTENT_TYPES[export_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{export_format}"'
    return response


class LocalAdoptionImporter(Importer):
    kind = "lokala-arenor"
    title = _("Update the local arenas from a sheet")
    columns = COLUMNS

    def preview(self, user, rows, *, lock=False):
        keys = {number: (_int(values["arena_id"]), _int(values["activity_id"])) for number, values in rows}
        duplicates = duplicate_keys({number: key if all(key) else None for number, key in keys.items()})
        if duplicates:
            raise SheetError(
                _("Rows %(rows)s are about the same arena and activity; keep one of them.") % {"rows": duplicates}
            )
        arena_ids = {key[0] for key in keys.values() if key[0]}
        activity_ids = {key[1] for key in keys.values() if key[1]}
        arenas = {a.pk: a for a in Forum.objects.filter(pk__in=arena_ids, kind=Forum.Kind.LOCAL)}
        activities = {
            a.pk: a for a in LocalActivity.objects.filter(pk__in=activity_ids).select_related("strategy__revision")
        }
        adoptions = LocalAdoption.objects.filter(arena__in=arena_ids, local_activity__in=activity_ids)
        if lock:
            adoptions = adoptions.select_for_update(of=("self",))
        adoptions = {(a.arena_id, a.local_activity_id): a for a in adoptions}
        state_of = choice_reader(LocalAdoption.State.choices)
        results = []
        for number, values in rows:
            arena_id, activity_id = keys[number]
            arena, activity = arenas.get(arena_id), activities.get(activity_id)
            adoption = adoptions.get((arena_id, activity_id))
            results.append(self._row(user, number, values, arena, activity, adoption, state_of))
        return results

    def _row(self, user, number, values, arena, activity, adoption, state_of):
        label = f"{arena.short_name}: {activity.text}" if arena and activity else _unknown_label(values)
        result = RowResult(number, label)
        if arena is None:
            return result.refuse(_("There is no local arena with this Arena id."))
        if activity is None:
            return result.refuse(_("There is no recommended local activity with this Activity id."))
        if activity.strategy.revision.state != PlanRevision.State.IN_FORCE:
            return result.refuse(
                _("The recommended local activity belongs to another revision than the one in force. Export again.")
            )
        state = state_of(values["state"])
        if state is None:
            return result.refuse(_("Unknown state “%(value)s”.") % {"value": values["state"]})
        new = {"state": state, "text": values["text"], "contact": values["contact"]}
        for name in ("text", "contact"):
            if len(new[name]) > MAX_LENGTH[name]:
                return result.refuse(_("A text is longer than %(max)d characters.") % {"max": MAX_LENGTH[name]})
            try:
                reject_control_characters(new[name])
            except ValidationError as error:
                return result.refuse(" ".join(error.messages))
        if state == LocalAdoption.State.NOT_ADOPTED and not new["text"]:
            return result.refuse(_("Say why the activity is not adopted."))
        current = adoption or LocalAdoption(arena=arena, local_activity=activity)
        for name in FIELDS:
            if _lines(getattr(current, name)) != _lines(new[name]):
                before, after = getattr(current, name), new[name]
                if name == "state":
                    before, after = current.get_state_display(), LocalAdoption.State(after).label
                result.changes.append(Change(str(capfirst(_label(name))), str(before), str(after)))
        if not result.changes:
            return result  # a row as it is now needs no permission, whatever else it says
        if not can_edit_arena(user, arena):
            return result.refuse(_("You may not change this arena's column."))
        if not _same_version(values["version"], adoption):
            when = timezone.localtime(adoption.updated_at).strftime("%Y-%m-%d %H:%M") if adoption else "–"
            return result.refuse(
                _("Changed by someone else since the export (last updated %(when)s). Export again.") % {"when": when}
            )
        result.outcome, result.target, result.values = WILL_CHANGE, current, new
        return result

    def apply(self, user, results, reason):
        if not results:
            return
        PlanRevision.objects.lock_in_force(results[0].target.local_activity.strategy.revision_id)
        now = timezone.now()
        changed, created = [], []
        for result in results:
            adoption = result.target
            for name in FIELDS:
                setattr(adoption, name, result.values[name])
            adoption.updated_by, adoption.updated_at = user, now  # bulk_update does not set auto_now fields
            if adoption.pk:
                adoption.version += 1  # under the preview's row lock: a cell's form opened before is refused
                changed.append(adoption)
            else:
                created.append(adoption)
        options = {"batch_size": 500, "default_user": user, "default_change_reason": reason, "default_date": now}
        if changed:
            fields = [*FIELDS, "updated_by", "updated_at", "version"]
            bulk_update_with_history(changed, LocalAdoption, fields, **options)
        if created:
            bulk_create_with_history(created, LocalAdoption, **options)


def _version(adoption):
    """What the export writes in Version: when the arena last said something about the activity."""
    return adoption.updated_at.isoformat() if adoption else ""


def _same_version(text, adoption):
    text = (text or "").strip()
    if adoption is None or not text:
        return adoption is None and not text
    try:
        moment = parse_datetime(text)
    except ValueError:
        return False
    return moment is not None and timezone.is_aware(moment) and moment == adoption.updated_at


def _lines(text):
    """Text as compared: a spreadsheet may give back a line break typed in the form (\\r\\n) as \\n."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def _unknown_label(values):
    return f"{values['arena_id'] or '–'} / {values['activity_id'] or '–'}"


def _int(text):
    text = (text or "").strip()
    return int(text) if text.isdigit() else None

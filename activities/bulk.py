"""Delaktiviteter from a sheet: the table's export (Id, Version, Status, Status text, Answer, Comment),
edited and uploaded back by the project leaders who may change them (plan/bulk.py)."""

from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from activities.access import can_edit_activity
from activities.forms import COMMENT_MAX, STATUS_TEXT_MAX
from activities.models import SubActivity
from plan.bulk import WILL_CHANGE, Change, Importer, RowResult, choice_reader, duplicate_keys
from plan.language import in_plan_language
from plan.models import PlanRevision
from plan.spreadsheets import Column, SheetError
from plan.validators import reject_control_characters

FIELDS = ["status", "status_text", "answer"]


class SubActivityImporter(Importer):
    kind = "delaktiviteter"
    title = _("Update sub-activities from a sheet")
    columns = [
        Column("id", _("Id")),
        Column("version", _("Version")),
        Column("status", _("Status")),
        Column("status_text", _("Status text")),
        Column("answer", _("Answer")),
        Column("comment", _("Comment"), required=False),
    ]

    def preview(self, user, rows, *, lock=False):
        ids = {number: _int(values["id"]) for number, values in rows}
        duplicates = duplicate_keys(ids)
        if duplicates:
            raise SheetError(
                _("Rows %(rows)s are about the same sub-activity; keep one of them.") % {"rows": duplicates}
            )
        subactivities = SubActivity.objects.filter(pk__in=[i for i in ids.values() if i]).select_related(
            "activity__strategy__revision"
        )
        subactivities = subactivities.prefetch_related("activity__responsible_organisations")
        if lock:
            subactivities = subactivities.select_for_update(of=("self",))
        by_id = {s.pk: s for s in subactivities}
        status_of = choice_reader(SubActivity.Status.choices)
        answer_of = choice_reader(SubActivity.Answer.choices)
        return [
            self._row(user, number, values, by_id.get(ids[number]), status_of, answer_of) for number, values in rows
        ]

    def _row(self, user, number, values, sub, status_of, answer_of):
        result = RowResult(number, sub.name if sub else values["id"])
        if sub is None:
            return result.refuse(_("There is no sub-activity with this Id."))
        if sub.activity.strategy.revision.state != PlanRevision.State.IN_FORCE:
            return result.refuse(_("The sub-activity belongs to another revision than the one in force. Export again."))
        status, answer = status_of(values["status"]), answer_of(values["answer"])
        if status is None:
            return result.refuse(_("Unknown status “%(value)s”.") % {"value": values["status"]})
        if answer is None:
            return result.refuse(_("Unknown answer “%(value)s”.") % {"value": values["answer"]})
        text, comment = values["status_text"], values.get("comment", "")
        for value, limit in ((text, STATUS_TEXT_MAX), (comment, COMMENT_MAX)):
            if len(value) > limit:
                return result.refuse(_("A text is longer than %(max)d characters.") % {"max": limit})
            try:
                reject_control_characters(value)
            except ValidationError as error:
                return result.refuse(" ".join(error.messages))
        new = {"status": status, "status_text": text, "answer": answer}
        labels = {"status": sub.get_status_display, "answer": sub.get_answer_display}
        for name in FIELDS:
            if getattr(sub, name) != new[name]:
                before = labels[name]() if name in labels else getattr(sub, name)
                after = dict(SubActivity._meta.get_field(name).flatchoices).get(new[name], new[name])
                label = capfirst(SubActivity._meta.get_field(name).verbose_name)
                result.changes.append(Change(str(label), before, str(after)))
        if not result.changes:
            return result  # a row as it is now needs no permission, whatever else it says
        if not can_edit_activity(user, sub.activity):
            return result.refuse(_("You may not change this sub-activity."))
        if _int(values["version"]) != sub.version:
            return result.refuse(
                _("Changed by someone else since the export (version %(then)s, now %(now)s). Export again.")
                % {"then": values["version"] or "–", "now": sub.version}
            )
        result.outcome, result.target, result.values = WILL_CHANGE, sub, {**new, "comment": comment}
        return result

    def apply(self, user, results, reason):
        if not results:
            return
        PlanRevision.objects.lock_in_force(results[0].target.activity.strategy.revision_id)
        changed, fields = [], set()
        for result in results:
            sub = result.target
            for name in FIELDS:
                if getattr(sub, name) != result.values[name]:
                    fields.add(name)
                setattr(sub, name, result.values[name])
            sub.version += 1
            comment = result.values["comment"]
            sub._change_reason = in_plan_language(f"{comment} ({reason})" if comment else reason)
            changed.append(sub)
        bulk_update_with_history(
            changed,
            SubActivity,
            [name for name in FIELDS if name in fields] + ["version"],  # only what some row changes: fewer CASEs
            batch_size=500,
            default_user=user,
            default_change_reason=reason,
        )


def _int(text):
    text = (text or "").strip()
    return int(text) if text.isdigit() else None

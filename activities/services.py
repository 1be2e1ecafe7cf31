"""Writes to activities: each validated, atomic, and recorded in the history with the user's comment."""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from activities.models import SubActivity
from plan.models import PlanRevision

RESTORED_FIELDS = ["name", "sub_points", "status", "status_text", "measure", "target", "answer"]


class StaleVersion(Exception):
    """Someone else changed the delaktivitet after the user opened it."""

    def __init__(self, current):
        super().__init__(f"sub-activity {current.pk} is at version {current.version}")
        self.current = current


def _save_new_version(*, subactivity, user, comment, expected_version, fields):
    """Saves `fields` of `subactivity` as the version after `expected_version`, or raises StaleVersion.

    The version is checked in the UPDATE itself, which also takes the row's lock until the transaction
    ends: of two simultaneous saves from the same version, exactly one changes a row.
    """
    subactivity.version = expected_version + 1
    subactivity.full_clean()
    with transaction.atomic():
        PlanRevision.objects.lock_in_force(subactivity.activity.strategy.revision_id)
        claimed = SubActivity.objects.filter(pk=subactivity.pk, version=expected_version).update(
            version=expected_version + 1
        )
        if not claimed:
            raise StaleVersion(SubActivity.objects.get(pk=subactivity.pk))
        subactivity._change_reason = comment
        subactivity._history_user = user
        subactivity.save(update_fields=[*fields, "version"])
    return subactivity


def subactivity_update_status(*, subactivity, user, status, text, answer, comment, expected_version):
    subactivity.status = status
    subactivity.status_text = text
    subactivity.answer = answer
    return _save_new_version(
        subactivity=subactivity,
        user=user,
        comment=comment,
        expected_version=expected_version,
        fields=["status", "status_text", "answer"],
    )


def subactivity_restore(*, subactivity, user, record, comment, expected_version):
    """Brings back the content of an earlier historical record, as a new change of its own."""
    for field in RESTORED_FIELDS:
        setattr(subactivity, field, getattr(record, field))
    # The reason is stored, so it is written in the plan's language whatever the user reads the UI in.
    with translation.override(settings.LANGUAGE_CODE):
        when = formats.date_format(timezone.localtime(record.history_date), "SHORT_DATETIME_FORMAT")
        reason = _("Restored to the version of %(when)s") % {"when": when}
    return _save_new_version(
        subactivity=subactivity,
        user=user,
        comment=f"{reason}: {comment}" if comment else reason,
        expected_version=expected_version,
        fields=RESTORED_FIELDS,
    )


def subactivity_raise_version(subactivity):
    """Gives an edit made elsewhere (the admin) a new version, so a status form opened before it is refused."""
    SubActivity.objects.filter(pk=subactivity.pk).update(version=F("version") + 1)
    subactivity.version = SubActivity.objects.values_list("version", flat=True).get(pk=subactivity.pk)

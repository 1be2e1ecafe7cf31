"""Writes to activities: each validated, atomic, and recorded in the history with the user's comment."""

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from activities.models import SubActivity
from plan.history import save_with_history
from plan.language import in_plan_language, plan_language
from plan.models import PlanRevision

RESTORED_FIELDS = ["name", "sub_points", "status", "status_text", "measure", "target", "answer", "evidence_url"]


class StaleVersion(Exception):
    """Someone else changed the sub-activity after the user opened it."""

    def __init__(self, current):
        super().__init__(f"sub-activity {current.pk} is at version {current.version}")
        self.current = current


def _save_new_version(*, subactivity, user, comment, expected_version, fields):
    """Saves `fields` of `subactivity` as the version after `expected_version`, or raises StaleVersion.

    The version is checked in the UPDATE itself, which also takes the row's lock until the transaction
    ends: of two simultaneous saves from the same version, exactly one changes a row.
    """
    subactivity.full_clean()
    with transaction.atomic():
        PlanRevision.objects.lock_in_force(subactivity.activity.strategy.revision_id)
        if not subactivity.raise_version(expected=expected_version):
            raise StaleVersion(SubActivity.objects.get(pk=subactivity.pk))
        save_with_history(subactivity, user=user, reason=comment, update_fields=[*fields, "version"])
    return subactivity


def subactivity_update_status(*, subactivity, user, status, text, answer, comment, expected_version, evidence_url=None):
    """Saves a new status, status text and answer; `evidence_url` ("" to remove it) is left as it is when None.
    An invalid value (a malformed evidence link) raises ValidationError and saves nothing."""
    subactivity.status = status
    subactivity.status_text = text
    subactivity.answer = answer
    fields = ["status", "status_text", "answer"]
    if evidence_url is not None:
        subactivity.evidence_url = evidence_url
        fields.append("evidence_url")
    return _save_new_version(
        subactivity=subactivity,
        user=user,
        comment=comment,
        expected_version=expected_version,
        fields=fields,
    )


def subactivity_restore(*, subactivity, user, record, comment, expected_version):
    """Brings back the content of an earlier historical record, as a new change of its own."""
    for field in RESTORED_FIELDS:
        setattr(subactivity, field, getattr(record, field))
    with plan_language():
        when = formats.date_format(timezone.localtime(record.history_date), "SHORT_DATETIME_FORMAT")
    reason = in_plan_language(_("Restored to the version of %(when)s"), when=when)
    return _save_new_version(
        subactivity=subactivity,
        user=user,
        comment=f"{reason}: {comment}" if comment else reason,
        expected_version=expected_version,
        fields=RESTORED_FIELDS,
    )


def subactivity_raise_version(subactivity):
    """Gives an edit made elsewhere (the admin) a new version, so a status form opened before it is refused."""
    subactivity.raise_version()

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from activities.models import SubActivity
from plan.models import Forum


class MeetingQuerySet(models.QuerySet):
    def held(self):
        return self.filter(cancelled=False)

    def previous_to(self, meeting):
        """The forum's meeting held before `meeting` (or None)."""
        return (
            self.held()
            .filter(forum_id=meeting.forum_id, starts_at__lt=meeting.starts_at)
            .order_by("-starts_at")
            .first()
        )


class Meeting(models.Model):
    """A forum's meeting: when and where, and its minutes (notes and decisions)."""

    forum = models.ForeignKey(Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts"))
    place = models.CharField(_("place or link"), max_length=300, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "starts_at"],
                name="one_meeting_per_forum_and_time",
                violation_error_message=_("The forum already has a meeting at that time."),
            ),
        ]

    def __str__(self):
        return f"{self.forum} {self.starts_at:%Y-%m-%d}"


class Decision(models.Model):
    """A decision in a meeting's minutes; it shows in each delaktivitet it names, beside its history."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    subactivities = models.ManyToManyField(
        SubActivity, verbose_name=_("sub-activities concerned"), blank=True, related_name="decisions"
    )
    history = HistoricalRecords(m2m_fields=[subactivities])

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "pk"]

    def __str__(self):
        return self.text[:80]


class NotificationKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder")
    MEETING_PACK = "meeting_pack", _("Meeting pack")


class SentNotification(models.Model):
    """A message sent about a meeting. The unique constraint makes sending idempotent: the row is written
    in the transaction that sends, so a message is recorded only once it has been handed to the mail server,
    and a second run (or a second server) sending the same one fails on the constraint instead."""

    Kind = NotificationKind

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    item_count = models.PositiveIntegerField(_("items"), default=0)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("sent notification")
        verbose_name_plural = _("sent notifications")
        constraints = [
            models.UniqueConstraint(fields=["kind", "meeting", "recipient"], name="one_notification_per_meeting"),
            models.CheckConstraint(
                condition=models.Q(kind__in=NotificationKind.values), name="notification_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.recipient} ({self.meeting})"

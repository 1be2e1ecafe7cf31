from django import forms
from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from meetings.models import Decision, Meeting, SentNotification
from plan.admin import PlanAdminAccess


class DecisionInline(PlanAdminAccess, admin.StackedInline):
    model = Decision
    extra = 0
    filter_horizontal = ["subactivities"]


@admin.register(Meeting)
class MeetingAdmin(PlanAdminAccess, SimpleHistoryAdmin):
    # One labelled date-and-time field instead of the admin's two unlabelled ones.
    formfield_overrides = {
        models.DateTimeField: {"widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}
    }
    list_display = ["starts_at", "forum", "place", "cancelled"]
    list_filter = ["forum", "cancelled"]
    date_hierarchy = "starts_at"
    inlines = [DecisionInline]


@admin.register(SentNotification)
class SentNotificationAdmin(PlanAdminAccess, admin.ModelAdmin):
    """What was sent, for answering "did I get the reminder?"; written only by send_reminders."""

    list_display = ["sent_at", "kind", "meeting", "recipient", "item_count"]
    list_filter = ["kind"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

from django.contrib import admin

from activities.models import Activity, SubActivity
from plan.admin import ContentAdmin, ContentInline


class SubActivityInline(ContentInline):
    model = SubActivity
    fields = ["number", "name", "status", "status_text", "measure", "target", "answer"]


@admin.register(Activity)
class ActivityAdmin(ContentAdmin):
    list_display = ["name", "strategy", "priority_start_year", "priority_end_year", "leader"]
    list_filter = ["strategy__revision", "strategy", "responsible_organisations"]
    search_fields = ["name"]
    filter_horizontal = ["responsible_organisations"]
    inlines = [SubActivityInline]


@admin.register(SubActivity)
class SubActivityAdmin(ContentAdmin):
    list_display = ["name", "activity", "status", "answer"]
    list_filter = ["status", "answer", "activity__strategy"]
    search_fields = ["name", "status_text", "measure"]

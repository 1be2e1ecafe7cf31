import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from plan.spreadsheets import spreadsheet_safe
from plan.templatetags.ui import status_css


class SubActivityTable(tables.Table):
    """All sub-activities; `value_*` methods give the plain values used in the CSV/XLSX exports."""

    strategy = tables.Column(_("Strategy"), accessor="activity__strategy__number")
    activity = tables.Column(_("Activity"), accessor="activity__name")
    name = tables.Column(_("Sub-activity"))
    priority = tables.Column(_("Priority"), accessor="activity__priority_end_year")
    responsible = tables.Column(_("Responsible organisations"), empty_values=(), orderable=False)
    status = tables.Column(_("Status"))
    status_text = tables.Column(_("Status text"))
    answer = tables.Column(_("Answer"))
    late = tables.Column(_("Late"), accessor="activity_is_late")
    last_changed_at = tables.Column(_("Last changed"))
    # For the sheet's way back (activities/bulk.py): which row is which, and a comment for the history.
    id = tables.Column(_("Id"), accessor="pk", visible=False)
    version = tables.Column(_("Version"), visible=False)
    comment = tables.Column(_("Comment"), empty_values=(), visible=False, orderable=False)

    class Meta:
        template_name = "django_tables2/bootstrap5.html"
        attrs = {"class": "table table-sm table-striped align-top"}

    def order_strategy(self, queryset, is_descending):
        prefix = "-" if is_descending else ""
        return queryset.order_by(f"{prefix}activity__strategy__number", "activity__number", "number"), True

    def order_activity(self, queryset, is_descending):
        prefix = "-" if is_descending else ""
        return queryset.order_by(f"{prefix}activity__name", "number"), True

    def render_strategy(self, record):
        strategy = record.activity.strategy
        return f"{strategy.number}. {strategy.name}"

    value_strategy = render_strategy

    def render_activity(self, record):
        return format_html(
            '<a href="{}">{}</a>', reverse("activity_detail", args=[record.activity_id]), record.activity.name
        )

    def value_activity(self, record):
        return spreadsheet_safe(record.activity.name)

    def render_name(self, record):
        return format_html('<a href="{}">{}</a>', reverse("subactivity_history", args=[record.pk]), record.name)

    def value_name(self, record):
        return spreadsheet_safe(record.name)

    def value_status_text(self, value):
        return spreadsheet_safe(value)

    def render_priority(self, record):
        return record.activity.priority_period

    value_priority = render_priority

    def render_responsible(self, record):
        return ", ".join(o.name for o in record.activity.responsible_organisations.all()) or "–"

    def value_responsible(self, record):
        return spreadsheet_safe(", ".join(o.name for o in record.activity.responsible_organisations.all()))

    def render_status(self, record):
        # The markup of includes/_status_badge.html, without a template render per row.
        return format_html(
            '<span class="badge status-badge {}">{}</span>', status_css(record.status), record.get_status_display()
        )

    def value_status(self, record):
        return record.get_status_display()

    def render_answer(self, record):
        return record.get_answer_display()

    value_answer = render_answer

    def render_late(self, value):
        return _("Yes") if value else _("No")

    value_late = render_late

    def render_last_changed_at(self, value):
        return date_format(localtime(value), "Y-m-d") if value else "–"

    def value_comment(self, record):
        return ""

    def value_last_changed_at(self, value):
        return date_format(localtime(value), "Y-m-d H:i") if value else ""

import django_tables2 as tables
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django_tables2.utils import Accessor, signature

from plan.spreadsheets import spreadsheet_safe
from plan.templatetags.ui import status_badge


class SubActivityTable(tables.Table):
    """All sub-activities; `value_*` methods give the plain values used in the CSV/XLSX exports. Each record's
    activity has its responsible organisations prefetched as `organisation_list`."""

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

    def as_values(self, exclude_columns=None):
        """The CSV and XLSX exports' rows as django-tables2 gives them (the header, then per record each column's
        value_/render_ method on its value, a choice's label, None for an empty value), with the accessor, the
        choice and the method's arguments worked out once per column rather than for each cell: 0.1 ms a cell,
        5 s for the 3,500 sub-activities of the 100× plan."""
        exclude_columns = exclude_columns or ()
        columns = [
            column
            for column in self.columns.iterall()
            if not (column.column.exclude_from_export or column.name in exclude_columns)
        ]
        cells = [self._cell_value(column) for column in columns]
        if None in cells:
            yield from super().as_values(exclude_columns)
            return
        yield [force_str(column.header, strings_only=True) for column in columns]
        for record in self.data:
            yield [force_str(cell(record), strings_only=True) for cell in cells]

    def _cell_value(self, bound_column):
        """BoundRow.get_cell_value(name) of one column, as a function of the record; None for a method that
        takes more than the value, the record, the column and the table."""
        method = bound_column.value
        if method == bound_column.column.value and type(bound_column.column).value is tables.Column.value:
            method = bound_column.column.render  # Column.value only hands its arguments on to render
        arguments, catch_all = signature(method)
        column_arguments = {"column": bound_column.column, "bound_column": bound_column, "table": self}
        if catch_all or not set(arguments) <= {"value", "record", *column_arguments}:
            return None
        *path, name = Accessor(bound_column.accessor).bits
        field = Accessor(bound_column.accessor).get_field(self.data.model)
        getter = f"get_{name}_display" if getattr(field, "choices", None) else name
        empty_values = bound_column.column.empty_values

        def cell(record):
            value = record
            try:
                for step in path:
                    value = getattr(value, step)
                value = getattr(value, getter)
                value = value() if getter != name else value
            except AttributeError:  # as django-tables2 does: an attribute the record lacks is None
                value = None
            if value in empty_values:
                return None
            given = {"value": value, "record": record, **column_arguments}
            return method(**{argument: given[argument] for argument in arguments})

        return cell

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
        return ", ".join(o.name for o in record.activity.organisation_list) or "–"

    def value_responsible(self, record):
        return spreadsheet_safe(", ".join(o.name for o in record.activity.organisation_list))

    def render_status(self, record):
        return status_badge(record.status, record.get_status_display())

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

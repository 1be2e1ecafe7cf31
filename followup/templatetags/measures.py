from django import template

from followup.measures import format_value

register = template.Library()


@register.filter
def measure_value(value, measure):
    """{{ value|measure_value:measure }}: the value with its measure's unit and decimals."""
    return format_value(measure, value)

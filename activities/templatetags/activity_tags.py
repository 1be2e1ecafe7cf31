from django import template

from activities.access import can_edit_activity

register = template.Library()


@register.filter
def editable_by(activity, user):
    """The same rule the views check (activities.access.can_edit_activity)."""
    return can_edit_activity(user, activity)

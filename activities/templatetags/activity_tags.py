from django import template

from activities.access import can_edit_activity

register = template.Library()

# Bootstrap's text-bg-* classes pair each background with a text colour of sufficient contrast.
# The status is always written out as text too; the colour only repeats it.
STATUS_CSS = {
    "ej_paborjat": "text-bg-secondary",
    "uppdrag_behovs": "text-bg-danger",
    "avvaktar": "text-bg-warning",
    "pagar": "text-bg-primary",
    "ingar_i_annat": "text-bg-info",
    "klar": "text-bg-success",
    "ej_angiven": "text-bg-light border",
}


@register.filter
def status_css(status):
    return STATUS_CSS.get(str(status), "text-bg-light border")


@register.filter
def editable_by(activity, user):
    return can_edit_activity(user, activity)


ADOPTION_CSS = {
    "ej_behandlad": "text-bg-light border",
    "antagen": "text-bg-info",
    "ej_antagen": "text-bg-warning",
    "pagar": "text-bg-primary",
    "klar": "text-bg-success",
}


@register.filter
def adoption_css(state):
    return ADOPTION_CSS.get(str(state), "text-bg-light border")

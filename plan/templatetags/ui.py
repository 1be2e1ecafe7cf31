"""Template filters shared by every app's pages: the colours of status badges, and the badge itself."""

from django import template
from django.utils.html import format_html

register = template.Library()

# Bootstrap's text-bg-* classes pair each background with a text colour of sufficient contrast.
# The status is always written out as text too; the colour only repeats it.
NEUTRAL = "text-bg-light border"

# Sub-activity statuses (activities.models.SubActivityStatus).
STATUS_CSS = {
    "ej_paborjat": "text-bg-secondary",
    "uppdrag_behovs": "text-bg-danger",
    "avvaktar": "text-bg-warning",
    "pagar": "text-bg-primary",
    "ingar_i_annat": "text-bg-info",
    "klar": "text-bg-success",
    "ej_angiven": NEUTRAL,
}

# Local adoption states (strategies.models.AdoptionState).
ADOPTION_CSS = {
    "ej_behandlad": NEUTRAL,
    "antagen": "text-bg-info",
    "ej_antagen": "text-bg-warning",
    "pagar": "text-bg-primary",
    "klar": "text-bg-success",
}


@register.filter
def status_css(status):
    return STATUS_CSS.get(str(status), NEUTRAL)


@register.simple_tag
def status_badge(status, label):
    """A sub-activity status as a badge, its text and its colour (includes/_status_badge.html is this tag): a
    tag rather than an include on pages with a row per sub-activity, where an include's render is what costs."""
    return format_html('<span class="badge status-badge {}">{}</span>', status_css(status), label)


@register.filter
def adoption_css(state):
    return ADOPTION_CSS.get(str(state), NEUTRAL)

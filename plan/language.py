"""The plan's language (LANGUAGE_CODE): what is stored in the plan's history and printed in its reports is
written in it, whatever language the user reads the pages in."""

from django.conf import settings
from django.utils import translation


def plan_language():
    """A context in which gettext translates into the plan's language."""
    return translation.override(settings.LANGUAGE_CODE)


def in_plan_language(message, **params):
    """`message` (a gettext_lazy string, or a person's own words) in the plan's language; `params` fill its
    placeholders."""
    with plan_language():
        text = str(message)
    return text % params if params else text

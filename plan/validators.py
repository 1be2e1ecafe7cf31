import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALLOWED_CONTROL_CHARACTERS = {"\n", "\r", "\t"}


def reject_control_characters(value):
    """Text typed by a person has no control characters but line breaks and tabs."""
    if any(unicodedata.category(c) == "Cc" and c not in ALLOWED_CONTROL_CHARACTERS for c in value):
        raise ValidationError(
            _("The text contains invisible control characters. Remove them, for example by typing the text again."),
            code="control_characters",
        )

import datetime
import re

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from plan.models import User
from plan.validators import reject_control_characters


class DateInput(forms.DateInput):
    """A native date input. Its value is an ISO date or nothing: a browser empties any other value (HTML's value
    sanitisation), so a date that came back invalid with its error message is sent empty, as it would show."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")

    def format_value(self, value):
        value = super().format_value(value)
        if not value or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return None
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return None
        return value


class AccessibleFormMixin:
    """Bootstrap classes, and the help text and errors tied to their field for screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe_fields()

    def describe_fields(self):
        """Sets classes and help-text descriptions; a form that changes its fields after __init__ calls it again."""
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.RadioSelect):
                # The group's fieldset carries the description (includes/_field.html), not each radio.
                widget.attrs["class"] = "form-check-input"
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            else:
                widget.attrs["class"] = "form-control"
            if field.help_text:
                widget.attrs["aria-describedby"] = f"{self.auto_id % name}_help"

    def full_clean(self):
        super().full_clean()
        self.describe_errors()

    def describe_errors(self):
        """Marks the fields with errors invalid and ties their messages to them; a view that adds an error after
        validation calls it again."""
        for name in self.errors:
            if name not in self.fields or isinstance(self.fields[name].widget, (forms.HiddenInput, forms.RadioSelect)):
                continue
            attrs = self.fields[name].widget.attrs
            attrs["aria-invalid"] = "true"
            classes = attrs.get("class", "").split()
            attrs["class"] = " ".join([*classes, "is-invalid"] if "is-invalid" not in classes else classes)
            error_id = f"{self.auto_id % name}_error"
            described = attrs.get("aria-describedby", "").split()
            attrs["aria-describedby"] = " ".join([*described, error_id] if error_id not in described else described)


class TextField(forms.CharField):
    """Free text typed by a person: a length limit, no control characters, a text area."""

    def __init__(self, *, max_length, rows, **kwargs):
        super().__init__(
            max_length=max_length,
            validators=[reject_control_characters],
            widget=forms.Textarea(attrs={"rows": rows}),
            **kwargs,
        )


class PasswordResetForm(AccessibleFormMixin, auth_forms.PasswordResetForm):
    """Django's request for a reset link; the e-mail is written in the account's language (Swedish unless the
    user chose another on the settings page), whatever language the page was read in."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        with translation.override(context["user"].language or settings.LANGUAGE_CODE):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class SetPasswordForm(AccessibleFormMixin, auth_forms.SetPasswordForm):
    """The new password chosen through a reset link."""


class NotificationSettingsForm(AccessibleFormMixin, forms.ModelForm):
    """A user's own choices for the application's e-mail to them."""

    class Meta:
        model = User
        fields = ["email", "language", "reminder_emails", "meeting_pack_emails"]
        help_texts = {"email": _("The application's e-mail to you goes to this address.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = _("The application's default (%(language)s)") % {
            "language": dict(settings.LANGUAGES)[settings.LANGUAGE_CODE]
        }
        self.fields["language"].choices = [("", default), *settings.LANGUAGES]

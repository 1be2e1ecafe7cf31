from django import forms

from plan.validators import reject_control_characters


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
        for name in self.errors:
            if name not in self.fields or isinstance(self.fields[name].widget, (forms.HiddenInput, forms.RadioSelect)):
                continue
            attrs = self.fields[name].widget.attrs
            attrs["aria-invalid"] = "true"
            attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
            error_id = f"{self.auto_id % name}_error"
            attrs["aria-describedby"] = f"{attrs.get('aria-describedby', '')} {error_id}".strip()


class TextField(forms.CharField):
    """Free text typed by a person: a length limit, no control characters, a text area."""

    def __init__(self, *, max_length, rows, **kwargs):
        super().__init__(
            max_length=max_length,
            validators=[reject_control_characters],
            widget=forms.Textarea(attrs={"rows": rows}),
            **kwargs,
        )

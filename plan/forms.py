from django import forms


class AccessibleFormMixin:
    """Bootstrap classes, and the help text and errors tied to their field for screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe_fields()

    def describe_fields(self):
        """Sets the classes and descriptions; a form that changes its fields after __init__ calls it again."""
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
            described_by = []
            if field.help_text:
                described_by.append(f"{self.auto_id % name}_help")
            if self.is_bound and name in self.errors:
                described_by.append(f"{self.auto_id % name}_error")
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["class"] += " is-invalid"
            if described_by:
                widget.attrs["aria-describedby"] = " ".join(described_by)

from django import forms
from django.utils.translation import gettext_lazy as _

from plan.forms import AccessibleFormMixin
from plan.models import PlanRevision
from plan.validators import reject_control_characters
from strategies.models import LocalAdoption, Strategy
from strategies.services import NEW_CELL


class LocalAdoptionForm(AccessibleFormMixin, forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=LocalAdoption.State.choices)
    text = forms.CharField(
        label=_("How it goes, or why it is not adopted"),
        required=False,
        max_length=3000,
        validators=[reject_control_characters],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact = forms.CharField(
        label=_("Contact person"), required=False, max_length=200, validators=[reject_control_characters]
    )
    # The cell's version when the form was opened (LocalAdoption.version; 0 when it had no row yet).
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            key: _("The page was out of date or altered. Open the cell again from the matrix.")
            for key in ("required", "invalid", "min_value")
        },
    )

    @classmethod
    def for_adoption(cls, adoption):
        """The form opened at the cell as it is (`adoption` None: the cell has no row yet)."""
        if adoption is None:
            return cls(initial={"version": NEW_CELL})
        fields = ("state", "text", "contact", "version")
        return cls(initial={name: getattr(adoption, name) for name in fields})

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("state") == LocalAdoption.State.NOT_ADOPTED and not cleaned.get("text"):
            self.add_error("text", _("Say why the activity is not adopted."))
        return cleaned


class MatrixFilterForm(AccessibleFormMixin, forms.Form):
    strategy = forms.ModelChoiceField(
        label=_("Strategy"),
        required=False,
        empty_label=_("All strategies"),
        queryset=Strategy.objects.filter(revision__state=PlanRevision.State.IN_FORCE),
    )


class ArenaLocalActivityForm(AccessibleFormMixin, forms.Form):
    strategy = forms.ModelChoiceField(
        label=_("Strategy"), queryset=Strategy.objects.filter(revision__state=PlanRevision.State.IN_FORCE)
    )
    name = forms.CharField(label=_("Activity"), max_length=500, validators=[reject_control_characters])
    state = forms.ChoiceField(
        label=_("State"), choices=LocalAdoption.State.choices, initial=LocalAdoption.State.IN_PROGRESS
    )
    text = forms.CharField(
        label=_("How it goes"),
        required=False,
        max_length=3000,
        validators=[reject_control_characters],
        widget=forms.Textarea(attrs={"rows": 2}),
    )

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from followup.models import EffectMeasureValue, FollowUp, Half
from plan.forms import AccessibleFormMixin, DateInput, TextField
from plan.validators import reject_control_characters
from strategies.models import EffectMeasure

DEFAULT_SINCE_DAYS = 14


class SinceForm(AccessibleFormMixin, forms.Form):
    since = forms.DateField(
        label=_("Changes since"),
        widget=DateInput(),
        help_text=_("For example the date of the last meeting."),
    )

    @staticmethod
    def default():
        return timezone.localdate() - datetime.timedelta(days=DEFAULT_SINCE_DAYS)

    def since_date(self):
        return self.cleaned_data["since"] if self.is_valid() else self.default()


class EffectMeasureValueForm(AccessibleFormMixin, forms.ModelForm):
    """A value for one period and breakdown. A number, or ja/nej for a yes/no measure."""

    yes_no = forms.TypedChoiceField(
        label=_("Yes or no"),
        choices=[("True", _("Yes")), ("False", _("No"))],
        coerce=lambda v: v == "True",
        widget=forms.RadioSelect,
    )
    note = TextField(label=_("Note"), required=False, max_length=2000, rows=2)

    class Meta:
        model = EffectMeasureValue
        fields = ["year", "half", "organisation", "breakdown", "value", "yes_no", "source", "note", "is_example"]

    def __init__(self, *args, measure, **kwargs):
        self.measure = measure
        super().__init__(*args, **kwargs)
        self.instance.measure = measure
        if measure.direction == EffectMeasure.Direction.YES_NO:
            del self.fields["value"]
        else:
            del self.fields["yes_no"]
            self.fields["value"].required = True
        if measure.cadence == EffectMeasure.Cadence.YEARLY:
            self.fields["half"].choices = [(Half.WHOLE_YEAR, Half.WHOLE_YEAR.label)]
        if measure.breakdowns:
            self.fields["breakdown"] = forms.ChoiceField(
                label=_("Breakdown"), choices=[(b, b) for b in measure.breakdowns]
            )
        else:
            del self.fields["breakdown"]
        if measure.per_organisation:
            self.fields["organisation"].empty_label = _("The county as a whole")
        else:
            del self.fields["organisation"]
        self.fields["year"].widget.attrs.update(min=2000, max=2100)
        self.fields["source"].validators.append(reject_control_characters)
        self.fields["source"].help_text = _("Where the figure comes from, for example %(source)s.") % {
            "source": measure.data_source or "Kolada"
        }
        self.describe_fields()

    def validate_unique(self):
        # The measure and the breakdown are not fields of every form, but the one-value-per-period rule is theirs.
        exclude = self._get_validation_exclusions() - {"measure", "breakdown", "organisation"}
        try:
            self.instance.validate_constraints(exclude=exclude)
        except ValidationError as error:
            self._update_errors(error)


class OpenFollowUpForm(AccessibleFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def clean(self):
        cleaned = super().clean()
        year, cut_off = cleaned.get("year"), cleaned.get("cut_off")
        if year and cut_off and cut_off.year != year:
            self.add_error("cut_off", _("The cut-off date must lie in the follow-up's year."))
        return cleaned

    half = forms.TypedChoiceField(
        label=_("Period"), coerce=int, choices=FollowUp._meta.get_field("half").choices, initial=Half.WHOLE_YEAR
    )
    cut_off = forms.DateField(
        label=_("Cut-off date"),
        widget=DateInput(),
        help_text=_("Statuses are shown as they were at the end of this day, for example 31 December."),
    )


class FollowUpTextsForm(AccessibleFormMixin, forms.Form):
    """The overall summary and, per strategy, what went well, what is late and why, and what comes next."""

    FIELDS = [
        ("went_well", _("What went well")),
        ("late_and_why", _("What is late, and why")),
        ("next_steps", _("What comes next")),
    ]

    summary = TextField(label=_("Overall summary"), required=False, max_length=10000, rows=5)

    def __init__(self, *args, followup, strategies, arenas=(), **kwargs):
        narratives = {n.strategy_id: n for n in followup.narratives.all()}
        arena_texts = {n.arena_id: n.text for n in followup.arena_narratives.all()}
        initial = {"summary": followup.summary}
        super().__init__(*args, initial=initial, **kwargs)
        self.strategies = strategies
        self.arenas = arenas
        for arena in arenas:
            self.fields[f"a{arena.pk}"] = TextField(label=arena.short_name, required=False, max_length=3000, rows=2)
            self.initial[f"a{arena.pk}"] = arena_texts.get(arena.pk, "")
        for strategy in strategies:
            narrative = narratives.get(strategy.pk)
            for key, label in self.FIELDS:
                name = f"s{strategy.pk}_{key}"
                self.fields[name] = TextField(label=label, required=False, max_length=5000, rows=3)
                self.initial[name] = getattr(narrative, key) if narrative else ""
        self.describe_fields()

    def strategy_fields(self):
        return [(s, [self[f"s{s.pk}_{key}"] for key, _label in self.FIELDS]) for s in self.strategies]

    def arena_fields(self):
        return [self[f"a{arena.pk}"] for arena in self.arenas]

    def arena_narratives(self):
        return {arena: self.cleaned_data[f"a{arena.pk}"] for arena in self.arenas}

    def narratives(self):
        return {s: {key: self.cleaned_data[f"s{s.pk}_{key}"] for key, _label in self.FIELDS} for s in self.strategies}


class UnlockForm(AccessibleFormMixin, forms.Form):
    reason = TextField(label=_("Why it is unlocked"), max_length=1000, rows=2)


class CommentForm(AccessibleFormMixin, forms.Form):
    text = TextField(label=_("Your comment"), max_length=5000, rows=3)

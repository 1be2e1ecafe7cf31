"""Forms for starting a plan revision, editing its draft, and choosing the day whose plan to show."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, SubActivity
from plan.forms import AccessibleFormMixin, DateInput
from plan.models import PlanRevision
from plan.validators import reject_control_characters
from strategies.models import EffectMeasure, LocalActivity, Strategy


class StartRevisionForm(AccessibleFormMixin, forms.Form):
    label = forms.CharField(
        label=_("Label"),
        max_length=50,
        validators=[reject_control_characters],
        help_text=_("For example the first year the revision covers."),
    )
    in_force_from = forms.DateField(
        label=_("In force from"),
        widget=DateInput(),
        help_text=_(
            "The draft is put in force on this day, or earlier by hand. The next revision is due three years later."
        ),
    )

    def __init__(self, *args, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        if PlanRevision.objects.filter(plan_id=self.current.plan_id, label=label).exists():
            raise forms.ValidationError(_("The plan already has a revision with this label."))
        return label

    def clean_in_force_from(self):
        date = self.cleaned_data["in_force_from"]
        if date <= self.current.in_force_from:
            raise forms.ValidationError(_("The new revision must come into force after the revision in force did."))
        if date < timezone.localdate():
            raise forms.ValidationError(
                _("Give today's date or a later one. A draft can be put in force by hand at any time.")
            )
        if date.year > timezone.localdate().year + 10:
            raise forms.ValidationError(_("Give a date within the next ten years."))
        return date


class DraftForm(AccessibleFormMixin, forms.ModelForm):
    """An item of a draft revision; the choices of parent are limited to the draft."""

    def __init__(self, *args, revision, **kwargs):
        super().__init__(*args, **kwargs)
        self.revision = revision
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators.append(reject_control_characters)


class RevisionDraftForm(DraftForm):
    """The draft revision's own fields: its label, dates, målbild and texts."""

    class Meta:
        model = PlanRevision
        fields = ["label", "in_force_from", "next_revision_due", "vision", "vision_text", "follow_up_text"]
        widgets = {
            "in_force_from": DateInput(),
            "next_revision_due": DateInput(),
            "vision_text": forms.Textarea(attrs={"rows": 4}),
            "follow_up_text": forms.Textarea(attrs={"rows": 6}),
        }

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        if (
            PlanRevision.objects.filter(plan_id=self.instance.plan_id, label=label)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            raise forms.ValidationError(_("The plan already has a revision with this label."))
        return label

    def clean_in_force_from(self):
        date = self.cleaned_data["in_force_from"]
        predecessor = self.instance.predecessor
        if predecessor and date <= predecessor.in_force_from:
            raise forms.ValidationError(_("The new revision must come into force after the revision in force did."))
        return date


class StrategyDraftForm(DraftForm):
    class Meta:
        model = Strategy
        fields = ["name"]


class ActivityDraftForm(DraftForm):
    class Meta:
        model = Activity
        fields = ["strategy", "number", "name", "priority_start_year", "priority_end_year", "responsible_organisations"]
        widgets = {"name": forms.Textarea(attrs={"rows": 2}), "responsible_organisations": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategy"].queryset = Strategy.objects.filter(revision=self.revision)
        self.fields["strategy"].help_text = _("Choose another strategy to move the activity.")


class SubActivityDraftForm(DraftForm):
    class Meta:
        model = SubActivity
        fields = ["activity", "number", "name", "sub_points", "measure", "target"]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in ["name", "sub_points", "measure", "target"]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        activity = self.fields["activity"]
        activity.queryset = Activity.objects.filter(strategy__revision=self.revision).select_related("strategy")
        activity.label_from_instance = lambda a: f"{a.strategy.number}.{a.number} {a.name}"
        activity.help_text = _("Choose another activity to move the sub-activity.")


class EffectMeasureDraftForm(DraftForm):
    class Meta:
        model = EffectMeasure
        fields = ["strategy", "number", "name", "target", "direction", "follow_up", "cadence", "data_source", "forums"]
        widgets = {
            "name": forms.Textarea(attrs={"rows": 2}),
            "target": forms.Textarea(attrs={"rows": 2}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
            "forums": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategy"].queryset = Strategy.objects.filter(revision=self.revision)


class LocalActivityDraftForm(DraftForm):
    class Meta:
        model = LocalActivity
        fields = ["strategy", "number", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategy"].queryset = Strategy.objects.filter(revision=self.revision)


AS_OF_PARAM = "datum"


class AsOfForm(AccessibleFormMixin, forms.Form):
    """The day whose plan to show (?datum=YYYY-MM-DD), from a native date input."""

    datum = forms.DateField(
        label=_("Date"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=DateInput(),
        error_messages={"invalid": _("Enter a date as year-month-day, for example 2025-03-12.")},
    )

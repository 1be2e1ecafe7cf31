from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from plan.models import Forum, PlanRevision, RevisedItem
from plan.versions import Versioned


class Strategy(RevisedItem):
    revision_path = "revision"

    revision = models.ForeignKey(
        PlanRevision, verbose_name=_("plan revision"), on_delete=models.CASCADE, related_name="strategies"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        ordering = ["revision", "number"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "number"], name="strategy_number_unique_per_revision"),
            models.CheckConstraint(condition=Q(number__gte=1), name="strategy_number_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"


class QuotePerspective(models.TextChoices):
    RESIDENT = "invanare", _("Resident")
    STAFF = "medarbetare", _("Staff")
    TOGETHER = "tillsammans", _("Together")


class StrategyQuote(RevisedItem):
    """The målbild told as quotes, one per perspective (invånarperspektiv)."""

    revision_path = "strategy__revision"

    Perspective = QuotePerspective

    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="quotes")
    position = models.PositiveSmallIntegerField(_("position"))
    perspective = models.CharField(_("perspective"), max_length=20, choices=Perspective.choices)
    text = models.TextField(_("quote"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["strategy", "position"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "position"], name="quote_position_unique_per_strategy"),
            models.CheckConstraint(
                condition=Q(perspective__in=QuotePerspective.values),
                name="quote_perspective_valid",
            ),
        ]

    def __str__(self):
        return self.text[:60]


class MeasureDirection(models.TextChoices):
    INCREASE = "increase", _("Should increase")
    DECREASE = "decrease", _("Should decrease")
    YES_NO = "yes_no", _("Yes/no")


class MeasureCadence(models.TextChoices):
    YEARLY = "yearly", _("Yearly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")


class MeasureUnit(models.TextChoices):
    """What an effect measure's numbers are; "" (not stated) shows the bare number."""

    PERCENT = "andel", _("Share (%)")
    COUNT = "antal", _("Count")
    INDEX = "index", _("Index")
    PER_1000 = "per_1000", _("Per 1,000 inhabitants")


class MeasureSource(models.TextChoices):
    """Where an effect measure's values are fetched from; "" for values entered by hand or by sheet."""

    KOLADA = "kolada", _("Kolada (API v3)")
    FOLKHALSODATA = "folkhalsodata", _("Folkhälsodata (PX-Web)")


class MeasureComparison(models.TextChoices):
    PREVIOUS = "previous", _("With the period before")
    NON_OVERLAPPING = "non_overlapping", _("With the last period that does not overlap")


class EffectMeasure(RevisedItem):
    """An effektmått: what the plan's effect is measured by, with a target and a follow-up forum."""

    revision_path = "strategy__revision"

    Direction = MeasureDirection

    Cadence = MeasureCadence

    Unit = MeasureUnit

    Source = MeasureSource

    Comparison = MeasureComparison

    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="effect_measures"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.TextField(_("effect measure"))
    target = models.TextField(_("target value"), help_text=_("The målvärde as the plan words it."))
    direction = models.CharField(_("target direction"), max_length=20, choices=Direction.choices)
    follow_up = models.TextField(_("follow-up"), blank=True, help_text=_("The plan's own words on the follow-up."))
    forums = models.ManyToManyField(
        Forum, verbose_name=_("follow-up forums"), blank=True, related_name="effect_measures"
    )
    cadence = models.CharField(_("cadence"), max_length=20, choices=Cadence.choices, default=Cadence.YEARLY)
    breakdowns = models.JSONField(
        _("breakdowns"), default=list, blank=True, help_text=_('For example ["barn och unga", "vuxna"].')
    )
    data_source = models.CharField(_("data source"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=20, choices=MeasureUnit.choices, blank=True)
    decimals = models.PositiveSmallIntegerField(
        _("decimals"),
        default=2,
        validators=[MaxValueValidator(3)],
        help_text=_("How many decimals its values are shown with: 0 for a count."),
    )
    per_organisation = models.BooleanField(
        _("per organisation"),
        default=False,
        help_text=_("Followed per municipality (and the region) as well as for the county."),
    )
    comparison = models.CharField(
        _("compared"),
        max_length=20,
        choices=MeasureComparison.choices,
        default=MeasureComparison.PREVIOUS,
        help_text=_(
            "Values published for overlapping periods (2019–2022, 2020–2023 …) are compared with the last "
            "period that does not overlap."
        ),
    )
    fetch_source = models.CharField(_("fetched from"), max_length=20, choices=MeasureSource.choices, blank=True)
    fetch_reference = models.CharField(
        _("reference at the source"),
        max_length=300,
        blank=True,
        help_text=_("The Kolada KPI id (N15428), or the PX-Web table's path and selection."),
    )
    history = HistoricalRecords(m2m_fields=[forums])

    class Meta:
        verbose_name = _("effect measure")
        verbose_name_plural = _("effect measures")
        ordering = ["strategy", "number"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="effect_measure_number_unique_per_strategy"),
            models.CheckConstraint(
                condition=Q(direction__in=MeasureDirection.values), name="effect_measure_direction_valid"
            ),
            models.CheckConstraint(condition=Q(cadence__in=MeasureCadence.values), name="effect_measure_cadence_valid"),
        ]

    def __str__(self):
        return self.name


class LocalActivity(RevisedItem):
    """A recommended local activity ("Vad behöver göras lokalt och verksamhetsnära")."""

    revision_path = "strategy__revision"

    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="local_activities"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("recommended local activity"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recommended local activity")
        verbose_name_plural = _("recommended local activities")
        ordering = ["strategy", "number"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="local_activity_number_unique_per_strategy"),
        ]

    def __str__(self):
        return self.text


class AdoptionState(models.TextChoices):
    NOT_CONSIDERED = "ej_behandlad", _("Not considered")
    ADOPTED = "antagen", _("Adopted in the local plan")
    NOT_ADOPTED = "ej_antagen", _("Not adopted")
    IN_PROGRESS = "pagar", _("In progress")
    DONE = "klar", _("Done")


class LocalAdoption(Versioned, models.Model):
    """How one local collaboration arena has taken up one recommended local activity."""

    State = AdoptionState

    arena = models.ForeignKey(
        Forum,
        verbose_name=_("local arena"),
        on_delete=models.CASCADE,
        related_name="adoptions",
        limit_choices_to={"kind": Forum.Kind.LOCAL},
    )
    local_activity = models.ForeignKey(
        LocalActivity, verbose_name=_("recommended local activity"), on_delete=models.CASCADE, related_name="adoptions"
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.NOT_CONSIDERED)
    text = models.TextField(_("how it goes, or why not adopted"), blank=True)
    contact = models.CharField(_("contact person"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    updated_by = models.ForeignKey(
        "plan.User", verbose_name=_("updated by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Raised by every change (plan/versions.py), an uploaded sheet's too; a save from the cell's form names the
    # version it was opened at (0: the cell had no row yet).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("local adoption")
        verbose_name_plural = _("local adoptions")
        constraints = [
            models.UniqueConstraint(fields=["arena", "local_activity"], name="one_adoption_per_arena_and_activity"),
            models.CheckConstraint(
                condition=Q(state__in=AdoptionState.values),
                name="adoption_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state=AdoptionState.NOT_ADOPTED) | ~Q(text=""),
                name="not_adopted_has_a_reason",
                violation_error_message=_("Say why the activity is not adopted."),
            ),
        ]

    def __str__(self):
        return f"{self.arena.short_name}: {self.local_activity}"


class ArenaLocalActivity(models.Model):
    """An activity a local arena has added to its own local plan, beside the recommended ones."""

    arena = models.ForeignKey(
        Forum,
        verbose_name=_("local arena"),
        on_delete=models.CASCADE,
        related_name="own_activities",
        limit_choices_to={"kind": Forum.Kind.LOCAL},
    )
    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="+")
    name = models.TextField(_("activity"))
    state = models.CharField(
        _("state"), max_length=20, choices=LocalAdoption.State.choices, default=LocalAdoption.State.IN_PROGRESS
    )
    text = models.TextField(_("how it goes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("the arena's own local activity")
        verbose_name_plural = _("the arenas' own local activities")
        ordering = ["arena", "strategy__number", "pk"]

    def __str__(self):
        return self.name

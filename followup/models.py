from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from plan.caching import append_only
from strategies.models import EffectMeasure


class Half(models.IntegerChoices):
    """The period of a year a value or a follow-up covers."""

    WHOLE_YEAR = 0, _("Whole year")
    FIRST = 1, _("First half-year")
    SECOND = 2, _("Second half-year")


# A follow-up covers a whole year or its first half: the second half is the whole year's follow-up.
FOLLOWUP_HALVES = [Half.WHOLE_YEAR, Half.FIRST]


def period_label(period):
    """A (year, half) as the pages print it: "2025" or "2025 H1"."""
    year, half = period
    return f"{year}" if half == Half.WHOLE_YEAR else f"{year} H{half}"


class ValueOrigin(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    KOLADA = "kolada", _("Kolada")
    FOLKHALSODATA = "folkhalsodata", _("Folkhälsodata")


class EffectMeasureValue(models.Model):
    """The value of an effect measure for a period (a year, or a half-year), optionally for a breakdown."""

    Half = Half

    measure = models.ForeignKey(
        EffectMeasure, verbose_name=_("effect measure"), on_delete=models.CASCADE, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(_("period"), choices=Half.choices, default=Half.WHOLE_YEAR)
    breakdown = models.CharField(_("breakdown"), max_length=100, blank=True, help_text=_("Empty for the total."))
    organisation = models.ForeignKey(
        "plan.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For a measure followed per organisation; empty for the county as a whole."),
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    yes_no = models.BooleanField(_("yes or no"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_example = models.BooleanField(
        _("example figure"), default=False, help_text=_("Made-up figures for the demo, marked as such wherever shown.")
    )
    # Where the value came from: typed in (or uploaded), or fetched from an open data source with its own
    # reference, period and status flag (followup/fetching.py).
    origin = models.CharField(_("origin"), max_length=20, choices=ValueOrigin.choices, default=ValueOrigin.MANUAL)
    source_reference = models.CharField(_("source reference"), max_length=200, blank=True)
    source_period = models.CharField(_("period at the source"), max_length=20, blank=True)
    source_status = models.CharField(_("status at the source"), max_length=50, blank=True)
    fetched_at = models.DateTimeField(_("fetched"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("effect measure value")
        verbose_name_plural = _("effect measure values")
        ordering = ["measure", "breakdown", "year", "half"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "year", "half", "breakdown", "organisation"],
                name="one_value_per_organisation_period_breakdown",
                condition=Q(organisation__isnull=False),
                violation_error_message=_(
                    "There is already a value for this period and breakdown. Change that value instead."
                ),
            ),
            models.UniqueConstraint(
                fields=["measure", "year", "half", "breakdown"],
                condition=Q(organisation__isnull=True),
                name="one_value_per_measure_period_breakdown",
                violation_error_message=_(
                    "There is already a value for this period and breakdown. Change that value instead."
                ),
            ),
            models.CheckConstraint(condition=Q(half__in=Half.values), name="value_half_valid"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="value_year_plausible"),
            models.CheckConstraint(
                condition=Q(value__isnull=False, yes_no__isnull=True) | Q(value__isnull=True, yes_no__isnull=False),
                name="value_is_a_number_or_yes_no",
                violation_error_message=_("Give either a number or yes/no."),
            ),
        ]

    def __str__(self):
        return f"{self.measure}: {self.period_label}"

    @property
    def period(self):
        return (self.year, self.half)

    @property
    def period_label(self):
        return period_label(self.period)


class FollowUpState(models.TextChoices):
    OPEN = "open", _("Open")
    UNDER_REVIEW = "under_review", _("Under review")
    LOCKED = "locked", _("Approved and locked")


class FollowUp(models.Model):
    """The yearly (or half-yearly) follow-up of a revision: statuses as of a cut-off date, effect-measure
    values, narratives; open → under review → locked. A locked follow-up's content and report are stored."""

    State = FollowUpState

    revision = models.ForeignKey(
        "plan.PlanRevision", verbose_name=_("plan revision"), on_delete=models.PROTECT, related_name="followups"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(
        _("period"), choices=[(h.value, h.label) for h in FOLLOWUP_HALVES], default=Half.WHOLE_YEAR
    )
    cut_off = models.DateField(
        _("cut-off date"), help_text=_("Statuses are shown as they were at the end of this day.")
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    summary = models.TextField(_("overall summary"), blank=True)
    content = models.JSONField(_("frozen content"), null=True, blank=True, editable=False)
    report_pdf = models.BinaryField(_("report (PDF)"), null=True, blank=True, editable=False)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True, editable=False)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("locked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    history = HistoricalRecords(excluded_fields=["content", "report_pdf"])

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-year", "-half"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "year", "half"], name="one_followup_per_period"),
            models.CheckConstraint(
                condition=Q(half__in=[h.value for h in FOLLOWUP_HALVES]), name="followup_half_valid"
            ),
            models.CheckConstraint(condition=Q(state__in=FollowUpState.values), name="followup_state_valid"),
            models.CheckConstraint(
                condition=~Q(state=FollowUpState.LOCKED) | Q(content__isnull=False, report_pdf__isnull=False),
                name="locked_followup_has_content_and_report",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("followup_detail", args=[self.pk])

    @property
    def period_label(self):
        return period_label((self.year, self.half))

    @property
    def title(self):
        return _("Follow-up %(period)s") % {"period": self.period_label}

    @property
    def is_locked(self):
        return self.state == self.State.LOCKED


class StrategyNarrative(models.Model):
    followup = models.ForeignKey(
        FollowUp, verbose_name=_("follow-up"), on_delete=models.CASCADE, related_name="narratives"
    )
    strategy = models.ForeignKey(
        "strategies.Strategy", verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="+"
    )
    went_well = models.TextField(_("what went well"), blank=True)
    late_and_why = models.TextField(_("what is late, and why"), blank=True)
    next_steps = models.TextField(_("what comes next"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("strategy narrative")
        verbose_name_plural = _("strategy narratives")
        constraints = [models.UniqueConstraint(fields=["followup", "strategy"], name="one_narrative_per_strategy")]

    def __str__(self):
        return f"{self.followup}: {self.strategy}"


@append_only  # the follow-up page is cached (plan/caching.py); comments are only added
class ReviewComment(models.Model):
    followup = models.ForeignKey(
        FollowUp, verbose_name=_("follow-up"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:60]


class ArenaNarrative(models.Model):
    """A local arena's short narrative in a follow-up."""

    followup = models.ForeignKey(
        FollowUp, verbose_name=_("follow-up"), on_delete=models.CASCADE, related_name="arena_narratives"
    )
    arena = models.ForeignKey("plan.Forum", verbose_name=_("local arena"), on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("narrative"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("arena narrative")
        verbose_name_plural = _("arena narratives")
        constraints = [models.UniqueConstraint(fields=["followup", "arena"], name="one_narrative_per_arena")]

    def __str__(self):
        return f"{self.followup}: {self.arena}"

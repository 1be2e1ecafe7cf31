from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from strategies.models import EffectMeasure


class EffectMeasureValue(models.Model):
    """The value of an effect measure for a period (a year, or a half-year), optionally for a breakdown."""

    class Half(models.IntegerChoices):
        WHOLE_YEAR = 0, _("Whole year")
        FIRST = 1, _("First half-year")
        SECOND = 2, _("Second half-year")

    measure = models.ForeignKey(
        EffectMeasure, verbose_name=_("effect measure"), on_delete=models.CASCADE, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(_("period"), choices=Half.choices, default=Half.WHOLE_YEAR)
    breakdown = models.CharField(_("breakdown"), max_length=100, blank=True, help_text=_("Empty for the total."))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    yes_no = models.BooleanField(_("yes or no"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_example = models.BooleanField(
        _("example figure"), default=False, help_text=_("Made-up figures for the demo, marked as such wherever shown.")
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("effect measure value")
        verbose_name_plural = _("effect measure values")
        ordering = ["measure", "breakdown", "year", "half"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "year", "half", "breakdown"],
                name="one_value_per_measure_period_breakdown",
                violation_error_message=_(
                    "There is already a value for this period and breakdown. Change that value instead."
                ),
            ),
            models.CheckConstraint(condition=Q(half__in=[0, 1, 2]), name="value_half_valid"),
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


def period_label(period):
    year, half = period
    return f"{year}" if half == EffectMeasureValue.Half.WHOLE_YEAR else f"{year} H{half}"

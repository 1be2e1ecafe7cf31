"""Effect measures over time: their series of values and whether the latest meets the target."""

from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from strategies.models import EffectMeasure


@dataclass
class Verdict:
    met: object  # True, False, or None when it cannot be judged
    text: str


UNIT_FORMATS = {
    EffectMeasure.Unit.PERCENT: _("%(number)s %%"),
    EffectMeasure.Unit.PER_1000: _("%(number)s per 1,000 inhabitants"),
}


def format_value(measure, value):
    """A value (an EffectMeasureValue) as the pages, exports and report show it: its measure's decimals and
    unit ("84,1 %"), or ja/nej; in the active language's number format."""
    if value is None:
        return ""
    if value.yes_no is not None:
        return gettext("Yes") if value.yes_no else gettext("No")
    if value.value is None:
        return ""
    number = number_format(value.value, decimal_pos=measure.decimals, use_l10n=True, force_grouping=True)
    pattern = UNIT_FORMATS.get(measure.unit)
    return str(pattern) % {"number": number} if pattern else number


NO_VALUE = Verdict(None, _("No value yet"))
ONLY_ONE = Verdict(None, _("Cannot be judged yet: only one period"))


def judge(direction, latest, previous):
    """Whether the latest value meets the target: higher or lower than the previous period's, or ja."""
    if latest is None:
        return NO_VALUE
    if direction == EffectMeasure.Direction.YES_NO:
        return Verdict(True, _("Met: yes")) if latest.yes_no else Verdict(False, _("Not met: no"))
    if previous is None:
        return ONLY_ONE
    if direction == EffectMeasure.Direction.INCREASE:
        if latest.value > previous.value:
            return Verdict(True, _("Met: higher than the period before"))
        return Verdict(False, _("Not met: not higher than the period before"))
    if latest.value < previous.value:
        return Verdict(True, _("Met: lower than the period before"))
    return Verdict(False, _("Not met: not lower than the period before"))


@dataclass
class Series:
    breakdown: str
    values: list = field(default_factory=list)  # sorted by period

    @property
    def latest(self):
        return self.values[-1] if self.values else None

    @property
    def previous(self):
        return self.values[-2] if len(self.values) > 1 else None


def measure_series(measure, values=None, *, organisation_id=None):
    """The series of the county (or of one organisation), one per breakdown (the plan's order; "" for a measure
    without breakdowns), from `values` or else measure.values.all() (prefetch it)."""
    names = list(measure.breakdowns) or [""]
    by_name = {name: Series(name) for name in names}
    values = measure.values.all() if values is None else values
    for value in sorted((v for v in values if v.organisation_id == organisation_id), key=lambda v: v.period):
        by_name.setdefault(value.breakdown, Series(value.breakdown)).values.append(value)
    for series in by_name.values():
        series.verdict = judge(measure.direction, series.latest, compared_with(measure, series))
    return list(by_name.values())


def compared_with(measure, series):
    """The value the latest is judged against: the period before, or for values published over overlapping
    periods (Folkhälsodata's 2019–2022, 2020–2023 …) the last one that does not overlap the latest."""
    if measure.comparison != EffectMeasure.Comparison.NON_OVERLAPPING or series.latest is None:
        return series.previous
    start = first_year(series.latest)
    earlier = [v for v in series.values[:-1] if v.year < start]
    return earlier[-1] if earlier else None


def first_year(value):
    """The first year of the period a value covers ("2019-2022" → 2019; otherwise its year)."""
    start = value.source_period.split("-")[0].strip()
    return int(start) if start.isdigit() else value.year


@dataclass
class OrganisationSeries:
    organisation: object
    series: list


def organisation_series(measure, organisations, values=None):
    """For a measure followed per organisation: one OrganisationSeries per organisation (in the order given),
    each with its series per breakdown and their verdicts, from `values` or measure.values.all()."""
    values = list(measure.values.all() if values is None else values)
    return [
        OrganisationSeries(organisation, measure_series(measure, values, organisation_id=organisation.pk))
        for organisation in organisations
    ]


def county_summary(measure, per_organisation):
    """How many of the organisations with a verdict met the target ("6 of 8 municipalities increased"), per
    breakdown: [(breakdown, met, judged)]."""
    summary = {}
    for item in per_organisation:
        for series in item.series:
            met, judged = summary.get(series.breakdown, (0, 0))
            if series.verdict.met is not None:
                summary[series.breakdown] = (met + bool(series.verdict.met), judged + 1)
            else:
                summary.setdefault(series.breakdown, (met, judged))
    return [(breakdown, met, judged) for breakdown, (met, judged) in summary.items()]


def periods_of(series_list):
    return sorted({v.period for s in series_list for v in s.values})

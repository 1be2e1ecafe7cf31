"""Every effect measure of a revision with its values per period, trend chart, verdicts and, for a measure
followed per organisation, each organisation's latest value: the effect-measure page and its public twin."""

from django.db.models import Prefetch

from followup.charts import trend
from followup.fetching import SOURCE_CREDITS
from followup.measures import county_summary, measure_series, organisation_series, periods_of
from followup.models import EffectMeasureValue, period_label
from plan.models import Organisation
from strategies.models import EffectMeasure


def measure_overview(revision):
    measures = (
        EffectMeasure.objects.filter(strategy__revision=revision)
        .select_related("strategy")
        .prefetch_related("forums", Prefetch("values", queryset=EffectMeasureValue.objects.all()))
        .order_by("strategy__number", "number")
    )
    organisations = list(Organisation.objects.all())
    items = []
    for measure in measures:
        series = measure_series(measure)
        periods = periods_of(series)
        per_organisation = organisation_series(measure, organisations) if measure.per_organisation else []
        items.append(
            {
                "measure": measure,
                "series": series,
                "periods": periods,
                "table": [(period_label(period), [_value_for(s, period) for s in series]) for period in periods],
                "chart": trend(series, periods, yes_no=measure.direction == EffectMeasure.Direction.YES_NO),
                "chart_id": f"trend-{measure.pk}",
                "has_examples": any(v.is_example for v in measure.values.all()),
                "per_organisation": per_organisation,
                "county_summary": county_summary(measure, per_organisation),
                "credit": SOURCE_CREDITS.get(measure.fetch_source, ""),
            }
        )
    return items


def _value_for(series, period):
    return next((v for v in series.values if v.period == period), None)

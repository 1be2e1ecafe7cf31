"""Effect-measure values fetched from open data sources (Kolada, Folkhälsodata), stored with their provenance.

A fetch reads everything first and stores it in one transaction per measure, so a source that fails midway
stores nothing and the next run tries again. A fetched value never replaces one entered by hand (that is a
conflict, shown for a plan administrator to decide) nor a value in a period a locked follow-up holds.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import parse_qsl

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from followup.models import EffectMeasureValue, Half, ValueOrigin
from followup.services import locked_followup_for
from followup.sources import SourceError, kolada, pxweb
from plan.history import save_with_history
from plan.language import in_plan_language
from plan.models import Organisation
from strategies.models import EffectMeasure

SOURCE_CREDITS = {EffectMeasure.Source.KOLADA: kolada.CREDIT, EffectMeasure.Source.FOLKHALSODATA: pxweb.CREDIT}
# A fetch reads this year and the two before it from Kolada, and the last four periods from Folkhälsodata.
YEARS_BACK = 2
PERIODS_BACK = 4
MUNICIPALITY_CODE = re.compile(r"\d{4}")


@dataclass
class Fetched:
    organisation: object  # None: the county as a whole
    year: int
    value: Decimal
    status: str = ""
    period: str = ""


@dataclass
class FetchReport:
    measure: EffectMeasure
    added: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: int = 0
    conflicts: list = field(default_factory=list)
    locked: list = field(default_factory=list)
    error: str = ""


def _codes():
    """{SCB code: organisation, or None for the county's own code "00NN"} from the organisations' codes."""
    codes = {}
    for organisation in Organisation.objects.exclude(identity_codes=""):
        for code in organisation.identity_code_list:
            if MUNICIPALITY_CODE.fullmatch(code):
                codes[code] = None if code.startswith("00") else organisation
    return codes


def _from_kolada(measure, years):
    codes = _codes()
    ids = sorted(codes, key=lambda code: (code.startswith("00"), code))  # the municipalities, then the county
    values = kolada.fetch_kpi_values(
        settings.KOLADA_BASE_URL, measure.fetch_reference, ids, years, timeout=settings.SOURCE_TIMEOUT
    )
    return [Fetched(codes[v.municipality], v.year, v.value, v.status) for v in values if v.value is not None]


def _from_folkhalsodata(measure, _years):
    table, _sep, query = measure.fetch_reference.partition("?")
    base = settings.FOLKHALSODATA_BASE_URL
    metadata = pxweb.fetch_metadata(base, table, timeout=settings.SOURCE_TIMEOUT)
    time = next(v for v in metadata.variables if v.time)
    selections = {code: [value] for code, value in parse_qsl(query)} | {time.code: list(time.values[-PERIODS_BACK:])}
    values = pxweb.fetch_table(base, table, selections, timeout=settings.SOURCE_TIMEOUT)
    # The reference selects the county: the values are the county's as a whole.
    return [
        Fetched(None, pxweb.period_years(v.period)[1], v.value, v.status, v.period)
        for v in values
        if v.value is not None
    ]


READERS = {EffectMeasure.Source.KOLADA: _from_kolada, EffectMeasure.Source.FOLKHALSODATA: _from_folkhalsodata}


def fetch_measure_values(measure, *, today=None, user=None):
    """Fetches and stores the values of one measure; returns its FetchReport (with `error` if the source failed,
    in which case nothing is stored)."""
    today = today or timezone.localdate()
    report = FetchReport(measure)
    years = list(range(today.year - YEARS_BACK, today.year + 1))
    try:
        fetched = READERS[measure.fetch_source](measure, years)
    except (SourceError, ValueError, StopIteration) as error:
        report.error = str(error) or type(error).__name__
        return report
    _store(measure, fetched, report, user)
    return report


@transaction.atomic
def _store(measure, fetched, report, user):
    existing = {
        (v.organisation_id, v.year): v
        for v in measure.values.select_for_update().filter(half=Half.WHOLE_YEAR, breakdown="")
    }
    now = timezone.now()
    credit = SOURCE_CREDITS[measure.fetch_source]
    for item in fetched:
        if item.organisation is not None and not measure.per_organisation:
            continue
        key = (item.organisation.pk if item.organisation else None, item.year)
        label = f"{item.organisation or _('the county')} {item.period or item.year}"
        current = existing.get(key)
        if current is not None and current.value == item.value and current.source_status == item.status:
            report.unchanged += 1
            continue
        if locked_followup_for(measure.strategy.revision_id, item.year, Half.WHOLE_YEAR):
            report.locked.append(label)
            continue
        if current is not None and current.origin == ValueOrigin.MANUAL:
            report.conflicts.append((label, current, item.value))
            continue
        value = current or EffectMeasureValue(
            measure=measure, organisation=item.organisation, year=item.year, half=Half.WHOLE_YEAR
        )
        value.value, value.yes_no = item.value, None
        value.origin, value.source, value.source_reference = measure.fetch_source, credit, measure.fetch_reference
        value.source_period, value.source_status, value.fetched_at = item.period, item.status, now
        value.is_example = False
        save_with_history(value, user=user, reason=in_plan_language(_("Fetched from %(source)s"), source=credit))
        (report.updated if current else report.added).append(label)

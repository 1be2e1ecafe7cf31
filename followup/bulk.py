"""Effect-measure values from a sheet: the effect-measures page's export (one row per value, and an empty row
per measure and breakdown for the latest period without a value), edited and uploaded back by the plan
administrators (plan/bulk.py). The rules are those of the single-value form: the revision in force, the
measure's cadence and breakdowns, a number or ja/nej, and no change in a period a locked follow-up holds."""

from decimal import Decimal, InvalidOperation

import tablib
from django.core.exceptions import ValidationError
from django.db.models import Max, Q
from django.http import HttpResponse
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from followup.forms import EffectMeasureValueForm
from followup.measures import measure_series
from followup.models import EffectMeasureValue, FollowUp, Half, period_label
from plan.bulk import WILL_CHANGE, Change, Importer, RowResult, choice_reader, duplicate_keys
from plan.models import PlanRevision
from plan.spreadsheets import Column, SheetError, normalise, spreadsheet_safe
from plan.validators import reject_control_characters
from strategies.models import EffectMeasure

FIELDS = ["year", "half", "breakdown", "value", "yes_no", "source", "note"]
SOURCE_MAX = EffectMeasureValue._meta.get_field("source").max_length
NOTE_MAX = EffectMeasureValueForm.base_fields["note"].max_length
YEARS = range(2000, 2101)  # the model's value_year_plausible
LARGEST = Decimal(10) ** (EffectMeasureValue._meta.get_field("value").max_digits - 2)
CENT = Decimal("0.01")

COLUMNS = [
    Column("measure", _("Measure id")),
    Column("value_id", _("Value id")),
    Column("version", _("Version")),
    Column("strategy", _("Strategy"), required=False),  # for the reader; not read back
    Column("name", _("Effect measure"), required=False),
    Column("unit", _("Unit"), required=False),  # for the reader; not read back
    Column("year", _("Year")),
    Column("period", _("Period")),
    Column("breakdown", _("Breakdown")),
    Column("value", _("Value")),
    Column("yes_no", _("Yes/no")),
    Column("source", _("Source")),
    Column("note", _("Note")),
]
YES_NO = [(True, _("Yes")), (False, _("No"))]
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def latest_period(measure, today):
    """The latest period that has ended by `today`: last year, or for a half-yearly measure the last half."""
    if measure.cadence == EffectMeasure.Cadence.HALF_YEARLY:
        return (today.year, Half.FIRST) if today.month > 6 else (today.year - 1, Half.SECOND)
    return (today.year - 1, Half.WHOLE_YEAR)


def versions_of(value_ids):
    """{value id: its latest history id}, the version a sheet row was exported at (one query)."""
    records = EffectMeasureValue.history.filter(id__in=value_ids).values("id").annotate(latest=Max("history_id"))
    return {r["id"]: r["latest"] for r in records}


def sheet_export(revision, export_format, *, today):
    """The values of the revision's measures as a sheet (3 queries: measures, values, versions)."""
    measures = list(
        EffectMeasure.objects.filter(strategy__revision=revision)
        .select_related("strategy")
        .prefetch_related("values")
        .order_by("strategy__number", "number")
    )
    versions = versions_of([v.pk for m in measures for v in m.values.all()])
    dataset = tablib.Dataset(headers=[str(c.label) for c in COLUMNS], title=str(_("Effect measures")))
    for measure in measures:
        latest = latest_period(measure, today)
        for series in measure_series(measure):
            for value in series.values:
                dataset.append(_sheet_row(measure, value, versions.get(value.pk)))
            if series.breakdown in (measure.breakdowns or [""]) and latest not in {v.period for v in series.values}:
                empty = EffectMeasureValue(year=latest[0], half=latest[1], breakdown=series.breakdown)
                dataset.append(_sheet_row(measure, empty, None))
    response = HttpResponse(dataset.export(export_format), content_type=CONTENT_TYPES[export_format])
    response["Content-Disposition"] = f'attachment; filename="effektmatt.{export_format}"'
    return response


def _sheet_row(measure, value, version):
    strategy = measure.strategy
    return [
        measure.pk,
        value.pk or "",
        version or "",
        spreadsheet_safe(f"{strategy.number}. {strategy.name}"),
        spreadsheet_safe(measure.name),
        str(measure.get_unit_display()) if measure.unit else "",
        value.year,
        str(Half(value.half).label),
        spreadsheet_safe(value.breakdown),
        "" if value.value is None else value.value,
        "" if value.yes_no is None else str(dict(YES_NO)[value.yes_no]),
        spreadsheet_safe(value.source),
        spreadsheet_safe(value.note),
    ]


class EffectMeasureValueImporter(Importer):
    kind = "effektmattsvarden"
    title = _("Update effect-measure values from a sheet")
    columns = COLUMNS

    def preview(self, user, rows, *, lock=False):
        half_of, yes_no_of = choice_reader(Half.choices), choice_reader(YES_NO)
        measure_ids = {number: _int(values["measure"]) for number, values in rows}
        value_ids = {number: _int(values["value_id"]) for number, values in rows}
        _refuse_duplicates(rows, measure_ids, value_ids, half_of)
        measures = EffectMeasure.objects.filter(pk__in={i for i in measure_ids.values() if i})
        measures = measures.select_related("strategy__revision")
        # The sheet holds the county's values; values per organisation come from the form or a source.
        current = EffectMeasureValue.objects.filter(
            Q(pk__in={i for i in value_ids.values() if i}) | Q(measure_id__in={i for i in measure_ids.values() if i}),
            organisation__isnull=True,
        )
        if lock:
            measures, current = measures.select_for_update(of=("self",)), current.select_for_update()
        context = {
            "measures": {m.pk: m for m in measures},
            "values": {v.pk: v for v in current},
            "half_of": half_of,
            "yes_no_of": yes_no_of,
            "locked": list(
                FollowUp.objects.filter(revision__state=PlanRevision.State.IN_FORCE, state=FollowUp.State.LOCKED).defer(
                    "content", "report_pdf"
                )
            ),
        }
        context["keys"] = {(v.measure_id, v.year, v.half, v.breakdown): v.pk for v in context["values"].values()}
        context["versions"] = versions_of([i for i in value_ids.values() if i in context["values"]])
        return [self._row(user, number, values, context) for number, values in rows]

    def _row(self, user, number, values, context):
        measure = context["measures"].get(_int(values["measure"]))
        result = RowResult(number, measure.name if measure else values["measure"])
        if measure is None:
            return result.refuse(_("There is no effect measure with this Measure id."))
        if measure.strategy.revision.state != PlanRevision.State.IN_FORCE:
            return result.refuse(
                _("The effect measure belongs to another revision than the one in force. Export again.")
            )
        current = None
        if values["value_id"]:
            current = context["values"].get(_int(values["value_id"]))
            if current is None or current.measure_id != measure.pk:
                return result.refuse(_("There is no value of this effect measure with this Value id."))
            current.measure = measure  # its strategy and revision, for apply
        try:
            new = _read(measure, values, current, context)
        except ValidationError as error:
            return result.refuse(" ".join(error.messages))
        if new is None:
            return result  # a new row left empty: nothing to add
        result.label = _label(measure, new)
        result.changes = _changes(current, new)
        if not result.changes:
            return result  # a row as it is now needs no permission, whatever else it says
        if not user.is_plan_admin:
            return result.refuse(_("You may not change effect-measure values."))
        periods = {(new["year"], new["half"])} | ({current.period} if current else set())
        locked = _locked_covering(context["locked"], periods)
        if locked:
            return result.refuse(
                _("%(title)s is approved and locked: its values cannot change. A plan administrator can unlock it.")
                % {"title": locked.title}
            )
        if current and _int(values["version"]) != context["versions"].get(current.pk):
            return result.refuse(
                _("Changed by someone else since the export (version %(then)s, now %(now)s). Export again.")
                % {"then": values["version"] or "–", "now": context["versions"].get(current.pk) or "–"}
            )
        holder = context["keys"].get((measure.pk, new["year"], new["half"], new["breakdown"]))
        if holder is not None and holder != (current.pk if current else None):
            return result.refuse(_("There is already a value for this period and breakdown. Export again."))
        result.outcome, result.values = WILL_CHANGE, new
        result.target = current or EffectMeasureValue(measure=measure)
        return result

    def apply(self, user, results, reason):
        if not results:
            return
        PlanRevision.objects.lock_in_force(results[0].target.measure.strategy.revision_id)
        changed, added = [], []
        for result in results:
            value = result.target
            for name in FIELDS:
                setattr(value, name, result.values[name])
            value.entered_by = user
            (changed if value.pk else added).append(value)
        options = {"batch_size": 500, "default_user": user, "default_change_reason": reason}
        if changed:
            bulk_update_with_history(changed, EffectMeasureValue, [*FIELDS, "entered_by"], **options)
        if added:
            bulk_create_with_history(added, EffectMeasureValue, **options)


def _refuse_duplicates(rows, measure_ids, value_ids, half_of):
    """The whole sheet is refused when two rows are about the same value, or the same measure, period and
    breakdown (a new row left empty adds nothing, so it is left out)."""
    duplicates = duplicate_keys(value_ids)
    if duplicates:
        raise SheetError(_("Rows %(rows)s have the same Value id; keep one of them.") % {"rows": duplicates})
    keys = {}
    for number, values in rows:
        year, half = _int(values["year"]), half_of(values["period"])
        readable = measure_ids[number] and year and half is not None
        filled = value_ids[number] or values["value"] or values["yes_no"]
        keys[number] = (
            (measure_ids[number], year, half, normalise(values["breakdown"])) if readable and filled else None
        )
    duplicates = duplicate_keys(keys)
    if duplicates:
        raise SheetError(
            _("Rows %(rows)s are about the same effect measure, period and breakdown; keep one of them.")
            % {"rows": duplicates}
        )


def _read(measure, values, current, context):
    """The row's values as the model stores them; None for a new row without a value. ValidationError says
    what cannot be used, as the single-value form would."""
    number_text, yes_no_text = values["value"], values["yes_no"]
    if current is None and not number_text and not yes_no_text:
        return None
    year = _int(values["year"])
    if year not in YEARS:
        raise ValidationError(
            _("Unknown year “%(value)s”: give a year from %(first)d to %(last)d.")
            % {"value": values["year"], "first": YEARS[0], "last": YEARS[-1]}
        )
    half = context["half_of"](values["period"])
    if half is None:
        raise ValidationError(_("Unknown period “%(value)s”.") % {"value": values["period"]})
    yearly = measure.cadence == EffectMeasure.Cadence.YEARLY
    if yearly and half != Half.WHOLE_YEAR and not (current and current.half == half):
        raise ValidationError(_("The effect measure is followed up yearly: give the whole year as its period."))
    return {
        "year": year,
        "half": half,
        "breakdown": _breakdown(measure, values["breakdown"], current),
        **_number_or_yes_no(measure, number_text, yes_no_text, context["yes_no_of"]),
        "source": _text(values["source"], SOURCE_MAX),
        "note": _text(values["note"], NOTE_MAX),
    }


def _breakdown(measure, text, current):
    known = list(measure.breakdowns) + ([current.breakdown] if current else [])
    if not measure.breakdowns and not text:
        return ""
    found = next((name for name in known if normalise(name) == normalise(text)), None)
    if found is not None:
        return found
    if not measure.breakdowns:
        raise ValidationError(_("The effect measure has no breakdowns: leave Breakdown empty."))
    raise ValidationError(
        _("Unknown breakdown “%(value)s”: give one of %(names)s.")
        % {"value": text, "names": ", ".join(measure.breakdowns)}
    )


def _number_or_yes_no(measure, number_text, yes_no_text, yes_no_of):
    if measure.direction == EffectMeasure.Direction.YES_NO:
        if number_text:
            raise ValidationError(_("The effect measure is answered yes or no: leave Value empty and give ja or nej."))
        answer = yes_no_of(yes_no_text)
        if answer is None:
            raise ValidationError(_("Give ja or nej for the effect measure, not “%(value)s”.") % {"value": yes_no_text})
        return {"value": None, "yes_no": answer}
    if yes_no_text:
        raise ValidationError(_("The effect measure is a number: give it under Value and leave Yes/no empty."))
    return {"value": _decimal(number_text), "yes_no": None}


def _decimal(text):
    """A number as a sheet has it: "0,45" or "0.45", spaces between thousands forgiven; at most two decimals."""
    cleaned = "".join(text.split()).replace("\u202f", "")
    if "," in cleaned and "." in cleaned:
        cleaned = "not a number"
    try:
        number = Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or abs(number) >= LARGEST or number != number.quantize(CENT):
        raise ValidationError(_("“%(value)s” is not a number with at most two decimals.") % {"value": text})
    return number.quantize(CENT)


def _text(text, limit):
    if len(text) > limit:
        raise ValidationError(_("A text is longer than %(max)d characters.") % {"max": limit})
    reject_control_characters(text)
    return text


def _changes(current, new):
    changes = []
    for name in FIELDS:
        before = getattr(current, name) if current else None
        if current is not None and before == new[name]:
            continue
        if current is None and new[name] in (None, ""):
            continue
        label = capfirst(EffectMeasureValue._meta.get_field(name).verbose_name)
        changes.append(Change(str(label), _display(name, before), _display(name, new[name])))
    return changes


def _display(name, value):
    if value is None:
        return ""
    if name == "half":
        return str(Half(value).label)
    if name == "yes_no":
        return str(dict(YES_NO)[value])
    if name == "value":
        return formats.number_format(value)
    return str(value)


def _label(measure, new):
    breakdown = f", {new['breakdown']}" if new["breakdown"] else ""
    return f"{measure.name} ({period_label((new['year'], new['half']))}{breakdown})"


def _locked_covering(locked, periods):
    """The locked follow-up that holds a value of any of `periods`, as services.locked_followup_for decides
    it, among the follow-ups fetched once: a yearly follow-up holds its year, a first-half one its first half."""
    for year, half in sorted(periods):
        for followup in locked:
            if followup.year == year and (followup.half == Half.WHOLE_YEAR or followup.half == half == Half.FIRST):
                return followup
    return None


def _int(text):
    text = (text or "").strip()
    return int(text) if text.isdigit() else None

"""What a follow-up says: statuses as of its cut-off date, effect-measure values of its period, narratives,
and the comparison with the previous follow-up. Built live while the follow-up is open, stored as JSON when
it is locked, and rendered from that JSON by the page and the PDF alike."""

from django.conf import settings
from django.utils import translation

from activities.models import Activity, SubActivity
from followup.measures import county_summary, first_year, format_value, judge, organisation_series
from followup.models import EffectMeasureValue, FollowUp
from plan.history import end_of_day, records_as_of
from plan.models import Organisation, Plan
from strategies.local_arenas import build_matrix
from strategies.models import EffectMeasure, LocalAdoption, Strategy

DONE = SubActivity.Status.DONE.value


cut_off_moment = end_of_day  # a follow-up holds what stood at the end of its cut-off day


def statuses_as_of(revision, moment):
    """{sub-activity id: historical record} as the sub-activities stood at `moment` (one query)."""
    records = records_as_of(SubActivity.history.filter(activity__strategy__revision=revision), moment)
    return {record.id: record for record in records}


def previous_followup(followup):
    earlier = FollowUp.objects.filter(revision__plan_id=followup.revision.plan_id, half=followup.half).exclude(
        pk=followup.pk
    )
    return earlier.filter(year__lt=followup.year).order_by("-year").first()


def _previous_statuses(previous):
    if previous is None:
        return {}
    if previous.is_locked:
        return {
            sub["id"]: sub["status"]
            for strategy in previous.content["strategies"]
            for activity in strategy["activities"]
            for sub in activity["subactivities"]
        }
    return {
        pk: record.status for pk, record in statuses_as_of(previous.revision, cut_off_moment(previous.cut_off)).items()
    }


def _value(value, measure):
    if value is None:
        return None
    return {
        "text": format_value(measure, value),
        "period": value.period_label,
        "year": value.year,
        "half": value.half,
        "value": float(value.value) if value.value is not None else None,
        "yes_no": value.yes_no,
        "source": value.source,
        "note": value.note,
        "example": value.is_example,
    }


def _measure(measure, values, followup, organisations):
    """The measure's series per breakdown up to the follow-up's period: current and previous value, verdict."""

    def in_scope(value):
        """Values up to the follow-up's period: a first-half follow-up leaves out its year's other periods."""
        if value.year != followup.year:
            return value.year < followup.year
        return followup.half == 0 or value.half == 1

    series = []
    for breakdown in list(measure.breakdowns) or [""]:
        own = sorted(
            (v for v in values if v.breakdown == breakdown and v.organisation_id is None and in_scope(v)),
            key=lambda v: v.period,
        )
        current = own[-1] if own and own[-1].year == followup.year else None
        previous_values = [v for v in own if v is not current]
        if current is not None and measure.comparison == EffectMeasure.Comparison.NON_OVERLAPPING:
            previous_values = [v for v in previous_values if v.year < first_year(current)]
        previous = previous_values[-1] if previous_values else None
        verdict = judge(measure.direction, current, previous)
        series.append(
            {
                "breakdown": breakdown,
                "values": [_value(v, measure) for v in own],
                "current": _value(current, measure),
                "previous": _value(previous, measure),
                "met": verdict.met,
                "verdict": str(verdict.text),
            }
        )
    return {
        "id": measure.pk,
        "name": measure.name,
        "target": measure.target,
        "direction": measure.direction,
        "cadence": str(measure.get_cadence_display()),
        "forums": [f.name for f in measure.forums.all()],
        "data_source": measure.data_source,
        "unit": str(measure.get_unit_display()) if measure.unit else "",
        "non_overlapping": measure.comparison == EffectMeasure.Comparison.NON_OVERLAPPING,
        "series": series,
        "organisation_summary": _organisation_summary(measure, [v for v in values if in_scope(v)], organisations),
    }


def _organisation_summary(measure, values, organisations):
    """For a measure followed per organisation: how many organisations met the target, per breakdown."""
    if not measure.per_organisation:
        return []
    per_organisation = organisation_series(measure, organisations, values)
    return [
        {"breakdown": breakdown, "met": met, "judged": judged}
        for breakdown, met, judged in county_summary(measure, per_organisation)
        if judged
    ]


def build_content(followup):
    """The follow-up's content as plain data (JSON-serialisable), in the plan's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _build(followup)


def _build(followup):
    revision = followup.revision
    moment = cut_off_moment(followup.cut_off)
    as_of = statuses_as_of(revision, moment)
    previous = previous_followup(followup)
    before = _previous_statuses(previous)
    narratives = {n.strategy_id: n for n in followup.narratives.all()}
    organisations = list(Organisation.objects.all())
    values_by_measure = {}
    for value in EffectMeasureValue.objects.filter(measure__strategy__revision=revision):
        values_by_measure.setdefault(value.measure_id, []).append(value)
    measures_by_strategy = {}
    for measure in (
        EffectMeasure.objects.filter(strategy__revision=revision).prefetch_related("forums").order_by("number")
    ):
        measures_by_strategy.setdefault(measure.strategy_id, []).append(measure)
    activities_by_strategy = {}
    for activity in Activity.objects.filter(strategy__revision=revision).order_by("number"):
        activities_by_strategy.setdefault(activity.strategy_id, []).append(activity)
    subs_by_activity = {}
    for record in sorted(as_of.values(), key=lambda r: r.number):
        subs_by_activity.setdefault(record.activity_id, []).append(record)
    label = dict(SubActivity.Status.choices)
    answer_label = dict(SubActivity.Answer.choices)

    strategies, late, moved, total_counts = [], [], [], {}
    for strategy in Strategy.objects.filter(revision=revision).order_by("number"):
        counts, activities = {}, []
        for activity in activities_by_strategy.get(strategy.pk, []):
            subs = subs_by_activity.get(activity.pk, [])
            if not subs:
                continue  # the activity did not exist yet at the cut-off
            rows = []
            for record in subs:
                counts[record.status] = counts.get(record.status, 0) + 1
                was = before.get(record.id)
                changed = was is not None and was != record.status
                rows.append(
                    {
                        "id": record.id,
                        "name": record.name,
                        "sub_points": [p for p in record.sub_points.splitlines() if p.strip()],
                        "status": record.status,
                        "status_label": str(label.get(record.status, record.status)),
                        "status_text": record.status_text,
                        "measure": record.measure,
                        "target": record.target,
                        "answer": str(answer_label.get(record.answer, record.answer)),
                        "previous_status_label": str(label.get(was, was)) if was else None,
                        "changed": changed,
                    }
                )
                if changed:
                    moved.append(
                        {
                            "strategy": strategy.number,
                            "activity": activity.name,
                            "name": record.name,
                            "from": str(label.get(was, was)),
                            "to": str(label[record.status]),
                        }
                    )
            # As of the end of the cut-off day: on 31 December the year's priority periods have ended.
            is_late = activity.priority_end_year < moment.year and any(r.status != DONE for r in subs)
            entry = {
                "name": activity.name,
                "priority": activity.priority_period,
                "late": is_late,
                "subactivities": rows,
            }
            activities.append(entry)
            if is_late:
                late.append({"strategy": strategy.number, "name": activity.name, "priority": activity.priority_period})
        for status, n in counts.items():
            total_counts[status] = total_counts.get(status, 0) + n
        narrative = narratives.get(strategy.pk)
        strategies.append(
            {
                "id": strategy.pk,
                "number": strategy.number,
                "name": strategy.name,
                "narrative": {
                    "went_well": narrative.went_well if narrative else "",
                    "late_and_why": narrative.late_and_why if narrative else "",
                    "next_steps": narrative.next_steps if narrative else "",
                },
                "status_counts": counts,
                "measures": [
                    _measure(m, values_by_measure.get(m.pk, []), followup, organisations)
                    for m in measures_by_strategy.get(strategy.pk, [])
                ],
                "activities": activities,
            }
        )

    measure_changes = [
        {
            "strategy": s["number"],
            "name": m["name"],
            "breakdown": series["breakdown"],
            "met": series["met"],
            "verdict": series["verdict"],
        }
        for s in strategies
        for m in s["measures"]
        for series in m["series"]
        if series["current"]
    ]
    return {
        "local_arenas": _local_arenas(followup, revision),
        "title": f"Uppföljning av {revision.plan.name} {followup.period_label}",
        "plan_name": revision.plan.name,
        "plan_wording": {name: getattr(revision.plan, name) for name in Plan.wording_fields},
        "revision_label": revision.label,
        "period_label": followup.period_label,
        "year": followup.year,
        "cut_off": followup.cut_off.isoformat(),
        "previous_period_label": previous.period_label if previous else None,
        "summary": followup.summary,
        "status_labels": [[s.value, str(s.label)] for s in SubActivity.Status],
        "status_counts": total_counts,
        "strategies": strategies,
        "late_activities": late,
        "moved": moved,
        "measure_changes": measure_changes,
        "has_example_figures": any(
            v and v["example"]
            for s in strategies
            for m in s["measures"]
            for series in m["series"]
            for v in series["values"]
        ),
    }


def _local_arenas(followup, revision):
    """The county matrix of the recommended local activities as of the cut-off, and the arenas' narratives."""
    moment = cut_off_moment(followup.cut_off)
    records = records_as_of(LocalAdoption.history.filter(local_activity__strategy__revision=revision), moment)
    adoptions = {(r.arena_id, r.local_activity_id): r for r in records}
    matrix = build_matrix(revision, adoptions=adoptions, now=moment)
    narratives = {n.arena_id: n.text for n in followup.arena_narratives.all()}
    return {
        "arenas": [arena.short_name for arena in matrix["arenas"]],
        "rows": [
            {
                "strategy": row.local_activity.strategy.number,
                "text": row.local_activity.text,
                "cells": [str(cell.label) for cell in row.cells],
                "taken_up": row.taken_up,
            }
            for row in matrix["rows"]
        ],
        "taken_up": [column["taken_up"] for column in matrix["columns"]],
        "narratives": [{"arena": arena.short_name, "text": narratives.get(arena.pk, "")} for arena in matrix["arenas"]],
    }

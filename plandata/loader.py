"""Load a plan from its YAML fixture (fixtures/plan_*.yaml) into the database.

Organisations, forums and the plan are found by their slugs and created when missing. A revision is
loaded whole, once: if a revision with its label exists, its content is left exactly as it is, so loading
again duplicates nothing, brings back nothing an administrator deleted, and never undoes a status a project
leader has set. Of an existing plan, only the words it lacks (Plan.wording_fields, optional in the fixture)
are filled in. The objects of a newly loaded revision get a first history entry dated its in-force date,
since that is when the plan's content held.
"""

import datetime
from dataclasses import dataclass, field

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, SubActivity
from plan.history import save_with_history
from plan.models import Forum, GuidingPrinciple, Organisation, Plan, PlanRevision
from strategies.models import EffectMeasure, LocalActivity, Strategy, StrategyQuote

CHANGE_REASON = _("Loaded from the plan's source text")


@dataclass
class ImportSummary:
    created: dict = field(default_factory=dict)
    total: dict = field(default_factory=dict)
    kept_revisions: list = field(default_factory=list)

    def count(self, model, created):
        name = model._meta.verbose_name_plural
        self.total[name] = self.total.get(name, 0) + 1
        self.created[name] = self.created.get(name, 0) + int(created)

    def __str__(self):
        parts = [f"{n} {name} ({self.created[name]} new)" for name, n in self.total.items()]
        kept = [f"revision {label} existed and was left as it is" for label in self.kept_revisions]
        return "Plan loaded: " + ", ".join(parts + kept)


class _Loader:
    def __init__(self, history_date):
        self.history_date = history_date
        self.summary = ImportSummary()

    def get_or_create(self, model, lookup, values):
        obj = model.objects.filter(**lookup).first()
        created = obj is None
        if created:
            obj = model(**lookup, **values)
            obj.full_clean()
            obj._history_date = self.history_date
            save_with_history(obj, user=None, reason=CHANGE_REASON)
        self.summary.count(model, created)
        return obj, created


# An effect measure's follow-up per organisation and its open data source, as the fixture gives them.
MEASURE_SOURCE_FIELDS = ["per_organisation", "fetch_source", "fetch_reference"]


def _start_of_day(date):
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time.min))


def load_plan_file(path):
    with open(path, encoding="utf-8") as f:
        return load_plan_data(yaml.safe_load(f))


@transaction.atomic
def load_plan_data(data):
    first_in_force = min(r["in_force_from"] for r in data["plan"]["revisions"])
    loader = _Loader(history_date=_start_of_day(first_in_force))

    organisations = {}
    for item in data["organisations"]:
        codes = "\n".join(item.get("identity_codes", []))
        organisation, created = loader.get_or_create(
            Organisation, {"slug": item["slug"]}, {"name": item["name"], "kind": item["kind"], "identity_codes": codes}
        )
        if not created and codes and not organisation.identity_codes:
            organisation.identity_codes = codes  # an existing organisation gets the codes it lacks
            save_with_history(organisation, user=None, reason=CHANGE_REASON)
        organisations[item["slug"]] = organisation
    forums = {}
    for item in data["forums"]:
        forums[item["slug"]], _ = loader.get_or_create(
            Forum,
            {"slug": item["slug"]},
            {
                "name": item["name"],
                "kind": item["kind"],
                "description": item.get("description", ""),
                "organisation": organisations.get(item.get("organisation")),
            },
        )

    plan_data = data["plan"]
    wording = {name: plan_data.get(name, "") for name in Plan.wording_fields}
    plan, created = loader.get_or_create(
        Plan, {"slug": plan_data["slug"]}, {"name": plan_data["name"], "region": plan_data["region"], **wording}
    )
    if not created:
        _fill_empty_wording(plan, wording)
    for revision_data in plan_data["revisions"]:
        _load_revision(loader, plan, revision_data, forums)
    return loader.summary


def _fill_empty_wording(plan, wording):
    """The fixture's words for those the plan lacks; a word the plan has (an administrator's) is kept."""
    missing = {name: value for name, value in wording.items() if value and not getattr(plan, name)}
    if not missing:
        return
    for name, value in missing.items():
        setattr(plan, name, value)
    plan.full_clean()
    save_with_history(plan, user=None, reason=CHANGE_REASON)


def _load_revision(loader, plan, data, forums):
    loader.history_date = _start_of_day(data["in_force_from"])
    revision, created = loader.get_or_create(
        PlanRevision,
        {"plan": plan, "label": data["label"]},
        {
            "state": data.get("state", PlanRevision.State.DRAFT),
            "in_force_from": data["in_force_from"],
            "next_revision_due": data["next_revision_due"],
            "vision": data["vision"],
            "vision_text": data.get("vision_text", ""),
            "follow_up_text": data.get("follow_up_text", ""),
        },
    )
    if not created:
        loader.summary.kept_revisions.append(revision.label)
        return
    for number, text in enumerate(data.get("guiding_principles", []), start=1):
        loader.get_or_create(GuidingPrinciple, {"revision": revision, "number": number}, {"text": text})
    for strategy_data in data["strategies"]:
        _load_strategy(loader, revision, strategy_data, forums)


def _load_strategy(loader, revision, data, forums):
    strategy, _ = loader.get_or_create(
        Strategy, {"revision": revision, "number": data["number"]}, {"name": data["name"]}
    )
    for position, quote in enumerate(data.get("quotes", []), start=1):
        loader.get_or_create(
            StrategyQuote,
            {"strategy": strategy, "position": position},
            {"perspective": quote["perspective"], "text": quote["text"]},
        )
    for number, item in enumerate(data.get("effect_measures", []), start=1):
        measure, created = loader.get_or_create(
            EffectMeasure,
            {"strategy": strategy, "number": number},
            {
                "name": item["name"],
                "target": item["target"],
                "direction": item["direction"],
                "follow_up": item.get("follow_up", ""),
                "cadence": item.get("cadence", EffectMeasure.Cadence.YEARLY),
                "breakdowns": item.get("breakdowns", []),
                "data_source": item.get("data_source", ""),
                "unit": item.get("unit", ""),
                "decimals": item.get("decimals", 2),
                **{name: item[name] for name in [*MEASURE_SOURCE_FIELDS, "comparison"] if name in item},
            },
        )
        if created:
            measure.forums.set([forums[slug] for slug in item.get("forums", [])])
        else:  # a measure loaded before these fields existed gets them
            missing = {
                name: item[name] for name in MEASURE_SOURCE_FIELDS if item.get(name) and not getattr(measure, name)
            }
            if item.get("comparison", measure.comparison) != measure.comparison:
                missing["comparison"] = item["comparison"]
            if item.get("unit") and not measure.unit:
                missing |= {"unit": item["unit"], "decimals": item.get("decimals", measure.decimals)}
            if missing:
                for name, value in missing.items():
                    setattr(measure, name, value)
                save_with_history(measure, user=None, reason=CHANGE_REASON)
    for number, text in enumerate(data.get("local_activities", []), start=1):
        loader.get_or_create(LocalActivity, {"strategy": strategy, "number": number}, {"text": text})
    for activity_data in data.get("activities", []):
        _load_activity(loader, strategy, activity_data)


def _load_activity(loader, strategy, data):
    start, end = data["priority"]
    activity, _ = loader.get_or_create(
        Activity,
        {"strategy": strategy, "number": data["number"]},
        {"name": data["name"], "priority_start_year": start, "priority_end_year": end},
    )
    for number, item in enumerate(data["subactivities"], start=1):
        loader.get_or_create(
            SubActivity,
            {"activity": activity, "number": number},
            {
                "name": item["name"],
                "sub_points": "\n".join(item.get("sub_points", [])),
                "status": item["status"],
                "status_text": item.get("status_text", ""),
                "measure": item.get("measure", ""),
                "target": item.get("target", ""),
            },
        )

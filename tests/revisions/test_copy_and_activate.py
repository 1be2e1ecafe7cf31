import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Activity, SubActivity
from activities.services import subactivity_update_status
from followup.models import EffectMeasureValue
from plan.models import Forum, GuidingPrinciple, Organisation, PlanRevision
from plandata.demo import generate_demo_data
from revisions.services import RevisionError, activate_due_revisions, activate_revision, start_revision
from strategies.models import ArenaLocalActivity, EffectMeasure, LocalActivity, LocalAdoption, Strategy, StrategyQuote

CONTENT = [
    (GuidingPrinciple, "revision", ["number", "text"]),
    (Strategy, "revision", ["number", "name"]),
    (StrategyQuote, "strategy__revision", ["strategy__number", "position", "perspective", "text"]),
    (
        EffectMeasure,
        "strategy__revision",
        [
            "strategy__number",
            "number",
            "name",
            "target",
            "direction",
            "follow_up",
            "cadence",
            "breakdowns",
            "data_source",
            "forums__slug",
        ],
    ),
    (LocalActivity, "strategy__revision", ["strategy__number", "number", "text"]),
    (
        Activity,
        "strategy__revision",
        [
            "strategy__number",
            "number",
            "name",
            "priority_start_year",
            "priority_end_year",
            "leader",
            "responsible_organisations__slug",
        ],
    ),
    (
        SubActivity,
        "activity__strategy__revision",
        [
            "activity__strategy__number",
            "activity__number",
            "number",
            "name",
            "sub_points",
            "status",
            "status_text",
            "measure",
            "target",
            "answer",
        ],
    ),
]


def snapshot(revision):
    return {
        model.__name__: sorted(
            model.objects.filter(**{lookup: revision}).values_list(*fields), key=lambda row: [str(v) for v in row]
        )
        for model, lookup, fields in CONTENT
    }


@pytest.mark.django_db
def test_a_draft_copies_everything_and_links_each_item_to_its_predecessor(plan, plan_admin):
    before = snapshot(plan)
    draft = start_revision(plan, label="2027", in_force_from=datetime.date(2026, 12, 1), user=plan_admin)

    assert snapshot(draft) == before
    assert snapshot(plan) == before
    assert before["SubActivity"] and len(before["SubActivity"]) == 35
    assert (draft.state, draft.predecessor, draft.next_revision_due) == ("draft", plan, datetime.date(2029, 12, 1))
    assert draft.vision == plan.vision
    for model, lookup, _fields in CONTENT:
        copies = model.objects.filter(**{lookup: draft})
        originals = set(model.objects.filter(**{lookup: plan}).values_list("pk", flat=True))
        assert {c.predecessor_id for c in copies} == originals, model
    copy = (
        SubActivity.objects.filter(activity__strategy__revision=draft).select_related("predecessor__activity").first()
    )
    assert copy.activity.predecessor == copy.predecessor.activity
    record = copy.history.get()
    assert (record.history_user, record.history_change_reason) == (plan_admin, "Kopierad från revision 2023")


# Every kind of item a draft copies, its path to the revision and its parent, parents first.
COPIED = [
    (GuidingPrinciple, "revision", "revision"),
    (Strategy, "revision", "revision"),
    (StrategyQuote, "strategy__revision", "strategy"),
    (EffectMeasure, "strategy__revision", "strategy"),
    (LocalActivity, "strategy__revision", "strategy"),
    (Activity, "strategy__revision", "strategy"),
    (SubActivity, "activity__strategy__revision", "activity"),
]
COPIED_LINKS = {EffectMeasure: "forums", Activity: "responsible_organisations"}


def values(obj, model):
    return {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields if not f.primary_key}


@pytest.mark.django_db
def test_each_copy_and_its_history_are_its_original_field_by_field(plan, plan_admin, subactivity):
    # Links to copy and none, a leader, and a sub-activity whose version a copy starts again from.
    activity = Activity.objects.filter(strategy__revision=plan).order_by("pk").first()
    activity.responsible_organisations.set(Organisation.objects.all()[:2])
    activity.leader = plan_admin
    activity.save()
    EffectMeasure.objects.filter(strategy__revision=plan, forums__isnull=False).first().forums.clear()
    subactivity.raise_version()
    draft = start_revision(plan, label="2027", in_force_from=datetime.date(2026, 12, 1), user=plan_admin)

    reason = "Kopierad från revision 2023"
    [record] = draft.history.all()
    assert (record.history_type, record.history_user, record.history_change_reason) == ("+", plan_admin, reason)
    copy_of = {("revision", plan.pk): draft.pk}
    for model, path, parent in COPIED:
        originals = list(model.objects.filter(**{path: plan}))
        copies = {copy.predecessor_id: copy for copy in model.objects.filter(**{path: draft}).order_by("pk")}
        assert list(copies) == [original.pk for original in originals], model  # in the same order
        for original in originals:
            copy = copies[original.pk]
            expected = values(original, model) | {
                "predecessor_id": original.pk,
                f"{parent}_id": copy_of[parent, getattr(original, f"{parent}_id")],
            }
            if model is SubActivity:
                expected["version"] = 1
            assert values(copy, model) == expected, (model, original.pk)
            records = list(copy.history.order_by("history_date", "history_id"))
            for record in records:
                assert values(record, model) == values(copy, model)
                assert (record.history_user, record.history_change_reason) == (plan_admin, reason)
            linked = set(getattr(original, COPIED_LINKS[model]).all()) if model in COPIED_LINKS else set()
            # Links are added after the copy is saved, as `.set()` adds them: a second record, with the links.
            assert [r.history_type for r in records] == (["+", "~"] if linked else ["+"]), (model, original.pk)
            if linked:
                assert set(getattr(copy, COPIED_LINKS[model]).all()) == linked
                target = model._meta.get_field(COPIED_LINKS[model]).m2m_reverse_field_name()
                assert {getattr(link, target) for link in getattr(records[1], COPIED_LINKS[model]).all()} == linked
            copy_of[model._meta.model_name, original.pk] = copy.pk
    assert Activity.objects.get(predecessor=activity).leader == plan_admin
    assert SubActivity.objects.get(predecessor=subactivity).version == 1


@pytest.mark.postgresql_only
@pytest.mark.django_db
def test_starting_a_revision_takes_the_same_queries_whatever_the_plans_size(plan, plan_admin):
    # the savepoint (the test runs in a transaction), the revision in force (locked), any draft, the draft and
    # its record; per kind of item (guiding principles, strategies, quotes, effect measures, recommended local
    # activities, activities, sub-activities) the originals, their copies and the copies' records; the links of
    # the effect measures and activities, and for the measures' (the plan's activities have none) the copies'
    # links, their records and the links saved with them; the savepoint's release
    def queries():
        with CaptureQueriesContext(connection) as captured:
            draft = start_revision(plan, label="2027", in_force_from=datetime.date(2026, 12, 1), user=plan_admin)
        return draft, len(captured)

    draft, small = queries()
    draft.delete()
    generate_demo_data(10)
    draft, large = queries()
    assert Activity.objects.filter(strategy__revision=draft).count() == 160
    assert small == large == 1 + 4 + 7 * 3 + 2 + 3 + 1


@pytest.mark.django_db
def test_editing_the_draft_leaves_the_revision_in_force_as_it_was(plan, draft):
    before = snapshot(plan)
    activity = Activity.objects.filter(strategy__revision=draft).first()
    activity.name = "Nytt namn"
    activity.priority_end_year = 2029
    activity.save()
    SubActivity.objects.filter(activity__strategy__revision=draft).first().delete()
    Strategy.objects.filter(revision=draft).update(name="Ändrad")

    assert snapshot(plan) == before


@pytest.mark.django_db
def test_a_plan_has_at_most_one_draft_and_only_the_revision_in_force_is_revised(plan, draft, plan_admin):
    with pytest.raises(RevisionError):
        start_revision(plan, label="2028", in_force_from=datetime.date(2027, 1, 1), user=plan_admin)
    with pytest.raises(RevisionError):
        start_revision(draft, label="2028", in_force_from=datetime.date(2027, 1, 1), user=plan_admin)


@pytest.mark.django_db
def test_activation_supersedes_the_revision_in_force_and_carries_statuses_over(
    plan, draft, plan_admin, leader, subactivity
):
    # The project leader goes on working in the revision in force while the draft is edited.
    subactivity_update_status(
        subactivity=subactivity,
        user=leader,
        status="klar",
        text="Klart i november",
        answer="ja",
        comment="Färdigt",
        expected_version=subactivity.version,
    )
    arena = Forum.objects.filter(kind="local").first()
    local_activity = LocalActivity.objects.filter(strategy__revision=plan).first()
    LocalAdoption.objects.create(arena=arena, local_activity=local_activity, state="antagen")
    ArenaLocalActivity.objects.create(arena=arena, strategy=local_activity.strategy, name="Egen aktivitet")
    measure = EffectMeasure.objects.filter(strategy__revision=plan, direction="increase").first()
    EffectMeasureValue.objects.create(measure=measure, year=2025, value=12)

    previous = activate_revision(draft, user=plan_admin)

    plan.refresh_from_db()
    draft.refresh_from_db()
    assert (previous, plan.state, draft.state) == (plan, "superseded", "in_force")
    successor = SubActivity.objects.get(predecessor=subactivity)
    assert (successor.status, successor.status_text, successor.answer) == ("klar", "Klart i november", "ja")
    assert successor.history.first().history_change_reason == "Status överförd från revision 2023"
    assert LocalAdoption.objects.get(arena=arena, local_activity__predecessor=local_activity).state == "antagen"
    assert ArenaLocalActivity.objects.filter(strategy__revision=draft, name="Egen aktivitet").count() == 1
    assert EffectMeasureValue.objects.get(measure__predecessor=measure, year=2025).value == 12
    # The superseded revision keeps everything it had.
    assert SubActivity.objects.get(pk=subactivity.pk).status == "klar"
    assert EffectMeasureValue.objects.filter(measure=measure).count() == 1
    with pytest.raises(RevisionError):
        activate_revision(draft, user=plan_admin)


@pytest.mark.django_db
def test_drafts_whose_in_force_date_has_come_are_activated_by_the_daily_command(plan, draft):
    assert activate_due_revisions(today=datetime.date(2026, 11, 30)) == []
    call_command("activate_due_revisions", "--date", "2026-12-01")
    assert PlanRevision.objects.in_force().get() == draft

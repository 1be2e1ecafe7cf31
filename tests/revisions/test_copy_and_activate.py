import datetime

import pytest
from django.core.management import call_command

from activities.models import Activity, SubActivity
from activities.services import subactivity_update_status
from followup.models import EffectMeasureValue
from plan.models import Forum, GuidingPrinciple, PlanRevision
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

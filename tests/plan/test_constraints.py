"""The rules the database holds, each a named constraint."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from activities.models import Activity, SubActivity
from plan.models import Forum, GuidingPrinciple, Organisation, PlanRevision
from strategies.models import EffectMeasure, LocalActivity, Strategy, StrategyQuote

pytestmark = pytest.mark.django_db


def violates(constraint_name, make):
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        make()
    message = str(excinfo.value)
    if connection.vendor == "sqlite" and "UNIQUE constraint failed" in message:
        return  # SQLite names the columns of a unique constraint, not the constraint; PostgreSQL names it.
    assert constraint_name in message


def strategy():
    return Strategy.objects.get(number=1)


def activity():
    return Activity.objects.filter(strategy__number=1).first()


def test_activity_priority_start_not_after_end():
    a = activity()
    violates(
        "activity_priority_start_not_after_end",
        lambda: Activity.objects.filter(pk=a.pk).update(priority_start_year=2026, priority_end_year=2024),
    )


def test_activity_number_unique_per_strategy():
    a = activity()
    violates(
        "activity_number_unique_per_strategy",
        lambda: Activity.objects.create(
            strategy=a.strategy, number=a.number, name="Dubblett", priority_start_year=2024, priority_end_year=2025
        ),
    )


def test_subactivity_status_and_answer_must_be_known_values():
    sub = SubActivity.objects.first()
    violates("subactivity_status_valid", lambda: SubActivity.objects.filter(pk=sub.pk).update(status="okänd"))
    violates("subactivity_answer_valid", lambda: SubActivity.objects.filter(pk=sub.pk).update(answer="kanske"))


def test_subactivity_number_unique_per_activity():
    sub = SubActivity.objects.first()
    violates(
        "subactivity_number_unique_per_activity",
        lambda: SubActivity.objects.create(activity=sub.activity, number=sub.number, name="Dubblett"),
    )


def test_strategy_number_unique_per_revision():
    s = strategy()
    violates(
        "strategy_number_unique_per_revision", lambda: Strategy.objects.create(revision=s.revision, number=1, name="X")
    )


def test_only_one_revision_in_force_per_plan():
    revision = PlanRevision.objects.in_force().get()
    violates(
        "one_revision_in_force_per_plan",
        lambda: PlanRevision.objects.create(
            plan=revision.plan,
            label="2026",
            state=PlanRevision.State.IN_FORCE,
            in_force_from=datetime.date(2026, 12, 1),
            next_revision_due=datetime.date(2029, 12, 1),
            vision="X",
        ),
    )


def test_a_draft_revision_may_exist_beside_the_one_in_force():
    revision = PlanRevision.objects.in_force().get()
    PlanRevision.objects.create(
        plan=revision.plan,
        label="2026",
        in_force_from=datetime.date(2026, 12, 1),
        next_revision_due=datetime.date(2029, 12, 1),
        vision="X",
    )
    assert PlanRevision.objects.count() == 2


def test_revision_due_after_in_force():
    revision = PlanRevision.objects.in_force().get()
    violates(
        "revision_due_after_in_force",
        lambda: PlanRevision.objects.filter(pk=revision.pk).update(next_revision_due=datetime.date(2023, 1, 1)),
    )


def test_effect_measure_direction_and_cadence_must_be_known_values():
    measure = EffectMeasure.objects.first()
    violates(
        "effect_measure_direction_valid", lambda: EffectMeasure.objects.filter(pk=measure.pk).update(direction="upp")
    )
    violates(
        "effect_measure_cadence_valid", lambda: EffectMeasure.objects.filter(pk=measure.pk).update(cadence="dagligen")
    )


def test_a_local_arena_forum_belongs_to_an_organisation():
    violates(
        "forum_local_arena_has_organisation",
        lambda: Forum.objects.create(slug="lokal-x", name="Lokal X", kind=Forum.Kind.LOCAL),
    )


def test_organisation_kind_must_be_known():
    violates("organisation_kind_valid", lambda: Organisation.objects.create(slug="x", name="X", kind="stat"))


@pytest.mark.parametrize(
    "constraint, make",
    [
        (
            "quote_position_unique_per_strategy",
            lambda s: StrategyQuote.objects.create(strategy=s, position=1, perspective="invanare", text="X"),
        ),
        (
            "quote_perspective_valid",
            lambda s: StrategyQuote.objects.create(strategy=s, position=9, perspective="politiker", text="X"),
        ),
        (
            "local_activity_number_unique_per_strategy",
            lambda s: LocalActivity.objects.create(strategy=s, number=1, text="X"),
        ),
        (
            "effect_measure_number_unique_per_strategy",
            lambda s: EffectMeasure.objects.create(strategy=s, number=1, name="X", target="X", direction="increase"),
        ),
        (
            "principle_number_unique_per_revision",
            lambda s: GuidingPrinciple.objects.create(revision=s.revision, number=1, text="X"),
        ),
        ("strategy_number_positive", lambda s: Strategy.objects.create(revision=s.revision, number=0, name="X")),
    ],
)
def test_numbering_and_choices_of_plan_content(constraint, make):
    s = strategy()
    violates(constraint, lambda: make(s))

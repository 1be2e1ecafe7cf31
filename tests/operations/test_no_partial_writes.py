"""A connection to the database lost in the middle of a write leaves the data as it was: no half-saved status,
half-activated revision or half-locked follow-up, and no history record of what did not happen. The connection
is ended for real, by PostgreSQL's pg_terminate_backend from a second connection, at a point inside the
operation: when one of its saves has been sent (a model's or its history record's save signal)."""

import datetime
from contextlib import contextmanager

import psycopg
import pytest
import time_machine
from django.apps import apps
from django.db import InterfaceError, OperationalError, connection
from django.db.models.signals import post_save, pre_save

from activities.models import SubActivity
from activities.services import subactivity_update_status
from followup.models import EffectMeasureValue, FollowUp
from followup.services import followup_lock, followup_open
from plan.models import PlanRevision
from revisions.services import activate_revision, start_revision
from strategies.models import EffectMeasure
from tests.conftest import SUBACTIVITY

pytestmark = [pytest.mark.postgresql_only, pytest.mark.django_db(transaction=True)]

CONNECTION_LOST = (OperationalError, InterfaceError)
OUR_APPS = ["plan", "strategies", "activities", "revisions", "followup", "meetings"]


def every_row():
    """Every row of every table of the application, the history's included, in primary-key order."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for app in OUR_APPS
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
    }


def backend_pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@contextmanager
def connection_killed_at(signal, sender):
    """Ends this test's database connection, from a second one, the first time `signal` is sent for `sender`, as
    a restart of the database server or a broken network would. Afterwards the test works on a new connection."""
    killed = []

    def kill(**kwargs):
        if killed:
            return
        pid = backend_pid()
        db = connection.settings_dict
        with psycopg.connect(
            dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"]
        ) as other:
            # Waits (up to 5 s) until the backend has gone, so the operation's next statement fails.
            assert other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid]).fetchone()[0]
        killed.append(pid)

    signal.connect(kill, sender=sender, weak=False)
    try:
        yield
    finally:
        signal.disconnect(kill, sender=sender)
        connection.close()
    assert killed, f"{signal} was never sent for {sender.__name__}"
    assert backend_pid() != killed[0]


SUBACTIVITY_POINTS = {
    "its version raised": (pre_save, SubActivity),
    "it and its history record saved": (post_save, SubActivity.history.model),
}


@pytest.mark.parametrize("point", SUBACTIVITY_POINTS)
def test_a_status_update_that_loses_its_connection_saves_nothing(plan, subactivity, leader, point):
    def update():
        return subactivity_update_status(
            subactivity=SubActivity.objects.get(pk=subactivity.pk),
            user=leader,
            status="klar",
            text="Klar enligt plan",
            answer="ja",
            comment="Klart",
            expected_version=subactivity.version,
        )

    records = subactivity.history.count()
    before = every_row()
    with connection_killed_at(*SUBACTIVITY_POINTS[point]), pytest.raises(CONNECTION_LOST):
        update()

    assert every_row() == before
    # Done again, it goes through: one new version, one history record.
    assert update().version == subactivity.version + 1
    assert subactivity.history.count() == records + 1


ACTIVATION_POINTS = {
    "a status carried over": (post_save, SubActivity.history.model),
    "an effect-measure value carried over": (post_save, EffectMeasureValue.history.model),
    "the revision in force superseded": (post_save, PlanRevision.history.model),
}


@pytest.mark.parametrize("point", ACTIVATION_POINTS)
def test_an_activation_that_loses_its_connection_leaves_every_revision_as_it_was(plan, plan_admin, point):
    draft = start_revision(plan, label="2027", in_force_from=datetime.date(2026, 12, 1), user=plan_admin)
    # Since the draft was started, a status has changed and a value has been entered: activation carries them over.
    changed = SubActivity.objects.get(activity__strategy__revision=plan, name=SUBACTIVITY)
    subactivity_update_status(
        subactivity=changed,
        user=plan_admin,
        status="klar",
        text="Klar",
        answer="ja",
        comment="Klart",
        expected_version=changed.version,
    )
    measure = EffectMeasure.objects.get(strategy__revision=plan, name__startswith="Läkarbesök i hemmet")
    EffectMeasureValue.objects.create(measure=measure, year=2025, value=100)

    before = every_row()
    with connection_killed_at(*ACTIVATION_POINTS[point]), pytest.raises(CONNECTION_LOST):
        activate_revision(draft, user=plan_admin)

    assert every_row() == before
    states = dict(PlanRevision.objects.values_list("label", "state"))
    assert states == {plan.label: PlanRevision.State.IN_FORCE, "2027": PlanRevision.State.DRAFT}
    assert SubActivity.objects.get(predecessor=changed).status != "klar"

    activate_revision(draft, user=plan_admin)
    assert PlanRevision.objects.in_force().get() == draft
    assert SubActivity.objects.get(predecessor=changed).status == "klar"
    assert EffectMeasureValue.objects.filter(measure__predecessor=measure, year=2025).count() == 1


LOCK_POINTS = {
    "saved as locked with its report": (pre_save, FollowUp.history.model),
    "its history record saved": (post_save, FollowUp.history.model),
}


@pytest.mark.parametrize("point", LOCK_POINTS)
def test_a_follow_up_lock_that_loses_its_connection_leaves_it_open(plan, plan_admin, point):
    followup = followup_open(revision=plan, year=2025, half=0, cut_off=datetime.date(2025, 12, 31), user=plan_admin)
    before = every_row()
    with time_machine.travel(datetime.datetime(2026, 1, 10, 12, tzinfo=datetime.UTC), tick=False):
        with connection_killed_at(*LOCK_POINTS[point]), pytest.raises(CONNECTION_LOST):
            followup_lock(followup=followup, user=plan_admin)

        assert every_row() == before
        followup.refresh_from_db()
        assert (followup.state, followup.content, followup.report_pdf, followup.locked_at) == ("open", None, None, None)
        assert followup.history.count() == 1

        locked = followup_lock(followup=followup, user=plan_admin)
    assert locked.state == FollowUp.State.LOCKED and bytes(locked.report_pdf).startswith(b"%PDF")
    assert followup.history.count() == 2

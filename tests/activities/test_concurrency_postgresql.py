"""Two people saving the same delaktivitet at the same moment, on two real PostgreSQL connections."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from activities.models import SubActivity
from activities.services import StaleVersion, subactivity_update_status
from tests.conftest import SUBACTIVITY

pytestmark = [pytest.mark.postgresql_only, pytest.mark.django_db(transaction=True)]


def save(pk, user, status, outcome, before_commit=None):
    """Runs in its own thread, so on its own database connection."""
    try:
        with transaction.atomic():
            subactivity_update_status(
                subactivity=SubActivity.objects.get(pk=pk),
                user=user,
                status=status,
                text=f"Sparat av {user}",
                answer="ja",
                comment=f"{user} sparar",
                expected_version=1,
            )
            if before_commit:
                before_commit()
        outcome[user.username] = "saved"
    except StaleVersion:
        outcome[user.username] = "refused"
    finally:
        connections.close_all()


def wait_until_a_query_waits_for_a_lock(pattern, seconds=20):
    """True once exactly one query LIKE `pattern` waits for a lock, as pg_stat_activity shows it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE %s", [pattern]
            )
            if cursor.fetchone()[0] == 1:
                return True
        time.sleep(0.05)
    return False


def join(*threads):
    for thread in threads:
        thread.join(timeout=30)
        assert not thread.is_alive()


def run(*threads):
    for thread in threads:
        thread.start()
    join(*threads)


@pytest.fixture
def pk(plan, region_activity):
    return region_activity.subactivities.get(name=SUBACTIVITY).pk


def test_of_two_simultaneous_saves_exactly_one_wins(pk, leader, plan_admin):
    for round_number in range(10):
        SubActivity.objects.filter(pk=pk).update(version=1, status="pagar")
        start = threading.Barrier(2)
        outcome = {}

        def racer(user, status, start=start, outcome=outcome):
            start.wait()
            save(pk, user, status, outcome)

        run(
            threading.Thread(target=racer, args=(leader, "klar")),
            threading.Thread(target=racer, args=(plan_admin, "avvaktar")),
        )

        assert sorted(outcome.values()) == ["refused", "saved"], (round_number, outcome)
        winner = leader if outcome[leader.username] == "saved" else plan_admin
        saved = SubActivity.objects.get(pk=pk)
        assert (saved.version, saved.status_text) == (2, f"Sparat av {winner}")


def test_the_second_save_waits_for_the_first_to_commit_and_is_then_refused(pk, leader, plan_admin):
    first_holds_lock, release_first = threading.Event(), threading.Event()
    outcome = {}

    def hold():
        first_holds_lock.set()
        assert release_first.wait(timeout=20)

    first = threading.Thread(target=save, args=(pk, leader, "klar", outcome, hold))
    first.start()
    assert first_holds_lock.wait(timeout=20)
    second = threading.Thread(target=save, args=(pk, plan_admin, "avvaktar", outcome))
    second.start()

    # The second save's UPDATE now waits for the first transaction's row lock, seen from a third connection.
    if not wait_until_a_query_waits_for_a_lock('UPDATE "activities_subactivity"%'):
        pytest.fail("the second save never waited for the first one's lock")
    assert outcome == {}

    release_first.set()
    join(first, second)

    assert outcome == {leader.username: "saved", plan_admin.username: "refused"}
    saved = SubActivity.objects.get(pk=pk)
    assert (saved.status, saved.version) == ("klar", 2)
    assert saved.history.filter(version=2).count() == 1


def test_activation_waits_for_a_status_update_under_way_and_carries_it_over(pk, leader, plan_admin):
    import datetime

    from plan.models import PlanRevision
    from revisions.services import activate_revision, start_revision

    current = PlanRevision.objects.in_force().get()
    draft = start_revision(current, label="2027", in_force_from=datetime.date(2026, 12, 1), user=plan_admin)
    update_holds_lock, release_update = threading.Event(), threading.Event()
    outcome = {}

    def hold():
        update_holds_lock.set()
        assert release_update.wait(timeout=20)

    def activate():
        try:
            activate_revision(draft, user=plan_admin)
            outcome["activation"] = "done"
        finally:
            connections.close_all()

    update = threading.Thread(target=save, args=(pk, leader, "klar", outcome, hold))
    update.start()
    assert update_holds_lock.wait(timeout=20)
    activation = threading.Thread(target=activate)
    activation.start()

    # The activation waits for the update's share lock on the revision in force, seen from a third connection.
    if not wait_until_a_query_waits_for_a_lock('%FROM "plan_planrevision"%FOR UPDATE%'):
        pytest.fail("the activation never waited for the status update under way")
    assert outcome == {}

    release_update.set()
    join(update, activation)

    assert outcome == {leader.username: "saved", "activation": "done"}
    assert SubActivity.objects.get(predecessor_id=pk).status == "klar"

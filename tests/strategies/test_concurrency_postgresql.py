"""Two members saving the same cell of the local arenas' matrix at the same moment, on two real PostgreSQL
connections: the cell's first save (no row yet) and a change from the same version."""

import threading

import pytest
from django.db import connections, transaction

from plan.models import Forum, Organisation
from strategies.models import LocalActivity, LocalAdoption
from strategies.services import StaleAdoption, local_adoption_update
from tests.activities.test_concurrency_postgresql import join, run, wait_until_a_query_waits_for_a_lock
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgresql_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cell(plan):
    return Forum.objects.get(slug="lokal-ostersund"), LocalActivity.objects.get(
        strategy__revision=plan, text__startswith="Öka medskapande"
    )


@pytest.fixture
def members(plan):
    ostersund = Organisation.objects.get(slug="ostersund")
    return [
        UserFactory(username=name, role="Lokal samverkansarena", organisation=ostersund) for name in ("lars", "karin")
    ]


def save(cell, user, expected_version, outcome, before_commit=None):
    """Runs in its own thread, so on its own database connection."""
    arena, activity = cell
    try:
        with transaction.atomic():
            local_adoption_update(
                arena=arena,
                local_activity=activity,
                user=user,
                state="pagar",
                text=f"Sparat av {user.username}",
                contact="",
                expected_version=expected_version,
            )
            if before_commit:
                before_commit()
        outcome[user.username] = "saved"
    except StaleAdoption as stale:
        outcome[user.username] = f"refused, sees {stale.current.text}"
    finally:
        connections.close_all()


def test_of_two_first_saves_of_a_cell_the_second_waits_and_is_refused_with_the_first(cell, members):
    first_member, second_member = members
    first_holds, release_first = threading.Event(), threading.Event()
    outcome = {}

    def hold():
        first_holds.set()
        assert release_first.wait(timeout=20)

    first = threading.Thread(target=save, args=(cell, first_member, 0, outcome, hold))
    first.start()
    assert first_holds.wait(timeout=20)
    second = threading.Thread(target=save, args=(cell, second_member, 0, outcome))
    second.start()

    # Neither saw a row; the second's INSERT waits on the unique constraint for the first to commit.
    if not wait_until_a_query_waits_for_a_lock('INSERT INTO "strategies_localadoption"%'):
        pytest.fail("the second first save never waited for the first one")
    release_first.set()
    join(first, second)

    assert outcome == {"lars": "saved", "karin": "refused, sees Sparat av lars"}
    [adoption] = LocalAdoption.objects.all()
    assert (adoption.text, adoption.version, adoption.history.count()) == ("Sparat av lars", 1, 1)


def test_of_two_simultaneous_saves_from_the_same_version_exactly_one_wins(cell, members):
    arena, activity = cell
    local_adoption_update(arena=arena, local_activity=activity, user=None, state="antagen", text="", contact="")
    for round_number in range(10):
        LocalAdoption.objects.update(version=1, text="")
        start = threading.Barrier(2)
        outcome = {}

        def racer(user, start=start, outcome=outcome):
            start.wait()
            save(cell, user, 1, outcome)

        run(*(threading.Thread(target=racer, args=(member,)) for member in members))

        [winner] = [username for username, result in outcome.items() if result == "saved"]
        [loser] = [username for username, result in outcome.items() if username != winner]
        assert outcome[loser] == f"refused, sees Sparat av {winner}", (round_number, outcome)
        saved = LocalAdoption.objects.get()
        assert (saved.version, saved.text) == (2, f"Sparat av {winner}")

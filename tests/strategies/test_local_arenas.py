import csv
import datetime
import io

import pytest
import time_machine

from plan.models import Forum, Organisation
from strategies.models import ArenaLocalActivity, LocalActivity, LocalAdoption, Strategy
from strategies.services import local_adoption_update
from tests.factories import UserFactory
from tests.pages import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def ostersund():
    return Forum.objects.get(slug="lokal-ostersund")


@pytest.fixture
def member(db):
    return UserFactory(
        username="lokal",
        first_name="Lars",
        last_name="Lokal",
        role="Lokal samverkansarena",
        organisation=Organisation.objects.get(slug="ostersund"),
    )


def activity(text_start):
    return LocalActivity.objects.get(text__startswith=text_start)


def adopt(arena, text_start, state, user, text=""):
    return local_adoption_update(
        arena=arena, local_activity=activity(text_start), user=user, state=state, text=text, contact=""
    )


def test_the_matrix_has_22_rows_and_8_arenas_with_totals(reviewer_client, ostersund, member):
    adopt(ostersund, "Öka medskapande", "antagen", member)
    adopt(ostersund, "Implementera arbetssätt för fasta kontakter", "klar", member)
    adopt(
        Forum.objects.get(slug="lokal-berg"), "Öka medskapande", "ej_antagen", member, text="Ingår redan i annan plan"
    )
    matrix = reviewer_client.get("/lokala-arenor/").context["matrix"]
    assert len(matrix["rows"]) == 22 and len(matrix["columns"]) == 8
    by_name = {c["arena"].short_name: c["taken_up"] for c in matrix["columns"]}
    assert (by_name["Östersund"], by_name["Berg"], by_name["Åre"]) == (2, 0, 0)
    first = matrix["rows"][0]
    assert first.taken_up == 1
    assert [c.label for c in first.cells if c.arena.short_name in ("Berg", "Östersund")] == [
        "Ej antagen",
        "Antagen i lokal plan",
    ]


def test_the_strategy_filter_and_the_csv_export(reviewer_client, ostersund, member):
    adopt(ostersund, "Utveckla samarbete med mobila team", "pagar", member)
    strategy = Strategy.objects.get(number=2)
    response = reviewer_client.get("/lokala-arenor/", {"strategy": strategy.pk, "_export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "Strategi",
        "Rekommenderad lokal aktivitet",
        "Berg",
        "Bräcke",
        "Härjedalen",
        "Krokom",
        "Ragunda",
        "Strömsund",
        "Åre",
        "Östersund",
        "Antagna",
    ]
    assert [r[1] for r in rows[1:4]] == [
        "Implementera arbetssätt för fasta kontakter",
        "Utveckla arbetssätt för teamsamverkan inom samt mellan verksamheter",
        "Utveckla samarbete med mobila team",
    ]
    assert rows[3][9:] == ["Pågår", "1"]
    assert rows[4][1:] == ["Antagna per arena", "0", "0", "0", "0", "0", "0", "0", "1", ""]


def test_a_member_updates_their_own_column_and_the_change_is_in_the_history(client, ostersund, member):
    client.force_login(member)
    url = f"/lokala-arenor/{ostersund.pk}/{activity('Öka medskapande').pk}/"
    data = {"state": "antagen", "text": "I lokal plan 2025", "contact": "Eva Ek", "version": "0"}
    response = client.post(url, data, follow=True)
    assert "Sparat: Östersund" in page_text(response)
    adoption = LocalAdoption.objects.get(arena=ostersund)
    assert (adoption.state, adoption.contact, adoption.updated_by) == ("antagen", "Eva Ek", member)
    history = page_text(client.get(url))
    assert "Läge: Ej behandlad → Antagen i lokal plan" in history or "Skapad: Östersund" in history
    assert "Lars Lokal" in history


def test_not_adopted_needs_a_reason(client, ostersund, member):
    client.force_login(member)
    url = f"/lokala-arenor/{ostersund.pk}/{activity('Öka medskapande').pk}/"
    response = client.post(url, {"state": "ej_antagen", "text": "", "contact": "", "version": "0"})
    assert response.status_code == 200
    assert "Ange varför aktiviteten inte antas." in page_text(response)
    assert not LocalAdoption.objects.exists()


def test_editing_another_arenas_column_is_refused(client, member):
    berg = Forum.objects.get(slug="lokal-berg")
    client.force_login(member)
    url = f"/lokala-arenor/{berg.pk}/{activity('Öka medskapande').pk}/"
    assert client.post(url, {"state": "antagen", "text": "", "contact": ""}).status_code == 403
    assert "Spara" not in page_text(client.get(url))
    assert (
        client.post(
            f"/lokala-arenor/{berg.pk}/", {"strategy": Strategy.objects.first().pk, "name": "X", "state": "pagar"}
        ).status_code
        == 403
    )
    assert not LocalAdoption.objects.exists() and not ArenaLocalActivity.objects.exists()


def test_a_member_adds_an_activity_of_the_arenas_own(client, ostersund, member, reviewer_client):
    client.force_login(member)
    strategy = Strategy.objects.get(number=4)
    client.post(
        f"/lokala-arenor/{ostersund.pk}/",
        {"strategy": strategy.pk, "name": "Hälsosamtal i skolan", "state": "pagar", "text": ""},
    )
    assert ArenaLocalActivity.objects.get().name == "Hälsosamtal i skolan"
    assert "Östersund : Hälsosamtal i skolan (Strategi 4, pågår)" in page_text(reviewer_client.get("/lokala-arenor/"))


def test_stale_flags_appear_exactly_after_the_configured_period(reviewer_client, ostersund, member, settings):
    settings.LOCAL_ARENA_STALE_DAYS = 30
    with time_machine.travel(datetime.datetime(2026, 1, 1, 12, tzinfo=datetime.UTC), tick=False):
        adopt(ostersund, "Öka medskapande", "antagen", member)
    for day, stale in [(30, False), (31, True)]:
        with time_machine.travel(
            datetime.datetime(2026, 1, 1, 12, tzinfo=datetime.UTC)
            + datetime.timedelta(days=day, seconds=-1 if not stale else 1),
            tick=False,
        ):
            matrix = reviewer_client.get("/lokala-arenor/").context["matrix"]
            column = next(c for c in matrix["columns"] if c["arena"] == ostersund)
            assert column["stale"] is stale, day
            assert matrix["rows"][0].stale is stale
            dashboard = reviewer_client.get("/lagesbild/").context
            assert (ostersund in dashboard["stale_arenas"]) is stale
            assert Forum.objects.get(slug="lokal-berg") in dashboard["stale_arenas"]  # never reported


def test_the_matrix_queries_do_not_grow_with_arenas_and_activities(reviewer_client, member, django_assert_num_queries):
    # session, user, roles, revision, filter strategies, arenas, local activities, adoptions, own activities
    # each count holds what the page cache reads: the data version, the arenas (keep_upload_link)
    with django_assert_num_queries(11):
        reviewer_client.get("/lokala-arenor/")
    for n in range(10):
        municipality = Organisation.objects.create(slug=f"kommun-{n}", name=f"Kommun {n}", kind="municipality")
        arena = Forum.objects.create(
            slug=f"lokal-{n}", name=f"Lokal samverkansarena {n}", kind="local", organisation=municipality
        )
        for local_activity in LocalActivity.objects.all()[:5]:
            local_adoption_update(
                arena=arena, local_activity=local_activity, user=member, state="pagar", text="", contact=""
            )
    for strategy in Strategy.objects.all():
        for n in range(20):
            LocalActivity.objects.create(strategy=strategy, number=100 + n, text=f"Extra {n}")
    with django_assert_num_queries(11):
        response = reviewer_client.get("/lokala-arenor/")
    assert len(response.context["matrix"]["columns"]) == 18 and len(response.context["matrix"]["rows"]) == 122


def test_the_cell_and_arena_pages_queries_do_not_grow(client, ostersund, member, django_assert_num_queries):
    client.force_login(member)
    first = activity("Öka medskapande")
    adopt(ostersund, "Öka medskapande", "pagar", member)
    cell, arena_page = f"/lokala-arenor/{ostersund.pk}/{first.pk}/", f"/lokala-arenor/{ostersund.pk}/"
    # cell: session, user, arena, activity with strategy, roles, adoption with its updater, its history
    # arena: session, user, arena, roles, the strategies of the form, the arena's own activities
    with django_assert_num_queries(7):
        client.get(cell)
    with django_assert_num_queries(6):
        client.get(arena_page)
    for n in range(20):
        adopt(ostersund, "Öka medskapande", "antagen" if n % 2 else "pagar", member)
        ArenaLocalActivity.objects.create(arena=ostersund, strategy=first.strategy, name=f"Egen {n}")
    with django_assert_num_queries(7):
        client.get(cell)
    with django_assert_num_queries(6):
        response = client.get(arena_page)
    assert len(response.context["own"]) == 20


def test_a_member_lands_on_the_county_matrix(client, member):
    client.force_login(member)
    assert client.get("/start/").url == "/lokala-arenor/"

import datetime

import pytest
import time_machine
from django.utils import timezone

from activities.services import subactivity_update_status
from plandata.demo import generate_demo_data
from tests.pages import page_text

pytestmark = pytest.mark.django_db

IN_2026 = datetime.datetime(2026, 11, 22, 12, tzinfo=datetime.UTC)


@pytest.fixture
def during_2026():
    with time_machine.travel(IN_2026, tick=False):
        yield


def rows_by_number(response):
    return {row["strategy"].number: row for row in response.context["rows"]}


def test_it_requires_login(client):
    assert client.get("/lagesbild/").status_code == 302


def test_reviewers_land_on_the_dashboard(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/start/").url == "/lagesbild/"


def test_the_numbers_match_the_plan(reviewer_client, during_2026):
    response = reviewer_client.get("/lagesbild/")
    plan = response.context["plan_row"]
    assert {s.value: n for s, n in plan["counts"]} == {
        "ej_paborjat": 10,
        "uppdrag_behovs": 3,
        "avvaktar": 2,
        "pagar": 10,
        "ingar_i_annat": 4,
        "klar": 0,
        "ej_angiven": 6,
    }
    assert (plan["total"], plan["activities"], plan["measured"], plan["yes"]) == (35, 16, 29, 0)
    # 2023–2024 and 2024–2025 activities are late in 2026; the 2025–2026 ones are due this year.
    assert (plan["late"], plan["due_this_year"]) == (13, 3)
    by_number = rows_by_number(response)
    assert (by_number[2]["total"], by_number[2]["late"], by_number[5]["due_this_year"]) == (9, 4, 2)
    text = page_text(response)
    assert "13 av 16 aktiviteter är försenade" in text
    assert "Nästa revidering av planen senast 1 december 2026, om 9 dagar." in text


def test_a_status_change_moves_the_numbers(reviewer_client, leader, subactivity, during_2026):
    subactivity_update_status(
        subactivity=subactivity,
        user=leader,
        status="klar",
        text="",
        answer="ja",
        comment="Klar",
        expected_version=1,
    )
    response = reviewer_client.get("/lagesbild/")
    plan = response.context["plan_row"]
    counts = {s.value: n for s, n in plan["counts"]}
    assert (counts["pagar"], counts["klar"], plan["yes"]) == (9, 1, 1)
    assert plan["late"] == 12  # its activity had that one delaktivitet: no longer late


def test_activities_become_late_when_their_period_ends(reviewer_client):
    with time_machine.travel(datetime.datetime(2024, 6, 1, 12, tzinfo=datetime.UTC), tick=False):
        plan = reviewer_client.get("/lagesbild/").context["plan_row"]
        assert (plan["late"], plan["due_this_year"]) == (0, 2)
    with time_machine.travel(datetime.datetime(2025, 1, 2, 12, tzinfo=datetime.UTC), tick=False):
        plan = reviewer_client.get("/lagesbild/").context["plan_row"]
        assert (plan["late"], plan["due_this_year"]) == (2, 11)


def test_it_lists_what_changed_since_a_date_grouped_by_strategy(reviewer_client, leader, subactivity):
    subactivity_update_status(
        subactivity=subactivity,
        user=leader,
        status="klar",
        text="",
        answer="ja",
        comment="Klart i veckan",
        expected_version=1,
    )
    response = reviewer_client.get("/lagesbild/", {"since": timezone.localdate().isoformat()})
    ((strategy, entries),) = [(s, e) for s, e in response.context["changes"] if e]
    assert strategy.number == 2
    # the delaktivitet's change, and the fixture's making the region responsible for its activity
    (change,) = [e for e in entries if e.reason == "Klart i veckan"]
    assert len(entries) == 2
    assert f'href="/delaktiviteter/{subactivity.pk}/historik/#andring-{change.history_id}"' in response.content.decode()
    older = reviewer_client.get("/lagesbild/", {"since": "2023-11-01"})
    assert older.context["change_count"] > 35  # the plan's loading is a change too


def test_a_bad_date_is_explained_and_the_default_used(reviewer_client):
    response = reviewer_client.get("/lagesbild/", {"since": "igår"})
    assert response.context["since_form"].errors["since"]
    assert response.context["since"] == timezone.localdate() - datetime.timedelta(days=14)


def test_the_charts_are_svg_with_a_text_alternative(reviewer_client):
    html = reviewer_client.get("/lagesbild/").content.decode()
    assert html.count('<svg class="chart" role="img"') == 2
    assert '<title id="plan-title">' in html and '<desc id="plan-desc">' in html
    assert 'width="40,0' not in html and ',5"' not in html  # coordinates never in Swedish number format


def test_its_queries_do_not_grow_with_the_plan(reviewer_client, django_assert_num_queries):
    # session, user, roles, revision, strategies, status counts, answer counts, progress, when the revision was
    # put in force, changed
    # delaktiviteter's history, changed activities' history, their organisations' history, the strategies
    # of the changed delaktiviteter and of the activities; local arenas, recommended local activities, their
    # adoptions (stale flags)
    # each count holds the data version the page cache reads (plan/caching.py)
    with django_assert_num_queries(18):
        reviewer_client.get("/lagesbild/", {"since": "2023-11-01"})
    generate_demo_data(100)
    with django_assert_num_queries(18):
        response = reviewer_client.get("/lagesbild/", {"since": "2023-11-01"})
    assert response.context["plan_row"]["total"] == 3500

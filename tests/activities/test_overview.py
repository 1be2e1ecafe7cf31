import pytest

from plandata.demo import generate_demo_data
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def test_it_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/"


def test_it_shows_the_vision_principles_revision_and_every_strategy(reviewer_client):
    response = reviewer_client.get("/")
    assert response.status_code == 200
    text = page_text(response)
    assert "”Tillsammans för god hälsa hela livet”" in text
    assert "Vi gör det tillsammans." in text
    assert "Version 2023, gäller från 1 december 2023." in text
    assert "Nästa revidering av planen senast 1 december 2026" in text
    for name in [
        "Ökad delaktighet",
        "Ökad kontinuitet",
        "Ökad tillgänglighet",
        "Hälsofrämjande och förebyggande fokus",
        "Ökad samordning och samverkan",
    ]:
        assert name in text
    assert "5 strategier med 16 aktiviteter och 35 delaktiviteter." in text


def test_it_counts_subactivities_per_status_category(reviewer_client):
    text = page_text(reviewer_client.get("/"))
    # Strategi 2: 1 effektmått, 3 lokala aktiviteter; 4 activities; 1 ej påbörjat, 5 pågår, 3 ingår i annat
    # arbete; 9 delaktiviteter.
    assert "2. Ökad kontinuitet 1 effektmått, 3 rekommenderade lokala aktiviteter 4 1 0 0 5 3 0 0 9" in text
    assert "Totalt 16 10 3 2 10 4 0 6 35" in text


def test_it_links_to_every_strategy(reviewer_client, plan):
    response = reviewer_client.get("/")
    for strategy in plan.strategies.all():
        assert f'href="/strategier/{strategy.pk}/"' in response.content.decode()


def test_its_queries_do_not_grow_with_the_plan(reviewer_client, django_assert_num_queries):
    # session, user, the user's roles (menu), revision in force, guiding principles, strategies with counts,
    # status counts
    # each count holds the data version the page cache reads (plan/caching.py)
    with django_assert_num_queries(8):
        reviewer_client.get("/")
    generate_demo_data(10)
    with django_assert_num_queries(8):
        response = reviewer_client.get("/")
    assert "5 strategier med 160 aktiviteter och 350 delaktiviteter." in page_text(response)

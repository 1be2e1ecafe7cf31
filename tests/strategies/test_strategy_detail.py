import pytest

from plandata.demo import generate_demo_data
from tests.pages import first_strategy, page_text

pytestmark = pytest.mark.django_db


def url(strategy):
    return f"/strategier/{strategy.pk}/"


def test_it_requires_login(client):
    response = client.get(url(first_strategy()))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_it_is_404_for_a_strategy_that_does_not_exist(reviewer_client):
    assert reviewer_client.get("/strategier/999999/").status_code == 404


def test_it_shows_quotes_measures_activities_and_local_activities(reviewer_client):
    text = page_text(reviewer_client.get(url(first_strategy())))
    assert "Strategi: Ökad delaktighet" in text
    assert "”Personen och medarbetare arbetar tillsammans i team som jämbördiga partners" in text
    assert "Antal SIP upprättade i Cosmic LINK" in text
    assert "Forum: Fredagsgruppen, SamReKo HSI" in text
    assert "Halvårsvis" in text
    # The Bilaga 1 row: Prioritet, Aktivitet, Delaktivitet, Status, Mått, Målvärde.
    assert (
        "2024–2025 Kartlägga behov av samverkan vid egenmonitorering Kartlägga behovet Ej påbörjat Ej påbörjat "
        "Kartläggning genomförd ja/nej"
    ) in text
    assert "Överväga införande av Vård och omsorgskollen för uppföljning på individnivå" in text


def test_every_strategy_page_together_shows_the_whole_plan(reviewer_client, plan):
    from activities.models import Activity, SubActivity
    from strategies.models import EffectMeasure, LocalActivity

    text = " ".join(page_text(reviewer_client.get(url(s))) for s in plan.strategies.all())
    for activity in Activity.objects.all():
        assert activity.name in text and activity.priority_period in text
    for sub in SubActivity.objects.all():
        assert sub.name in text and sub.measure in text and sub.status_text in text
    for measure in EffectMeasure.objects.all():
        assert measure.name in text and measure.target in text
    for local in LocalActivity.objects.all():
        assert local.text in text


def test_its_queries_do_not_grow_with_the_plan(reviewer_client, django_assert_num_queries):
    strategy = first_strategy()
    # session, user, the user's roles (menu and edit links), strategy with revision and plan, quotes, effect measures,
    # their forums, activities with leaders, their sub-activities, their responsible organisations, local activities
    # each count holds what the page cache reads: the data version, the activities the reader may change
    with django_assert_num_queries(13):
        reviewer_client.get(url(strategy))
    generate_demo_data(10)
    with django_assert_num_queries(13):
        response = reviewer_client.get(url(strategy))
    assert "Kartlägga behov av samverkan vid egenmonitorering (exempel 9)" in page_text(response)

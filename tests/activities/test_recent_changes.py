import pytest

from activities.models import Activity, SubActivity
from activities.services import subactivity_update_status
from plan.models import Organisation
from plandata.demo import generate_demo_data
from strategies.models import Strategy
from tests.pages import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def changes(subactivity, leader, plan_admin):
    """Two changes: the region's sub-activity by the leader, a strategy 1 sub-activity by the administrator."""
    subactivity_update_status(
        subactivity=subactivity,
        user=leader,
        status="klar",
        text="",
        answer="ja",
        comment="Regionens ändring",
        expected_version=1,
    )
    other = SubActivity.objects.get(name="Kartlägga behovet")
    subactivity_update_status(
        subactivity=other,
        user=plan_admin,
        status="pagar",
        text="",
        answer="ej_bedomt",
        comment="Administratörens ändring",
        expected_version=1,
    )


def texts(client, **params):
    return page_text(client.get("/senaste-andringar/", params))


def test_it_lists_changes_newest_first(reviewer_client, changes):
    text = texts(reviewer_client)
    assert text.index("Administratörens ändring") < text.index("Regionens ändring")
    assert "Status: Pågår → Klar" in text


def test_it_filters_by_strategy(reviewer_client, changes):
    text = texts(reviewer_client, strategy=Strategy.objects.get(number=2).pk)
    assert "Regionens ändring" in text and "Administratörens ändring" not in text


def test_it_filters_by_responsible_organisation(reviewer_client, changes):
    text = texts(reviewer_client, organisation=Organisation.objects.get(slug="region-jh").pk)
    assert "Regionens ändring" in text and "Administratörens ändring" not in text


def test_it_filters_by_person(reviewer_client, changes, plan_admin):
    text = texts(reviewer_client, person=plan_admin.pk)
    assert "Administratörens ändring" in text and "Regionens ändring" not in text


def test_activity_changes_are_listed_too(reviewer_client, plan_admin):
    activity = Activity.objects.get(name="Samverka kring kompetensförsörjning på primärvårdsnivå")
    activity.priority_end_year = 2027
    activity._change_reason = "Förlängd"
    activity.save()
    text = texts(reviewer_client)
    assert "Ändrad: Samverka kring kompetensförsörjning på primärvårdsnivå" in text
    assert "Prioritet till (år): 2026 → 2027" in text


def test_an_unknown_filter_value_shows_an_error_and_no_crash(reviewer_client):
    response = reviewer_client.get("/senaste-andringar/", {"strategy": "999999"})
    assert response.status_code == 200
    assert response.context["form"].errors["strategy"]


def test_its_queries_do_not_grow_with_the_plan(reviewer_client, changes, django_assert_num_queries):
    # session, user, when each revision was put in force, count, page, sub-activity records of the page,
    # activity records, their organisations' history, the activities the sub-activity records belong to, the
    # activities, the user's roles, and the filter's strategies, organisations and people
    # each count holds the data version the page cache reads (plan/caching.py)
    with django_assert_num_queries(15):
        reviewer_client.get("/senaste-andringar/")
    generate_demo_data(10)
    with django_assert_num_queries(15):
        response = reviewer_client.get("/senaste-andringar/")
    assert response.context["page"].paginator.count > 1000
    assert len(response.context["entries"]) == 50

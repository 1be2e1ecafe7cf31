import datetime

import pytest

from activities.models import Activity
from activities.services import subactivity_update_status
from plan.models import Organisation
from plandata.demo import generate_demo_data
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def test_a_project_leader_lands_on_my_activities_and_others_on_the_dashboard(client, leader, reviewer):
    client.force_login(leader)
    assert client.get("/start/").url == "/mina-aktiviteter/"
    client.force_login(reviewer)
    assert client.get("/start/").url == "/lagesbild/"


def test_it_lists_the_activities_of_the_leaders_organisation_grouped_by_strategy_late_first(
    leader_client, region_activity
):
    late_free = Activity.objects.get(name="Samverka kring kompetensförsörjning på primärvårdsnivå")  # 2025–2026
    late_free.responsible_organisations.add(Organisation.objects.get(slug="region-jh"))
    Activity.objects.get(name="Kartlägga behov av samverkan vid egenmonitorering").responsible_organisations.add(
        Organisation.objects.get(slug="berg")
    )

    response = leader_client.get("/mina-aktiviteter/")

    groups = response.context["groups"]
    assert [(s.number, [a.name for a in activities]) for s, activities in groups] == [
        (2, [region_activity.name]),
        (5, [late_free.name]),
    ]
    assert [a.is_late for _s, activities in groups for a in activities] == [
        datetime.date.today().year > 2024,
        datetime.date.today().year > 2026,
    ]
    text = page_text(response)
    assert "Handlingsplan fasta kontakter etc." in text
    assert "Kartlägga behovet" not in text  # Berg's, not the region's


def test_late_activities_come_first_within_a_strategy(leader_client):
    region = Organisation.objects.get(slug="region-jh")
    for activity in Activity.objects.filter(strategy__number=3):
        activity.responsible_organisations.add(region)
    response = leader_client.get("/mina-aktiviteter/")
    ((strategy, activities),) = response.context["groups"]
    flags = [a.is_late for a in activities]
    assert flags == sorted(flags, reverse=True)


def test_each_subactivity_shows_when_and_by_whom_it_was_last_updated(leader_client, subactivity, leader):
    subactivity_update_status(
        subactivity=subactivity, user=leader, status="klar", text="", answer="ja", comment="Klar", expected_version=1
    )
    response = leader_client.get("/mina-aktiviteter/")
    text = page_text(response)
    assert f"{datetime.date.today():%Y-%m-%d} Lena Ledare" in text
    assert 'aria-label="Uppdatera: Handlingsplan fasta kontakter etc."' in response.content.decode()


def test_someone_responsible_for_nothing_is_told_so(reviewer_client):
    text = page_text(reviewer_client.get("/mina-aktiviteter/"))
    assert "Du är inte ansvarig för någon aktivitet i den gällande planen." in text


def test_its_queries_do_not_grow_with_the_plan(leader_client, subactivity, leader, django_assert_num_queries):
    subactivity_update_status(
        subactivity=subactivity, user=leader, status="klar", text="", answer="ja", comment="Klar", expected_version=1
    )
    generate_demo_data(2)
    region = Organisation.objects.get(slug="region-jh")
    for activity in Activity.objects.filter(strategy__number=2):
        activity.responsible_organisations.add(region)
    # session, user, the user's roles, activities with strategy and leader, their sub-activities with the
    # last change, their responsible organisations, the users who made the last changes; the data version the
    # page cache reads
    with django_assert_num_queries(8):
        response = leader_client.get("/mina-aktiviteter/")
    assert sum(len(a) for _s, a in response.context["groups"]) == 8
    generate_demo_data(10)
    for activity in Activity.objects.filter(strategy__number=2):
        activity.responsible_organisations.add(region)
    with django_assert_num_queries(8):
        response = leader_client.get("/mina-aktiviteter/")
    assert sum(len(a) for _s, a in response.context["groups"]) == 80  # 8 + 9 copies of each


def test_everything_listed_is_editable_by_its_reader(region_activity, leader, other_leader, plan_admin, reviewer):
    """My activities offers "Uppdatera" on every row: the list and the permission rule must agree."""
    from activities.access import can_edit_activity

    Activity.objects.get(name="Kartlägga behov av samverkan vid egenmonitorering").responsible_organisations.add(
        Organisation.objects.get(slug="berg")
    )
    region_activity.leader = reviewer
    region_activity.save()
    for user in (leader, other_leader, plan_admin, reviewer):
        listed = Activity.objects.in_force().responsible_for(user).select_related("strategy__revision")
        assert all(can_edit_activity(user, activity) for activity in listed), user

import pytest

from activities.models import SubActivity
from plandata.demo import generate_demo_data
from tests.pages import activity_named, page_text

pytestmark = pytest.mark.django_db

NAME = "Utveckla rutiner och arbetssätt för fasta kontakter"


def url(activity):
    return f"/aktiviteter/{activity.pk}/"


def test_it_requires_login(client):
    response = client.get(url(activity_named(NAME)))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_it_is_404_for_an_activity_that_does_not_exist(reviewer_client):
    assert reviewer_client.get("/aktiviteter/999999/").status_code == 404


def test_it_shows_the_subactivities(reviewer_client):
    text = page_text(reviewer_client.get(url(activity_named(NAME))))
    assert "Prioritet 2023–2024" in text
    assert "Handlingsplan fasta kontakter etc. Pågår Arbete pågår Är handlingsplanen uppföljd? ja/nej Ej bedömt" in text


def test_it_shows_who_changed_what_when_and_why(reviewer_client, plan_admin):
    activity = activity_named(NAME)
    sub = activity.subactivities.get()
    sub.status = SubActivity.Status.DONE
    sub.status_text = "Handlingsplanen är antagen"
    sub._change_reason = "Beslut i Fredagsgruppen"
    sub._history_user = plan_admin
    sub.save()

    text = page_text(reviewer_client.get(url(activity)))

    assert "Ändrad: Handlingsplan fasta kontakter etc." in text
    assert "Status: Pågår → Klar" in text
    assert "Statustext: Arbete pågår → Handlingsplanen är antagen" in text
    assert "Beslut i Fredagsgruppen" in text
    assert str(plan_admin) in text
    assert "Skapad: Handlingsplan fasta kontakter etc." in text  # the plan's first entry


def test_its_queries_do_not_grow_with_the_plan(reviewer_client, django_assert_num_queries):
    generate_demo_data(2)
    copy = activity_named(f"{NAME} (exempel 1)")
    # session, user, the user's roles (menu, edit links), activity with strategy, revision, plan and leader,
    # sub-activities, responsible organisations, the activity's history, its responsible organisations' history,
    # its sub-activities' history, the same activity in other revisions
    # each count holds what the page cache reads: the data version, the activities the reader may change
    with django_assert_num_queries(12):
        reviewer_client.get(url(copy))
    generate_demo_data(10)
    with django_assert_num_queries(12):
        response = reviewer_client.get(url(copy))
    assert "Genererad demodata" in page_text(response)

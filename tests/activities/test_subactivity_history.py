import pytest

from activities.models import SubActivity
from activities.services import subactivity_update_status
from plandata.demo import generate_demo_data
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def change(subactivity, user, version, status="klar", comment="Antagen"):
    return subactivity_update_status(
        subactivity=SubActivity.objects.get(pk=subactivity.pk),
        user=user,
        status=status,
        text="Ny text",
        answer="ja",
        comment=comment,
        expected_version=version,
    )


def test_the_timeline_lists_every_change_field_by_field_with_the_comment(reviewer_client, subactivity, leader):
    change(subactivity, leader, 1, comment="Antagen i Fredagsgruppen")

    text = page_text(reviewer_client.get(f"/delaktiviteter/{subactivity.pk}/historik/"))

    assert "Lena Ledare Ändrad: Handlingsplan fasta kontakter etc." in text
    assert "Status: Pågår → Klar" in text
    assert "Statustext: Arbete pågår → Ny text" in text
    assert "Svar: Ej bedömt → Ja" in text
    assert "Antagen i Fredagsgruppen" in text
    assert "Version:" not in text  # internal
    assert "Återställ" not in text and "Uppdatera" not in text  # a reviewer changes nothing


def test_the_activity_page_shows_the_same_change(reviewer_client, subactivity, leader):
    change(subactivity, leader, 1, comment="Antagen i Fredagsgruppen")
    text = page_text(reviewer_client.get(f"/aktiviteter/{subactivity.activity_id}/"))
    assert "Status: Pågår → Klar" in text and "Antagen i Fredagsgruppen" in text


def test_a_plan_administrator_restores_an_earlier_version(client, plan_admin, subactivity, leader):
    change(subactivity, leader, 1)
    original = subactivity.history.earliest("history_date")
    client.force_login(plan_admin)
    restore_url = f"/delaktiviteter/{subactivity.pk}/historik/{original.history_id}/aterstall/"

    assert f'href="{restore_url}"' in client.get(f"/delaktiviteter/{subactivity.pk}/historik/").content.decode()
    preview = page_text(client.get(restore_url))
    assert "Status Klar Pågår" in preview  # field, now, after restoring

    response = client.post(restore_url, {"comment": "Felaktig uppdatering", "version": "2"}, follow=True)

    assert "Den tidigare versionen är återställd." in page_text(response)
    saved = SubActivity.objects.get(pk=subactivity.pk)
    assert (saved.status, saved.status_text, saved.version) == ("pagar", "Arbete pågår", 3)
    text = page_text(response)
    assert "Status: Klar → Pågår" in text and "Felaktig uppdatering" in text


def test_restoring_from_an_outdated_page_is_refused(client, plan_admin, subactivity, leader):
    original = subactivity.history.earliest("history_date")
    change(subactivity, leader, 1)
    client.force_login(plan_admin)
    response = client.post(
        f"/delaktiviteter/{subactivity.pk}/historik/{original.history_id}/aterstall/", {"version": "1"}
    )
    assert response.status_code == 409
    assert SubActivity.objects.get(pk=subactivity.pk).status == "klar"


def test_only_plan_administrators_restore(leader_client, subactivity, leader):
    change(subactivity, leader, 1)
    original = subactivity.history.earliest("history_date")
    restore_url = f"/delaktiviteter/{subactivity.pk}/historik/{original.history_id}/aterstall/"
    assert leader_client.get(restore_url).status_code == 403
    assert leader_client.post(restore_url, {"version": "2"}).status_code == 403
    assert SubActivity.objects.get(pk=subactivity.pk).status == "klar"


def test_a_record_of_another_subactivity_cannot_be_restored_here(client, plan_admin, subactivity):
    other = SubActivity.objects.exclude(pk=subactivity.pk).first().history.first()
    client.force_login(plan_admin)
    assert client.get(f"/delaktiviteter/{subactivity.pk}/historik/{other.history_id}/aterstall/").status_code == 404


def test_the_timeline_queries_do_not_grow_with_the_plan(
    reviewer_client, subactivity, leader, django_assert_num_queries
):
    change(subactivity, leader, 1)
    # session, user, sub-activity with its activity and more, responsible organisations, the user's roles,
    # the sub-activity's history with users, its decisions with meetings and forums, the same sub-activity in
    # other revisions
    with django_assert_num_queries(8):
        reviewer_client.get(f"/delaktiviteter/{subactivity.pk}/historik/")
    generate_demo_data(10)
    with django_assert_num_queries(8):
        reviewer_client.get(f"/delaktiviteter/{subactivity.pk}/historik/")


def test_the_restore_page_queries_do_not_grow_with_the_plan(
    client, plan_admin, subactivity, leader, django_assert_num_queries
):
    change(subactivity, leader, 1)
    original = subactivity.history.earliest("history_date")
    client.force_login(plan_admin)
    url = f"/delaktiviteter/{subactivity.pk}/historik/{original.history_id}/aterstall/"
    # session, user, sub-activity with its activity and more, responsible organisations, the user's roles,
    # the historical record with its user
    with django_assert_num_queries(6):
        client.get(url)
    generate_demo_data(10)
    with django_assert_num_queries(6):
        client.get(url)

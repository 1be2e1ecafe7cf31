import pytest

from activities.models import SubActivity
from activities.services import subactivity_update_status
from plandata.demo import generate_demo_data
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def url(subactivity):
    return f"/delaktiviteter/{subactivity.pk}/uppdatera/"


def valid_data(**changes):
    return {
        "status": "klar",
        "status_text": "Handlingsplanen är antagen",
        "answer": "ja",
        "comment": "Beslut i Fredagsgruppen 14/11",
        "version": "1",
        **changes,
    }


def reload(subactivity):
    return SubActivity.objects.get(pk=subactivity.pk)


def test_it_shows_the_form_with_the_current_state(leader_client, subactivity):
    response = leader_client.get(url(subactivity))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial == {
        "status": "pagar",
        "status_text": "Arbete pågår",
        "answer": "ej_bedomt",
        "evidence_url": "",
        "version": 1,
    }
    assert "Är handlingsplanen uppföljd?" in page_text(response)


def test_saving_confirms_and_shows_the_new_state(leader_client, subactivity, leader):
    response = leader_client.post(url(subactivity), valid_data(), follow=True)

    assert response.redirect_chain[-1][0] == f"/mina-aktiviteter/#delaktivitet-{subactivity.pk}"
    text = page_text(response)
    assert "Sparat: ”Handlingsplan fasta kontakter etc.” har nu status ”Klar”." in text
    assert "Handlingsplanen är antagen" in text
    saved = reload(subactivity)
    assert (saved.status, saved.answer, saved.version) == ("klar", "ja", 2)
    assert saved.history.latest("history_date").history_change_reason == "Beslut i Fredagsgruppen 14/11"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("comment", "", "Skriv en kort kommentar"),
        ("status_text", "x" * 100_000, "som mest 2000 tecken"),
        ("comment", "Klart\x00\x1b[31m", "osynliga styrtecken"),
        ("status", "nästan_klar", "Välj ett giltigt alternativ"),
        ("answer", "kanske", "Välj ett giltigt alternativ"),
        ("version", "1; DROP TABLE", "Sidan var inaktuell eller ändrad"),
    ],
)
def test_bad_input_is_explained_next_to_the_field_keeps_the_input_and_saves_nothing(
    leader_client, subactivity, field, value, message
):
    data = valid_data(**{field: value})
    response = leader_client.post(url(subactivity), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert message.lower() in " ".join(form.errors[field]).lower()
    assert f'id="id_{field}_error"' in response.content.decode() or field == "version"
    assert "Inget sparades." in page_text(response)
    for name, typed in data.items():
        assert form[name].value() == typed  # everything the user typed is kept
    saved = reload(subactivity)
    assert (saved.status, saved.status_text, saved.version) == ("pagar", "Arbete pågår", 1)


def test_a_conflicting_save_is_refused_shows_the_other_change_and_keeps_the_input(
    leader_client, subactivity, plan_admin
):
    subactivity_update_status(
        subactivity=reload(subactivity),
        user=plan_admin,
        status="avvaktar",
        text="Väntar på beslut i SVOM",
        answer="nej",
        comment="Pausad av SVOM",
        expected_version=1,
    )

    response = leader_client.post(url(subactivity), valid_data(version="1"))

    assert response.status_code == 409
    text = page_text(response)
    assert "Någon annan ändrade delaktiviteten medan du redigerade" in text
    assert "Status: Pågår → Avvaktar" in text
    assert "Pausad av SVOM" in text
    form = response.context["form"]
    assert form["status_text"].value() == "Handlingsplanen är antagen"
    assert form["version"].value() == 2  # saving again builds on the other person's change
    assert reload(subactivity).status == "avvaktar"

    leader_client.post(url(subactivity), valid_data(version="2"))
    assert (reload(subactivity).status, reload(subactivity).version) == ("klar", 3)


def test_a_reviewer_gets_403_and_a_forged_post_changes_nothing(reviewer_client, subactivity):
    assert reviewer_client.get(url(subactivity)).status_code == 403
    assert reviewer_client.post(url(subactivity), valid_data()).status_code == 403
    assert reload(subactivity).version == 1


def test_a_leader_of_another_organisation_gets_403(client, other_leader, subactivity):
    client.force_login(other_leader)
    assert client.post(url(subactivity), valid_data()).status_code == 403
    assert reload(subactivity).version == 1


def test_the_activitys_own_leader_may_update_without_the_organisation(client, subactivity, other_leader):
    activity = subactivity.activity
    activity.leader = other_leader
    activity.save()
    client.force_login(other_leader)
    assert client.post(url(subactivity), valid_data()).status_code == 302


def test_a_plan_administrator_may_update_any_subactivity(client, plan_admin):
    client.force_login(plan_admin)
    sub = SubActivity.objects.get(name="Kartlägga behovet")
    assert client.post(url(sub), valid_data()).status_code == 302


def test_an_unknown_subactivity_is_404(leader_client):
    assert leader_client.get("/delaktiviteter/999999/uppdatera/").status_code == 404


def test_the_form_page_queries_do_not_grow_with_the_plan(leader_client, subactivity, django_assert_num_queries):
    # session, user, sub-activity with activity, strategy, revision, plan, leader; responsible
    # organisations; the user's roles (permission and menu)
    with django_assert_num_queries(5):
        leader_client.get(url(subactivity))
    generate_demo_data(10)
    with django_assert_num_queries(5):
        leader_client.get(url(subactivity))

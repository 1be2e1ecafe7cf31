import datetime

import pytest

from activities.models import Activity, SubActivity
from plan.models import PlanRevision
from strategies.models import Strategy
from tests.pages import page_text


@pytest.fixture
def admin_client(client, plan_admin):
    client.force_login(plan_admin)
    return client


def draft_activity(draft, strategy_number=2):
    return (
        Activity.objects.filter(strategy__revision=draft, strategy__number=strategy_number).order_by("number").first()
    )


@pytest.mark.django_db
def test_a_plan_admin_starts_the_next_revision_from_suggested_defaults(admin_client, plan, time_in_2026):
    page = admin_client.get("/revisioner/")
    text = page_text(page)
    assert "Version 2023" in text and "Gällande" in text
    assert page.context["form"].initial == {"label": "2027", "in_force_from": datetime.date(2026, 12, 1)}

    response = admin_client.post("/revisioner/ny/", {"label": "2027", "in_force_from": "2026-12-01"}, follow=True)

    draft = PlanRevision.objects.get(label="2027")
    assert response.redirect_chain[-1][0] == f"/revisioner/{draft.pk}/"
    assert (draft.state, draft.next_revision_due) == ("draft", datetime.date(2029, 12, 1))
    assert "Utkastet till version 2027 är påbörjat" in page_text(response)
    assert "Starta nästa revidering" not in page_text(admin_client.get("/revisioner/"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, field",
    [
        ({"label": "2023", "in_force_from": "2026-12-01"}, "label"),
        ({"label": "2027", "in_force_from": "2022-01-01"}, "in_force_from"),
        ({"label": "2027", "in_force_from": "1 december"}, "in_force_from"),
        ({"label": "", "in_force_from": "2026-12-01"}, "label"),
    ],
)
def test_a_revision_is_not_started_from_bad_input(admin_client, plan, data, field):
    response = admin_client.post("/revisioner/ny/", data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert "Inget sparades" in page_text(response)
    assert PlanRevision.objects.count() == 1


@pytest.mark.django_db
def test_only_plan_admins_see_and_start_drafts(client, reviewer, plan, draft):
    client.force_login(reviewer)
    assert "2027" not in page_text(client.get("/revisioner/"))
    assert client.get(f"/revisioner/{draft.pk}/").status_code == 403
    assert client.post("/revisioner/ny/", {"label": "2028", "in_force_from": "2027-06-01"}).status_code == 403
    assert client.get(f"/revisioner/{plan.pk}/").status_code == 200


@pytest.mark.django_db
def test_editing_the_draft_renames_and_moves_an_activity_but_not_in_the_plan_in_force(admin_client, plan, draft):
    activity = draft_activity(draft)
    target = Strategy.objects.get(revision=draft, number=5)
    organisations = list(activity.responsible_organisations.values_list("pk", flat=True))
    response = admin_client.post(
        f"/revisioner/{draft.pk}/aktiviteter/{activity.pk}/",
        {
            "strategy": target.pk,
            "number": 9,
            "name": "Fasta vårdkontakter för alla",
            "priority_start_year": 2027,
            "priority_end_year": 2028,
            "responsible_organisations": organisations,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/revisioner/{draft.pk}/#aktiviteter-{activity.pk}"
    activity.refresh_from_db()
    assert (activity.strategy, activity.name, activity.priority_period) == (
        target,
        "Fasta vårdkontakter för alla",
        "2027–2028",
    )
    original = activity.predecessor
    original.refresh_from_db()
    assert (original.strategy.revision, original.name) == (plan, activity.predecessor.name)
    assert original.name != "Fasta vårdkontakter för alla"
    record = activity.history.first()
    assert record.history_change_reason == "Ändrad i utkastet till revision 2027"


@pytest.mark.django_db
def test_a_draft_item_cannot_be_moved_into_the_plan_in_force_nor_items_of_it_edited(admin_client, plan, draft):
    activity = draft_activity(draft)
    in_force_strategy = Strategy.objects.get(revision=plan, number=1)
    response = admin_client.post(
        f"/revisioner/{draft.pk}/aktiviteter/{activity.pk}/",
        {
            "strategy": in_force_strategy.pk,
            "number": 9,
            "name": "x",
            "priority_start_year": 2027,
            "priority_end_year": 2028,
        },
    )
    assert response.status_code == 400 and "strategy" in response.context["form"].errors
    assert admin_client.get(f"/revisioner/{draft.pk}/aktiviteter/{activity.predecessor_id}/").status_code == 404
    assert admin_client.get(f"/revisioner/{plan.pk}/aktiviteter/{activity.predecessor_id}/").status_code == 404
    assert admin_client.get(f"/revisioner/{draft.pk}/okant/ny/").status_code == 404


@pytest.mark.django_db
def test_adding_and_removing_sub_activities_in_the_draft(admin_client, plan, draft):
    activity = draft_activity(draft)
    form = admin_client.get(f"/revisioner/{draft.pk}/delaktiviteter/ny/?activity={activity.pk}").context["form"]
    next_number = activity.subactivities.count() + 1
    assert form.initial["number"] == next_number
    response = admin_client.post(
        f"/revisioner/{draft.pk}/delaktiviteter/ny/",
        {
            "activity": activity.pk,
            "number": next_number,
            "name": "Ny delaktivitet",
            "measure": "Finns rutin?",
            "target": "Ja",
        },
    )
    assert response.status_code == 302
    added = SubActivity.objects.get(name="Ny delaktivitet")
    assert (added.activity, added.status, added.predecessor) == (activity, "ej_paborjat", None)

    removed = activity.subactivities.order_by("number").first()
    assert "Ta bort" in page_text(admin_client.get(f"/revisioner/{draft.pk}/delaktiviteter/{removed.pk}/ta-bort/"))
    admin_client.post(f"/revisioner/{draft.pk}/delaktiviteter/{removed.pk}/ta-bort/")
    assert not SubActivity.objects.filter(pk=removed.pk).exists()
    assert SubActivity.objects.filter(pk=removed.predecessor_id).exists()


@pytest.mark.django_db
def test_putting_the_draft_in_force_by_hand(admin_client, plan, draft):
    confirm = page_text(admin_client.get(f"/revisioner/{draft.pk}/aktivera/"))
    assert "35 överförda delaktiviteter" in confirm

    response = admin_client.post(f"/revisioner/{draft.pk}/aktivera/", follow=True)

    assert "Version 2027 är nu i kraft" in page_text(response)
    assert PlanRevision.objects.in_force().get() == draft
    plan.refresh_from_db()
    assert plan.state == "superseded"
    assert admin_client.post(f"/revisioner/{draft.pk}/aktivera/").status_code == 404
    old = page_text(admin_client.get(f"/revisioner/{plan.pk}/"))
    assert "ersatt" in old.lower() and "Ändra" not in old


@pytest.mark.django_db
def test_the_superseded_revision_cannot_be_updated_by_anyone(client, plan, draft, plan_admin, subactivity, leader):
    from revisions.services import activate_revision

    activate_revision(draft, user=plan_admin)
    client.force_login(plan_admin)
    assert client.get(f"/delaktiviteter/{subactivity.pk}/uppdatera/").status_code == 403
    client.force_login(leader)
    assert client.get(f"/delaktiviteter/{subactivity.pk}/uppdatera/").status_code == 403


@pytest.mark.django_db
def test_the_drafts_vision_and_texts_are_edited_and_a_clashing_label_refused(admin_client, plan, draft):
    url = f"/revisioner/{draft.pk}/andra/"
    data = {
        "label": "2027",
        "in_force_from": "2027-01-01",
        "next_revision_due": "2030-01-01",
        "vision": "Tillsammans för god hälsa hela livet",
        "vision_text": "Ny text om målbilden.",
        "follow_up_text": "Planen träder i kraft 2027-01-01.",
    }
    assert admin_client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert (draft.vision_text, draft.in_force_from) == ("Ny text om målbilden.", datetime.date(2027, 1, 1))
    plan.refresh_from_db()
    assert plan.vision_text != "Ny text om målbilden."

    response = admin_client.post(url, {**data, "label": "2023", "next_revision_due": "2026-01-01"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"label", "__all__"}  # and the due date before the start

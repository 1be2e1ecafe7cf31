"""What a review found: ways to read a draft or change a superseded revision, and noise after activation."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from activities.models import Activity, SubActivity
from activities.services import subactivity_update_status
from followup.models import EffectMeasureValue, FollowUp
from plan.models import Forum, PlanRevision
from revisions.services import activate_revision
from strategies.models import EffectMeasure, LocalActivity, LocalAdoption, Strategy
from tests.conftest import ACTIVITY
from tests.pages import page_text


@pytest.fixture
def superseded(plan, draft, plan_admin):
    activate_revision(draft, user=plan_admin)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def admin_client(client, plan_admin):
    client.force_login(plan_admin)
    return client


@pytest.mark.django_db
def test_a_draft_local_activity_is_not_shown_to_others_on_the_arena_pages(client, reviewer, plan_admin, draft):
    local = LocalActivity.objects.filter(strategy__revision=draft).first()
    arena = Forum.objects.filter(kind="local").first()
    url = f"/lokala-arenor/{arena.pk}/{local.pk}/"
    client.force_login(reviewer)
    assert client.get(url).status_code == 403
    client.force_login(plan_admin)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_the_admin_refuses_changes_reverts_and_additions_in_a_superseded_revision(admin_client, superseded):
    activity = Activity.objects.filter(strategy__revision=superseded).first()
    change_url = f"/admin/activities/activity/{activity.pk}/change/"
    assert admin_client.post(change_url, {"name": "Ändrad"}).status_code == 403
    record = activity.history.first()
    revert_url = f"/admin/activities/activity/{activity.pk}/history/{record.history_id}/"
    assert admin_client.post(revert_url, {"name": "Återställd"}).status_code == 403
    activity.refresh_from_db()
    assert activity.name not in ("Ändrad", "Återställd")

    strategy_choices = (
        admin_client.get("/admin/activities/activity/add/").context["adminform"].form.fields["strategy"].queryset
    )
    assert not strategy_choices.filter(revision=superseded).exists() and strategy_choices.exists()
    measure = EffectMeasure.objects.filter(strategy__revision=superseded).first()
    response = admin_client.post(
        "/admin/followup/effectmeasurevalue/add/", {"measure": measure.pk, "year": 2026, "half": 0, "value": 5}
    )
    assert response.status_code == 200 and "measure" in response.context["adminform"].form.errors
    assert not EffectMeasureValue.objects.filter(measure=measure).exists()
    revision_form = admin_client.get(f"/admin/plan/planrevision/{PlanRevision.objects.in_force().get().pk}/change/")
    assert "state" not in revision_form.context["adminform"].form.fields


@pytest.mark.django_db
def test_a_status_update_is_refused_once_its_revision_is_superseded(plan, draft, plan_admin, leader, subactivity):
    stale = SubActivity.objects.select_related("activity__strategy").get(pk=subactivity.pk)  # opened before activation
    activate_revision(draft, user=plan_admin)
    with pytest.raises(PermissionDenied):
        subactivity_update_status(
            subactivity=stale,
            user=leader,
            status="klar",
            text="",
            answer="ja",
            comment="Sent",
            expected_version=stale.version,
        )
    assert SubActivity.objects.get(pk=subactivity.pk).status == subactivity.status


@pytest.mark.django_db
def test_a_superseded_revisions_locked_follow_up_cannot_be_unlocked(admin_client, plan, draft, plan_admin):
    locked = FollowUp.objects.create(
        revision=plan,
        year=2024,
        cut_off=datetime.date(2024, 12, 31),
        state="locked",
        content={"strategies": []},
        report_pdf=b"%PDF-1.7 stored",
    )
    activate_revision(draft, user=plan_admin)
    response = admin_client.post(f"/uppfoljningar/{locked.pk}/las-upp/", {"reason": "Prov"}, follow=True)
    assert "ersatt version av planen" in page_text(response)
    locked.refresh_from_db()
    assert (locked.state, bytes(locked.report_pdf)) == ("locked", b"%PDF-1.7 stored")


@pytest.mark.django_db
def test_carried_over_adoptions_keep_their_last_update(plan, draft, plan_admin):
    arena = Forum.objects.filter(kind="local").first()
    local = LocalActivity.objects.filter(strategy__revision=plan).first()
    adoption = LocalAdoption.objects.create(arena=arena, local_activity=local, state="antagen")
    LocalAdoption.objects.filter(pk=adoption.pk).update(updated_at=datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC))
    activate_revision(draft, user=plan_admin)
    carried = LocalAdoption.objects.get(local_activity__predecessor=local, arena=arena)
    assert carried.updated_at == datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_copying_and_editing_the_draft_are_not_news_once_it_is_in_force(
    client, reviewer, plan, draft, plan_admin, leader, subactivity
):
    Activity.objects.filter(strategy__revision=draft).update(name="x")  # no history: a plain update
    renamed = Strategy.objects.get(revision=draft, number=1)
    renamed.name = "Omdöpt i utkastet"
    renamed.save()
    subactivity_update_status(
        subactivity=subactivity,
        user=leader,
        status="klar",
        text="",
        answer="ja",
        comment="Färdigt före aktiveringen",
        expected_version=subactivity.version,
    )
    activate_revision(draft, user=plan_admin)
    successor = SubActivity.objects.get(predecessor=subactivity)
    successor.activity.strategy.revision.refresh_from_db()
    subactivity_update_status(
        subactivity=successor,
        user=leader,
        status="pagar",
        text="",
        answer="nej",
        comment="Efter aktiveringen",
        expected_version=successor.version,
    )
    client.force_login(reviewer)

    recent = page_text(client.get("/senaste-andringar/"))
    assert "Efter aktiveringen" in recent and "Färdigt före aktiveringen" in recent
    assert "Kopierad från" not in recent and "Status överförd" not in recent
    dashboard = page_text(client.get("/lagesbild/", {"since": "2026-01-01"}))
    assert "Efter aktiveringen" in dashboard
    assert "Kopierad från" not in dashboard and "Färdigt före aktiveringen" not in dashboard


@pytest.mark.django_db
def test_an_activity_links_to_itself_in_the_other_revisions(client, reviewer, superseded):
    old = Activity.objects.get(strategy__revision=superseded, name=ACTIVITY)
    new = Activity.objects.get(predecessor=old)
    client.force_login(reviewer)
    assert f'href="/aktiviteter/{old.pk}/"' in client.get(f"/aktiviteter/{new.pk}/").content.decode()
    assert f'href="/aktiviteter/{new.pk}/"' in client.get(f"/aktiviteter/{old.pk}/").content.decode()
    sub = SubActivity.objects.filter(activity=new).first()
    page = client.get(f"/delaktiviteter/{sub.predecessor_id}/historik/").content.decode()
    assert f'href="/delaktiviteter/{sub.pk}/historik/"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/revisioner/jamfor/?till=%C2%B2",
        "/uppfoljningar/?revision=%C2%B2",
        "/revisioner/{draft}/aktiviteter/ny/?strategy=%C2%B2",
    ],
)
def test_unicode_digits_in_a_query_are_not_a_server_error(admin_client, draft, url):
    assert admin_client.get(url.format(draft=draft.pk)).status_code in (200, 404)


@pytest.mark.django_db
def test_a_revision_cannot_be_planned_to_start_in_the_past(admin_client, plan, time_in_2026):
    response = admin_client.post("/revisioner/ny/", {"label": "2027", "in_force_from": "2026-11-01"})
    assert response.status_code == 400 and "in_force_from" in response.context["form"].errors


@pytest.mark.django_db
def test_an_item_in_force_with_a_copy_in_the_draft_is_not_deleted_so_the_link_is_never_lost(admin_client, plan, draft):
    sub = SubActivity.objects.filter(activity__strategy__revision=plan).first()
    response = admin_client.post(f"/admin/activities/subactivity/{sub.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200  # the admin's page listing what protects it
    assert SubActivity.objects.filter(pk=sub.pk).exists()

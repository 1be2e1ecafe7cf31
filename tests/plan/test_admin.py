import pytest
from django.contrib import admin

from activities.models import SubActivity
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def changelist_urls():
    return [f"/admin/{m._meta.app_label}/{m._meta.model_name}/" for m in admin.site._registry]


def test_a_plan_administrator_can_open_every_admin_list(client, plan_admin):
    client.force_login(plan_admin)
    for url in changelist_urls():
        assert client.get(url).status_code == 200, url


def test_a_reviewer_is_kept_out_of_the_admin(client, reviewer):
    reviewer.is_staff = True  # even with staff status, the role decides
    reviewer.save()
    client.force_login(reviewer)
    for url in changelist_urls():
        assert client.get(url).status_code in (302, 403), url


def test_an_admin_edit_is_kept_in_the_history_with_its_author(client, plan_admin):
    client.force_login(plan_admin)
    sub = SubActivity.objects.get(name="Kartlägga behovet")
    url = f"/admin/activities/subactivity/{sub.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(status="pagar", status_text="Kartläggning påbörjad")

    response = client.post(url, data)

    assert response.status_code == 302
    latest = sub.history.latest("history_date")
    assert (latest.status, latest.status_text, latest.history_user) == ("pagar", "Kartläggning påbörjad", plan_admin)
    history_page = client.get(f"/admin/activities/subactivity/{sub.pk}/history/")
    assert history_page.status_code == 200
    assert str(plan_admin) in history_page.content.decode()


def test_an_admin_edit_makes_an_open_status_form_stale(client, plan_admin, leader, subactivity):
    client.force_login(plan_admin)
    url = f"/admin/activities/subactivity/{subactivity.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    client.post(url, {**data, "status": "avvaktar"})
    subactivity.refresh_from_db()
    assert (subactivity.status, subactivity.version) == ("avvaktar", 2)

    client.force_login(leader)
    response = client.post(
        f"/delaktiviteter/{subactivity.pk}/uppdatera/",
        {"status": "klar", "status_text": "", "answer": "ja", "comment": "Klar", "version": "1"},
    )
    assert response.status_code == 409
    assert "Status: Pågår → Avvaktar" in page_text(response)

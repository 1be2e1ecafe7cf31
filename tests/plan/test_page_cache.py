"""The staff's pages kept in the cache until their data changes (plan/caching.py)."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from plan.history import save_with_history
from tests.factories import UserFactory
from tests.pages import page_text

pytestmark = pytest.mark.django_db

# session, user, the user's roles (part of the key), the data version
SERVED_FROM_THE_CACHE = 4
# and the activities the reader may change, for their update links (activities.access.keep_edit_links)
SERVED_WITH_EDIT_LINKS = SERVED_FROM_THE_CACHE + 1


def without_tokens(response):
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)


def strategy_url(subactivity):
    return f"/strategier/{subactivity.activity.strategy_id}/"


def test_a_page_is_served_from_the_cache_until_its_data_changes(leader_client, subactivity, django_assert_num_queries):
    first = leader_client.get(strategy_url(subactivity))
    with django_assert_num_queries(SERVED_WITH_EDIT_LINKS):
        again = leader_client.get(strategy_url(subactivity))
    assert without_tokens(again) == without_tokens(first)
    assert "Handlingsplanen är antagen" not in page_text(again)

    data = {"status": "klar", "status_text": "Handlingsplanen är antagen", "answer": "ja", "comment": "Klart"}
    saved = leader_client.post(f"/delaktiviteter/{subactivity.pk}/uppdatera/", {**data, "version": "1"})
    assert saved.status_code == 302

    with CaptureQueriesContext(connection) as captured:
        after = leader_client.get(strategy_url(subactivity))
    assert len(captured) > SERVED_WITH_EDIT_LINKS  # rendered anew
    assert "Handlingsplanen är antagen" in page_text(after)


def test_each_user_gets_the_page_rendered_for_them(client, leader, reviewer, subactivity):
    update_link = f'href="/delaktiviteter/{subactivity.pk}/uppdatera/"'
    client.force_login(leader)
    client.get(strategy_url(subactivity))
    as_leader = client.get(strategy_url(subactivity)).content.decode()
    client.force_login(reviewer)
    as_reviewer = client.get(strategy_url(subactivity)).content.decode()
    assert update_link in as_leader and "Lena Ledare" in as_leader
    assert update_link not in as_reviewer and "Lena Ledare" not in as_reviewer


def test_forms_on_a_cached_page_carry_the_requests_own_csrf_token(leader, subactivity):
    first_session = Client(enforce_csrf_checks=True)
    first_session.force_login(leader)
    first_session.get(strategy_url(subactivity))
    second_session = Client(enforce_csrf_checks=True)
    second_session.force_login(leader)

    page = second_session.get(strategy_url(subactivity)).content.decode()  # from the cache

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = second_session.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302  # not 403: the token is the second session's
    assert "_auth_user_id" not in second_session.session


def test_the_page_is_rendered_anew_on_a_new_day(reviewer_client):
    with time_machine.travel(datetime.datetime(2026, 11, 22, 12, tzinfo=datetime.UTC), tick=False):
        reviewer_client.get("/lagesbild/")
        assert "Läget 22 november 2026." in page_text(reviewer_client.get("/lagesbild/"))
    with time_machine.travel(datetime.datetime(2026, 11, 23, 12, tzinfo=datetime.UTC), tick=False):
        assert "Läget 23 november 2026." in page_text(reviewer_client.get("/lagesbild/"))


def test_an_export_is_kept_with_its_file_name(reviewer_client, django_assert_num_queries):
    first = reviewer_client.get("/tabell/", {"_export": "csv"})
    with django_assert_num_queries(SERVED_FROM_THE_CACHE):
        again = reviewer_client.get("/tabell/", {"_export": "csv"})
    assert again.content == first.content
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert again["Content-Type"] == first["Content-Type"]


def test_page_cache_seconds_0_turns_it_off(reviewer_client, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    reviewer_client.get("/lagesbild/")
    with CaptureQueriesContext(connection) as captured:
        reviewer_client.get("/lagesbild/")
    assert len(captured) > SERVED_FROM_THE_CACHE


def test_a_review_comment_renews_the_follow_up_page(client, plan, plan_admin):
    # Review comments have no history: their newest row is part of the data version.
    from followup.services import followup_comment, followup_open, followup_submit_for_review

    cut_off = datetime.date(2025, 12, 31)
    followup = followup_open(revision=plan, year=2025, half=0, cut_off=cut_off, user=plan_admin)
    client.force_login(plan_admin)
    followup_submit_for_review(followup=followup, user=plan_admin)
    client.get(f"/uppfoljningar/{followup.pk}/")
    followup_comment(followup=followup, user=plan_admin, text="Saknas text om strategi 3")
    assert "Saknas text om strategi 3" in page_text(client.get(f"/uppfoljningar/{followup.pk}/"))


def test_a_confirmation_is_shown_once_and_the_page_without_it_kept(client, plan, plan_admin):
    from strategies.models import EffectMeasure

    measure = EffectMeasure.objects.get(strategy__revision=plan, name__startswith="Antal SIP")
    client.force_login(plan_admin)
    client.get("/effektmatt/")
    data = {"year": "2025", "half": "1", "breakdown": "vuxna", "value": "312", "source": "Cosmic LINK", "note": ""}
    saved = client.post(f"/effektmatt/{measure.pk}/varden/ny/", data, follow=True)
    assert "Sparat: Antal SIP" in page_text(saved)

    again = page_text(client.get("/effektmatt/"))
    assert "Sparat: Antal SIP" not in again
    assert "312" in again


def test_readers_alike_share_a_page_each_with_their_own_name(client, reviewer, subactivity, django_assert_num_queries):
    other = UserFactory(username="granskare2", first_name="Greta", last_name="Granskare", role="Granskare")
    client.force_login(reviewer)
    first = client.get(strategy_url(subactivity)).content.decode()
    client.force_login(other)
    with django_assert_num_queries(SERVED_WITH_EDIT_LINKS):
        shared = client.get(strategy_url(subactivity)).content.decode()
    assert '<span class="navbar-text text-white me-2" data-user-name>Greta Granskare</span>' in shared
    assert "Greta Granskare" not in first and str(reviewer) not in shared


@pytest.mark.parametrize("seconds", [600, 0])
def test_readers_alike_share_a_page_each_with_their_own_update_links(
    client, leader, other_leader, subactivity, settings, seconds
):
    # Both are project leaders; the activity is their organisation's for one, and led by a reviewer's account.
    # With the cache turned off, the links are kept the same way.
    settings.PAGE_CACHE_SECONDS = seconds
    update_link = f'href="/delaktiviteter/{subactivity.pk}/uppdatera/"'
    leading = UserFactory(username="ansvarig", role="Granskare")
    activity = subactivity.activity
    activity.leader = leading
    save_with_history(activity, user=None, reason="Ny ansvarig")
    pages = {}
    for user in (leader, other_leader, leading, UserFactory(username="granskare3", role="Granskare")):
        client.force_login(user)
        pages[user.username] = [
            client.get(url).content.decode() for url in (strategy_url(subactivity), f"/aktiviteter/{activity.pk}/")
        ]
    assert [update_link in page for page in pages["ledare"]] == [True, True]  # the organisation's
    assert [update_link in page for page in pages["annan"]] == [False, False]  # another organisation
    assert [update_link in page for page in pages["ansvarig"]] == [True, True]  # its own leader
    assert [update_link in page for page in pages["granskare3"]] == [False, False]
    assert "<!--editable" not in "".join(page for both in pages.values() for page in both)


def test_plan_administrators_share_pages(client, plan_admin, django_assert_num_queries):
    other = UserFactory(username="planadmin2", role="Planadministratör", is_staff=True)
    client.force_login(plan_admin)
    client.get("/lagesbild/")
    client.force_login(other)
    with django_assert_num_queries(SERVED_FROM_THE_CACHE):
        client.get("/lagesbild/")


def test_the_matrix_keeps_its_upload_link_for_the_arenas_members_only(client, plan):
    from plan.models import Organisation

    upload_link = 'href="/lokala-arenor/ladda-upp/"'
    pages = {}
    for organisation in ("ostersund", "region-jh"):
        member = UserFactory(
            username=f"arena-{organisation}",
            role="Lokal samverkansarena",
            organisation=Organisation.objects.get(slug=organisation),
        )
        client.force_login(member)
        pages[organisation] = client.get("/lokala-arenor/").content.decode()
    assert upload_link in pages["ostersund"]  # a municipality with a local arena
    assert upload_link not in pages["region-jh"]  # the region has none
    assert "<!--uploader" not in pages["ostersund"] + pages["region-jh"]


def test_my_activities_follow_a_change_of_organisation(leader_client, leader, region_activity):
    from plan.models import Organisation

    assert region_activity.name in page_text(leader_client.get("/mina-aktiviteter/"))
    leader.organisation = Organisation.objects.get(slug="berg")
    leader.save()  # users have no history: the organisation is part of the key
    assert region_activity.name not in page_text(leader_client.get("/mina-aktiviteter/"))


@pytest.mark.postgresql_only
def test_a_page_read_while_another_write_is_open_is_not_kept(reviewer_client, django_assert_num_queries):
    # A transaction that has written (holds a transaction id) may still commit a lower history id than the newest.
    import psycopg

    other = psycopg.connect(**connection.get_connection_params())
    try:
        other.execute("SELECT pg_current_xact_id()")  # writing: it holds a transaction id until it ends
        reviewer_client.get("/lagesbild/")
        with CaptureQueriesContext(connection) as captured:
            reviewer_client.get("/lagesbild/")
        assert len(captured) > SERVED_FROM_THE_CACHE  # rendered again, not kept
        other.rollback()
        reviewer_client.get("/lagesbild/")
        with django_assert_num_queries(SERVED_FROM_THE_CACHE):
            reviewer_client.get("/lagesbild/")
    finally:
        other.close()

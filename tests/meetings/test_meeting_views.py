"""Planning a forum's meetings and keeping their minutes, through the pages."""

import datetime

import pytest
from django.utils import timezone

from activities.models import SubActivity
from meetings.models import Decision, Meeting
from tests.factories import UserFactory
from tests.meetings.factories import fredagsgruppen, meeting_in


@pytest.fixture
def admin_client(client, plan, plan_admin):
    client.force_login(plan_admin)
    return client


def in_days(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_a_planned_meeting_is_confirmed_and_listed(admin_client):
    response = admin_client.post(
        "/forum/fredagsgruppen/moten/ny/", {"date": in_days(7), "time": "09:30", "place": "Rum 4"}, follow=True
    )
    meeting = Meeting.objects.get(forum=fredagsgruppen())
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "09:30"
    assert meeting.history.get().history_change_reason == "Möte planerat"
    assert f"Mötet {timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M} är planerat." in response.content.decode()
    assert "Forumet har inga medlemmar än" in response.content.decode()
    assert in_days(7) in admin_client.get("/forum/fredagsgruppen/").content.decode()


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"date": in_days(-1), "time": "09:00"}, "date", "Mötet kan inte ligga bakåt i tiden."),
        ({"date": "2026-13-45", "time": "09:00"}, "date", "Fyll i ett giltigt datum."),
        ({"date": in_days(3), "time": ""}, "time", "Detta fält måste fyllas i."),
    ],
)
def test_a_bad_meeting_gets_a_message_next_to_the_field_and_nothing_is_saved(admin_client, data, field, message):
    response = admin_client.post("/forum/fredagsgruppen/moten/ny/", {"place": "Kvar", **data})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html and message in html
    assert 'value="Kvar"' in html  # what was typed is kept
    assert not Meeting.objects.exists()


def test_a_second_meeting_at_the_same_time_is_refused(admin_client):
    day = timezone.localdate() + datetime.timedelta(days=3)
    Meeting.objects.create(
        forum=fredagsgruppen(), starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    )
    response = admin_client.post("/forum/fredagsgruppen/moten/ny/", {"date": day.isoformat(), "time": "09:00"})
    assert "Forumet har redan ett möte vid den tiden." in response.content.decode()
    assert Meeting.objects.count() == 1


def test_a_series_plans_every_other_week_until_its_end_and_skips_dates_taken(admin_client):
    first = timezone.localdate() + datetime.timedelta(days=7)
    taken = timezone.make_aware(datetime.datetime.combine(first + datetime.timedelta(weeks=2), datetime.time(9)))
    Meeting.objects.create(forum=fredagsgruppen(), starts_at=taken)
    data = {
        "first_date": first.isoformat(),
        "time": "09:00",
        "every_weeks": "2",
        "until": (first + datetime.timedelta(weeks=8)).isoformat(),
        "place": "Teams",
    }
    response = admin_client.post("/forum/fredagsgruppen/moten/serie/", data, follow=True)
    days = [timezone.localtime(m.starts_at).date() for m in Meeting.objects.order_by("starts_at")]
    assert days == [first + datetime.timedelta(weeks=2 * n) for n in range(5)]
    assert "4 möten är planerade. 1 datum hade redan ett möte" in response.content.decode()


def test_a_series_without_an_end_is_refused(admin_client):
    data = {"first_date": in_days(7), "time": "09:00", "every_weeks": "1", "until": ""}
    response = admin_client.post("/forum/fredagsgruppen/moten/serie/", data)
    assert response.status_code == 400
    assert "Ange datumet då serien slutar: en serie behöver ett slut." in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_meeting_is_moved_and_cancelled_with_its_history(admin_client):
    meeting = meeting_in(3)
    admin_client.post(f"/moten/{meeting.pk}/flytta/", {"date": in_days(10), "time": "13:00", "place": "Nytt rum"})
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at).date().isoformat() == in_days(10)
    admin_client.post(f"/moten/{meeting.pk}/stall-in/")
    meeting.refresh_from_db()
    assert meeting.cancelled
    assert [r.history_change_reason for r in meeting.history.order_by("history_id")] == [
        None,
        "Möte flyttat",
        "Möte inställt",
    ]
    assert "Inställt" in admin_client.get("/forum/fredagsgruppen/").content.decode()


def test_minutes_and_a_decision_show_on_the_meeting_and_in_the_delaktivitet(admin_client, subactivity):
    meeting = meeting_in(-1)
    admin_client.post(f"/moten/{meeting.pk}/protokoll/", {"notes": "Genomgång av strategi 2."})
    response = admin_client.post(
        f"/moten/{meeting.pk}/beslut/", {"text": "Handlingsplanen följs upp.", "subactivities": [subactivity.pk]}
    )
    assert response.status_code == 302
    page = admin_client.get(f"/moten/{meeting.pk}/").content.decode()
    assert "Genomgång av strategi 2." in page and "Handlingsplanen följs upp." in page
    history = admin_client.get(f"/delaktiviteter/{subactivity.pk}/historik/").content.decode()
    assert "Handlingsplanen följs upp." in history and f'href="/moten/{meeting.pk}/"' in history


def test_a_decision_without_text_is_refused(admin_client, subactivity):
    meeting = meeting_in(-1)
    response = admin_client.post(f"/moten/{meeting.pk}/beslut/", {"text": "", "subactivities": [subactivity.pk]})
    assert response.status_code == 400
    assert not Decision.objects.exists()


def test_a_forums_secretary_plans_its_meetings_but_not_another_forums(client, plan):
    secretary = UserFactory(username="sekreterare")
    fredagsgruppen().secretaries.add(secretary)
    client.force_login(secretary)
    assert "Planera ett möte" in client.get("/forum/fredagsgruppen/").content.decode()
    assert client.post("/forum/fredagsgruppen/moten/ny/", {"date": in_days(5), "time": "10:00"}).status_code == 302
    assert client.post("/forum/svom/moten/ny/", {"date": in_days(5), "time": "10:00"}).status_code == 403
    assert "Planera ett möte" not in client.get("/forum/svom/").content.decode()


def test_a_reader_sees_meetings_without_the_forms(reviewer_client, plan):
    meeting = meeting_in(2)
    html = reviewer_client.get(f"/moten/{meeting.pk}/").content.decode()
    assert "Mötesunderlag" in html and "Protokollför ett beslut" not in html
    assert SubActivity.objects.exists()

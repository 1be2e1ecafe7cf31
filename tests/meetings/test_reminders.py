"""send_reminders against a real SMTP server on loopback: who gets what, once, and what a failing server
leaves for the next run."""

import io
import logging

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import SubActivity
from activities.services import subactivity_update_status
from meetings.models import NotificationKind, SentNotification
from meetings.reminders import notices_due
from plan.models import Forum, Organisation
from tests.factories import UserFactory
from tests.meetings.factories import fredagsgruppen, meeting_in

SITE = "https://plan.example.se"


def send():
    call_command("send_reminders", stdout=io.StringIO())


def day(meeting):
    return f"{timezone.localtime(meeting.starts_at):%Y-%m-%d}"


def by_recipient(server):
    return {tuple(recipients): message for recipients, message in server.messages}


def text_and_html(message):
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


@pytest.fixture
def cycle(plan, region_activity, leader, plan_admin):
    """Fredagsgruppen met two weeks ago and meets in three days; the leader is responsible for the region's
    activity (one sub-activity, not updated since the plan was loaded) and the plan administrator for the
    missing effect-measure values."""
    leader.email, plan_admin.email = "lena.ledare@region.example.se", "planadmin@region.example.se"
    leader.save()
    plan_admin.save()
    previous = meeting_in(-14)
    coming = meeting_in(3, place="Rum 4")
    return {"previous": previous, "meeting": coming, "leader": leader, "admin": plan_admin, "activity": region_activity}


def test_each_responsible_person_gets_one_message_listing_exactly_their_stale_items(smtp_server, cycle):
    send()
    messages = by_recipient(smtp_server)
    assert set(messages) == {("lena.ledare@region.example.se",), ("planadmin@region.example.se",)}
    reminder = messages[("lena.ledare@region.example.se",)]
    assert reminder["Subject"].strip() == (
        f"Påminnelse inför Fredagsgruppen {day(cycle['meeting'])}: uppdatera det du ansvarar för"
    )
    text, html = text_and_html(reminder)
    subs = list(cycle["activity"].subactivities.exclude(status=SubActivity.Status.DONE))
    assert subs
    for sub in subs:
        link = f"{SITE}/delaktiviteter/{sub.pk}/uppdatera/"
        assert link in text
        assert f'href="{link}"' in html
    assert text.count("/delaktiviteter/") == len(subs)
    assert f"{SITE}/installningar/" in text and f"{SITE}/installningar/" in html
    assert f"{SITE}/moten/{cycle['meeting'].pk}/underlag/" in text

    admin_text, _html = text_and_html(messages[("planadmin@region.example.se",)])
    assert "/delaktiviteter/" not in admin_text
    assert f"{SITE}/effektmatt/" in admin_text and "?ar=" in admin_text


def test_an_item_updated_since_the_previous_meeting_is_not_reminded_of(smtp_server, cycle):
    for sub in cycle["activity"].subactivities.all():
        subactivity_update_status(
            subactivity=sub,
            user=cycle["leader"],
            status=sub.status,
            text="Uppdaterad",
            answer=sub.answer,
            comment="",
            expected_version=sub.version,
        )
    send()
    assert set(by_recipient(smtp_server)) == {("planadmin@region.example.se",)}


def test_running_twice_sends_nothing_twice(smtp_server, cycle):
    send()
    first = len(smtp_server.messages)
    send()
    assert len(smtp_server.messages) == first == 2
    assert SentNotification.objects.filter(kind=NotificationKind.REMINDER, meeting=cycle["meeting"]).count() == 2


def test_nothing_is_sent_outside_the_reminder_window_or_for_a_cancelled_meeting(smtp_server, cycle):
    forum = fredagsgruppen()
    forum.reminder_days = 2
    forum.save()
    send()
    assert smtp_server.messages == []
    forum.reminder_days = 7
    forum.save()
    cycle["meeting"].cancelled = True
    cycle["meeting"].save()
    send()
    assert smtp_server.messages == []


def test_a_person_who_turned_reminders_off_gets_none(smtp_server, cycle):
    cycle["leader"].reminder_emails = False
    cycle["leader"].save()
    send()
    assert set(by_recipient(smtp_server)) == {("planadmin@region.example.se",)}


def test_the_message_is_in_the_recipients_language(smtp_server, cycle):
    cycle["leader"].language = "en"
    cycle["leader"].save()
    send()
    reminder = by_recipient(smtp_server)[("lena.ledare@region.example.se",)]
    assert reminder["Subject"].strip().startswith("Reminder before Fredagsgruppen")
    assert by_recipient(smtp_server)[("planadmin@region.example.se",)]["Subject"].strip().startswith("Påminnelse")


def test_a_local_arenas_members_are_reminded_of_their_column_and_nobody_else(smtp_server, region_activity, leader):
    leader.email = "lena.ledare@region.example.se"  # responsible for stale delaktiviteter, not for the column
    leader.save()
    ostersund = Organisation.objects.get(slug="ostersund")
    arena = Forum.objects.get(kind=Forum.Kind.LOCAL, organisation=ostersund)
    member = UserFactory(
        username="arena", role="Lokal samverkansarena", organisation=ostersund, email="arena@ostersund.example.se"
    )
    UserFactory(
        username="annan-arena",
        role="Lokal samverkansarena",
        organisation=Organisation.objects.get(slug="berg"),
        email="arena@berg.example.se",
    )
    meeting = meeting_in(5, forum=arena)
    send()
    assert set(by_recipient(smtp_server)) == {("arena@ostersund.example.se",)}
    text, _html = text_and_html(smtp_server.messages[0][1])
    assert f"{SITE}/lokala-arenor/{arena.pk}/" in text
    assert SentNotification.objects.get(recipient=member, meeting=meeting).item_count == text.count("/lokala-arenor/")


def test_the_forums_members_get_the_link_to_the_meeting_pack(smtp_server, cycle, settings, reviewer):
    settings.MEETING_PACK_DAYS = 3
    reviewer.email = "granskare@region.example.se"
    reviewer.save()
    fredagsgruppen().members.add(reviewer)
    send()
    message = by_recipient(smtp_server)[("granskare@region.example.se",)]
    assert message["Subject"].strip() == f"Mötesunderlag till Fredagsgruppen {day(cycle['meeting'])}"
    text, html = text_and_html(message)
    assert f"{SITE}/moten/{cycle['meeting'].pk}/underlag/" in text
    assert f'href="{SITE}/moten/{cycle["meeting"].pk}/underlag/"' in html


def test_a_forum_without_members_is_logged(smtp_server, cycle, settings, caplog):
    settings.MEETING_PACK_DAYS = 3
    with caplog.at_level(logging.WARNING, logger="meetings.reminders"):
        send()
    assert "Fredagsgruppen has no members" in caplog.text


def test_a_missing_or_malformed_address_is_logged_and_the_others_are_sent(smtp_server, cycle, caplog):
    cycle["leader"].email = "inte-en-adress"
    cycle["leader"].save()
    with caplog.at_level(logging.WARNING, logger="meetings.mail"):
        send()
    assert "No valid e-mail address for user ledare" in caplog.text
    assert set(by_recipient(smtp_server)) == {("planadmin@region.example.se",)}
    assert not SentNotification.objects.filter(recipient=cycle["leader"]).exists()


def test_a_refused_recipient_is_logged_recorded_as_unsent_and_sent_on_the_next_run(smtp_server, cycle, caplog):
    smtp_server.handler.refuse = {"lena.ledare@region.example.se"}
    with caplog.at_level(logging.ERROR, logger="meetings.mail"), pytest.raises(CommandError, match="refused 1"):
        send()
    assert "refused" in caplog.text
    assert set(by_recipient(smtp_server)) == {("planadmin@region.example.se",)}
    assert not SentNotification.objects.filter(recipient=cycle["leader"]).exists()
    smtp_server.handler.refuse = set()
    send()
    assert len(smtp_server.messages) == 2


def test_a_server_that_stops_mid_run_leaves_the_unsent_for_the_next_run(smtp_server, cycle, reviewer, settings):
    settings.MEETING_PACK_DAYS = 3
    reviewer.email = "granskare@region.example.se"
    reviewer.save()
    fredagsgruppen().members.add(reviewer)
    smtp_server.handler.stop_after = 1
    with pytest.raises(CommandError, match="left for the next run"):
        send()
    assert len(smtp_server.messages) == 1
    assert SentNotification.objects.count() == 1
    smtp_server.handler.stop_after = None
    send()
    assert len(smtp_server.messages) == 3
    assert len({tuple(r) for r, _m in smtp_server.messages}) == 3


def test_a_server_that_is_down_or_too_slow_gets_nothing_recorded(smtp_server, cycle, settings):
    smtp_server.handler.delay = 3
    settings.EMAIL_TIMEOUT = 1
    with pytest.raises(CommandError, match="left for the next run 2"):
        send()
    assert not SentNotification.objects.exists()
    smtp_server.stop()
    with pytest.raises(CommandError, match="left for the next run 2"):
        send()
    assert not SentNotification.objects.exists()


def test_deciding_takes_the_same_queries_for_few_and_many_recipients(cycle):
    def decide():
        with CaptureQueriesContext(connection) as captured:
            notices = notices_due(timezone.now())
        return len(notices), len(captured)

    few, few_queries = decide()
    region = Organisation.objects.get(slug="region-jh")
    for n in range(20):
        UserFactory(username=f"pl{n}", role="Projektledare", organisation=region, email=f"pl{n}@region.example.se")
    many, many_queries = decide()
    assert many == few + 20
    assert many_queries == few_queries

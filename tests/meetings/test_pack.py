"""The meeting pack reads the plan as it stood when the meeting started, on the page and in the PDF."""

import datetime
import io
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from activities.models import SubActivity
from activities.services import subactivity_update_status
from followup.models import EffectMeasureValue
from meetings.models import Decision, Meeting
from plan.history import save_with_history
from plan.models import Forum
from plandata.demo import generate_demo_data
from strategies.models import EffectMeasure, LocalActivity
from strategies.services import local_adoption_update
from tests.factories import UserFactory, organisation
from tests.meetings.factories import fredagsgruppen
from tests.pdfs import assert_accessible_pdf

BEFORE = "Uppdaterad före mötet"
AFTER = "Uppdaterad efter mötets start"


def text_of(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def pdf_text(pdf):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def update(name, text, user):
    sub = SubActivity.objects.get(name=name)
    subactivity_update_status(
        subactivity=sub,
        user=user,
        status=SubActivity.Status.IN_PROGRESS,
        text=text,
        answer=sub.answer,
        comment=text,
        expected_version=sub.version,
    )


@pytest.fixture
def held_meeting(plan, leader):
    """Fredagsgruppen met on 2026-10-30 and on 2026-11-13; changes on both sides of the second's start."""
    forum = fredagsgruppen()
    tz = timezone.get_current_timezone()
    previous = Meeting.objects.create(forum=forum, starts_at=datetime.datetime(2026, 10, 30, 9, tzinfo=tz))
    meeting = Meeting.objects.create(forum=forum, starts_at=datetime.datetime(2026, 11, 13, 9, tzinfo=tz))
    Decision.objects.create(meeting=previous, text="Beslut: handlingsplanen följs upp i december")
    measure = EffectMeasure.objects.get(strategy__revision=plan, name__startswith="Kontinuitets-index")
    with time_machine.travel(datetime.datetime(2026, 11, 5, 12, tzinfo=datetime.UTC), tick=False):
        update("Handlingsplan fasta kontakter etc.", BEFORE, leader)
        activity = SubActivity.objects.get(name="Handlingsplan fasta kontakter etc.").activity
        activity.leader = leader
        save_with_history(activity, user=leader, reason="Ny ledare")
        EffectMeasureValue.objects.create(measure=measure, year=2025, value=0.41)
    with time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC), tick=False):
        update("Från förskoleålder till skolålder", AFTER, leader)
        EffectMeasureValue.objects.filter(measure=measure).update(value=0.99)
        EffectMeasureValue.objects.get(measure=measure).save()  # a history record with the later value
    return meeting


def test_the_pack_shows_what_changed_before_the_start_and_not_after(reviewer_client, held_meeting):
    response = reviewer_client.get(f"/moten/{held_meeting.pk}/underlag/")
    assert response.status_code == 200
    text = text_of(response.content.decode())
    assert "Förändringar sedan forumets förra möte 2026-10-30" in text
    assert BEFORE in text
    assert AFTER not in text
    assert "0,41 (2025)" in text and "0,99" not in text
    assert "Beslut: handlingsplanen följs upp i december" in text
    late = text.split("Försenad", 1)[1].split("Ska vara klart 2026", 1)[0]
    assert "2.1 Utveckla rutiner och arbetssätt för fasta kontakter" in late  # 2023–2024, not done
    assert "Lokala arenor som inte har hörts av" in text
    assert "Lokal samverkansarena Östersund: aldrig uppdaterad" in text


def test_the_pack_pdf_has_the_same_content(reviewer_client, held_meeting):
    response = reviewer_client.get(f"/moten/{held_meeting.pk}/underlag.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Mötesunderlag: Fredagsgruppen 2026-11-13" in text
    assert BEFORE in text and AFTER not in text
    assert "Effektmått som forumet följer" in text
    assert re.search(r"Sida 2 av \d+", text)
    assert_accessible_pdf(response.content)


def test_a_local_arenas_pack_has_its_column_and_its_stale_items(reviewer_client, plan):
    ostersund = organisation("ostersund")
    arena = Forum.objects.get(kind=Forum.Kind.LOCAL, organisation=ostersund)
    member = UserFactory(username="arena", role="Lokal samverkansarena", organisation=ostersund)
    first, second = LocalActivity.objects.filter(strategy__revision=plan).order_by("strategy__number", "number")[:2]
    tz = timezone.get_current_timezone()
    Meeting.objects.create(forum=arena, starts_at=datetime.datetime(2026, 9, 1, 13, tzinfo=tz))
    meeting = Meeting.objects.create(forum=arena, starts_at=datetime.datetime(2026, 10, 1, 13, tzinfo=tz))
    with time_machine.travel(datetime.datetime(2026, 9, 15, 12, tzinfo=datetime.UTC), tick=False):
        local_adoption_update(arena=arena, local_activity=first, user=member, state="antagen", text="", contact="")
    with time_machine.travel(datetime.datetime(2026, 10, 15, 12, tzinfo=datetime.UTC), tick=False):
        local_adoption_update(arena=arena, local_activity=second, user=member, state="klar", text="", contact="")
    text = text_of(reviewer_client.get(f"/moten/{meeting.pk}/underlag/").content.decode())
    column = text.split("Arenans rekommenderade lokala aktiviteter", 1)[1]
    assert f"{first.text} Antagen i lokal plan 2026-09-15" in column
    assert f"{second.text} Ej behandlad –" in column  # done only after the meeting started
    stale = column.split("Inte uppdaterat sedan förra mötet", 1)[1]
    assert first.text not in stale and second.text in stale


def pack_queries(client, meeting):
    counts = []
    for url in (f"/moten/{meeting.pk}/underlag/", f"/moten/{meeting.pk}/", f"/forum/{meeting.forum.slug}/"):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    return counts


def test_the_meeting_pages_queries_do_not_grow_with_the_plan(client, plan_admin, held_meeting):
    client.force_login(plan_admin)
    Decision.objects.create(meeting=held_meeting, text="Ett beslut").subactivities.set(SubActivity.objects.all()[:3])
    small = pack_queries(client, held_meeting)
    generate_demo_data(5)
    Decision.objects.create(meeting=held_meeting, text="Ett till").subactivities.set(SubActivity.objects.all()[:9])
    earliest = Meeting.objects.previous_to(held_meeting).starts_at
    for days in range(1, 6):
        Meeting.objects.create(forum=held_meeting.forum, starts_at=earliest - datetime.timedelta(days=days))
    assert pack_queries(client, held_meeting) == small

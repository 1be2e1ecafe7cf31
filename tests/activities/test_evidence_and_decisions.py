"""A sub-activity's evidence (a link to the routine, agreement or minutes behind its answer), and the decisions of
meetings that name it, on its history page and the activity page."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from activities.models import SubActivity
from activities.services import subactivity_restore, subactivity_update_status
from meetings.models import Decision, Meeting
from plan.models import Forum
from tests.pages import page_text

pytestmark = pytest.mark.django_db

EVIDENCE = "https://www.regionjh.se/rutiner/fasta-kontakter.pdf"


@pytest.fixture
def english(client):
    """The new texts are not translated yet when these tests are written: read the pages in English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def leader_en(english, leader):
    english.force_login(leader)
    return english


@pytest.fixture
def reviewer_en(english, reviewer):
    english.force_login(reviewer)
    return english


def update_url(subactivity):
    return f"/delaktiviteter/{subactivity.pk}/uppdatera/"


def history_url(subactivity):
    return f"/delaktiviteter/{subactivity.pk}/historik/"


def form_data(**changes):
    return {
        "status": "klar",
        "status_text": "Rutinen är antagen",
        "answer": "ja",
        "evidence_url": EVIDENCE,
        "comment": "Antagen i Fredagsgruppen",
        "version": "1",
        **changes,
    }


def reload(subactivity):
    return SubActivity.objects.get(pk=subactivity.pk)


def save_evidence(subactivity, user, evidence_url=EVIDENCE):
    current = reload(subactivity)
    return subactivity_update_status(
        subactivity=current,
        user=user,
        status="klar",
        text="Rutinen är antagen",
        answer="ja",
        evidence_url=evidence_url,
        comment="Antagen",
        expected_version=current.version,
    )


def decide(subactivity, text="Rutinen antas.", *, forum=None, starts_at=None, cancelled=False):
    meeting = Meeting.objects.create(
        forum=forum or Forum.objects.first(), starts_at=starts_at or timezone.now(), cancelled=cancelled
    )
    decision = Decision.objects.create(meeting=meeting, text=text)
    decision.subactivities.add(subactivity)
    return decision


# Evidence


def test_the_form_offers_the_evidence_as_it_is_stored(leader_en, subactivity, leader):
    save_evidence(subactivity, leader)
    response = leader_en.get(update_url(subactivity))
    assert response.context["form"]["evidence_url"].value() == EVIDENCE
    assert 'type="url" name="evidence_url"' in response.content.decode()


def test_a_project_leader_links_the_evidence_and_the_history_shows_it(leader_en, subactivity):
    leader_en.post(update_url(subactivity), form_data())

    saved = reload(subactivity)
    assert (saved.evidence_url, saved.answer, saved.version) == (EVIDENCE, "ja", 2)
    assert saved.history.latest("history_date").evidence_url == EVIDENCE
    response = leader_en.get(history_url(subactivity))
    assert f'<a href="{EVIDENCE}" rel="noreferrer"' in response.content.decode()
    assert f"Evidence: – → {EVIDENCE}" in page_text(response)


def test_an_address_without_its_scheme_is_taken_as_https(leader_en, subactivity):
    leader_en.post(update_url(subactivity), form_data(evidence_url="www.berg.se/rutin"))
    assert reload(subactivity).evidence_url == "https://www.berg.se/rutin"


def test_emptying_the_field_removes_the_evidence_and_the_history_says_so(leader_en, subactivity, leader):
    save_evidence(subactivity, leader)
    leader_en.post(update_url(subactivity), form_data(evidence_url="", version="2"))

    assert reload(subactivity).evidence_url == ""
    assert f"Evidence: {EVIDENCE} → –" in page_text(leader_en.get(history_url(subactivity)))


@pytest.mark.parametrize(
    "value, message",
    [
        ("inte en länk", "Enter a complete web address"),
        ("javascript:alert(1)", "Enter a complete web address"),
        ("ftp://ftp.berg.se/rutin.pdf", "Enter a complete web address"),
        ("https://www.berg.se/ rutin.pdf", "Enter a complete web address"),
        ("https://www.berg.se/" + "a" * 500, "at most 500 characters"),
    ],
)
def test_a_malformed_address_is_explained_next_to_the_field_and_nothing_is_saved(
    leader_en, subactivity, value, message
):
    response = leader_en.post(update_url(subactivity), form_data(evidence_url=value))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["evidence_url"])
    html = response.content.decode()
    assert 'id="id_evidence_url_error"' in html and 'aria-invalid="true"' in html
    assert response.context["form"]["evidence_url"].value() == value  # kept to be corrected
    saved = reload(subactivity)
    assert (saved.status, saved.evidence_url, saved.version) == ("pagar", "", 1)


def test_the_service_refuses_a_malformed_address_and_saves_nothing(subactivity, leader):
    with pytest.raises(ValidationError):
        save_evidence(subactivity, leader, evidence_url="inte en länk")
    saved = reload(subactivity)
    assert (saved.status, saved.evidence_url, saved.version) == ("pagar", "", 1)


def test_a_status_update_that_names_no_evidence_keeps_the_stored_one(subactivity, leader):
    save_evidence(subactivity, leader)
    subactivity_update_status(
        subactivity=reload(subactivity),
        user=leader,
        status="avvaktar",
        text="",
        answer="ja",
        comment="Pausad",
        expected_version=2,
    )
    assert reload(subactivity).evidence_url == EVIDENCE


def test_restoring_an_earlier_version_brings_back_its_evidence(subactivity, leader, plan_admin):
    save_evidence(subactivity, leader)
    record = reload(subactivity).history.latest("history_date")
    save_evidence(subactivity, leader, evidence_url="")

    subactivity_restore(subactivity=reload(subactivity), user=plan_admin, record=record, comment="", expected_version=3)

    assert reload(subactivity).evidence_url == EVIDENCE


def test_the_activity_page_links_the_evidence_beside_the_answer(reviewer_en, subactivity, leader):
    save_evidence(subactivity, leader)
    response = reviewer_en.get(f"/aktiviteter/{subactivity.activity_id}/")
    assert f'<a href="{EVIDENCE}" rel="noreferrer">Evidence' in response.content.decode()
    assert f"Yes Evidence : {subactivity.name}" in page_text(response)  # the name for screen readers


def test_a_sub_activity_without_evidence_shows_no_link(reviewer_en, subactivity):
    response = reviewer_en.get(f"/aktiviteter/{subactivity.activity_id}/")
    assert "Evidence" not in page_text(response)


# Decisions


def test_the_history_page_lists_the_decisions_that_name_the_sub_activity(reviewer_en, subactivity):
    forum = Forum.objects.get(name="Fredagsgruppen")
    older = decide(
        subactivity, "Rutinen ska tas fram.", forum=forum, starts_at=timezone.now() - datetime.timedelta(days=30)
    )
    newer = decide(subactivity, "Rutinen antas.", forum=forum)
    decide(
        subactivity, "Beslut från ett inställt möte.", cancelled=True, starts_at=timezone.now() + datetime.timedelta(1)
    )
    decide(SubActivity.objects.exclude(pk=subactivity.pk).first(), "Gäller något annat.")

    response = reviewer_en.get(history_url(subactivity))

    html, text = response.content.decode(), page_text(response)
    assert [d.pk for d in response.context["decisions"]] == [newer.pk, older.pk]  # newest first, as the history
    for decision in (newer, older):
        day = timezone.localtime(decision.meeting.starts_at).date().isoformat()
        assert f'<a href="/moten/{decision.meeting_id}/">Fredagsgruppen <time' in html
        assert f"Fredagsgruppen {day} : {decision.text}" in text
    assert "inställt möte" not in text and "Gäller något annat" not in text


def test_the_history_page_says_when_no_decision_names_the_sub_activity(reviewer_en, subactivity):
    text = page_text(reviewer_en.get(history_url(subactivity)))
    assert "Decisions No meeting has recorded a decision about this sub-activity." in text


def test_the_history_page_reads_the_decisions_in_one_query_however_many(
    reviewer_en, subactivity, django_assert_num_queries
):
    forums = list(Forum.objects.all()[:5])
    # Session, user, the sub-activity with its activity, the activity's organisations, the user's roles, the
    # history records, the decisions with their meetings and forums, the counterparts in other revisions.
    decide(subactivity, "Beslut 1", forum=forums[0])
    with django_assert_num_queries(8):
        reviewer_en.get(history_url(subactivity))

    for n, forum in enumerate(forums[1:], start=2):
        decide(subactivity, f"Beslut {n}", forum=forum, starts_at=timezone.now() - datetime.timedelta(days=n))
    with django_assert_num_queries(8):
        response = reviewer_en.get(history_url(subactivity))
    assert len(response.context["decisions"]) == 5


def test_the_activity_page_counts_each_sub_activitys_decisions_and_links_them(reviewer_en, subactivity):
    decide(subactivity, "Rutinen ska tas fram.", starts_at=timezone.now() - datetime.timedelta(days=30))
    decide(subactivity, "Rutinen antas.")
    decide(subactivity, "Inställt.", cancelled=True, starts_at=timezone.now() + datetime.timedelta(days=1))

    response = reviewer_en.get(f"/aktiviteter/{subactivity.activity_id}/")

    assert f'<a class="btn btn-link btn-sm" href="{history_url(subactivity)}#beslut">2 decisions' in (
        response.content.decode()
    )


def test_the_activity_page_shows_no_count_without_decisions(reviewer_en, subactivity):
    assert "#beslut" not in reviewer_en.get(f"/aktiviteter/{subactivity.activity_id}/").content.decode()


def test_the_activity_page_counts_decisions_without_a_query_per_sub_activity(
    reviewer_en, subactivity, django_assert_num_queries
):
    activity = subactivity.activity
    # Session, user, the activity, its organisations, the user's roles, its counterparts, the sub-activities
    # with their decision counts, the activity's history records and their organisations, the sub-activities'
    # history records.
    decide(subactivity)
    # each count holds what the page cache reads: the data version, the activities the reader may change
    with django_assert_num_queries(12):
        reviewer_en.get(f"/aktiviteter/{activity.pk}/")

    for number in range(2, 6):
        added = SubActivity.objects.create(activity=activity, number=number, name=f"Delaktivitet {number}")
        decide(added, f"Beslut om delaktivitet {number}", starts_at=timezone.now() - datetime.timedelta(days=number))
    with django_assert_num_queries(12):
        response = reviewer_en.get(f"/aktiviteter/{activity.pk}/")
    assert [sub.decision_count for sub in response.context["subactivities"]] == [1] * 5


def test_the_activity_page_as_of_a_past_day_shows_that_days_evidence_and_no_decisions(
    english, reviewer, subactivity, leader
):
    save_evidence(subactivity, leader)
    decide(subactivity)
    today = timezone.localdate()

    with time_machine.travel(timezone.now() + datetime.timedelta(days=2), tick=False):
        english.force_login(reviewer)  # a session lasts a working day
        response = english.get(f"/aktiviteter/{subactivity.activity_id}/?datum={today.isoformat()}")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<a href="{EVIDENCE}" rel="noreferrer">Evidence' in html
    assert "#beslut" not in html

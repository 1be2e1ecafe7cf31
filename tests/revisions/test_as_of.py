"""The plan as of a date (?datum=), and the banners of superseded and draft revisions."""

import datetime

import pytest
import time_machine
from django.conf import settings

from activities.models import Activity, SubActivity
from activities.services import subactivity_update_status
from plandata.demo import generate_demo_data
from revisions.as_of import revision_in_force_on
from revisions.services import activate_revision, start_revision
from tests.pages import first_strategy, page_text

pytestmark = pytest.mark.django_db

BANNER = "You are looking at the plan as it was on {}. This is a past view and cannot be changed."


def at(year, month, day, hour=12):
    """Travels to a moment (Stockholm is UTC+1 in winter, +2 in summer: noon UTC is the same day there)."""
    return time_machine.travel(datetime.datetime(year, month, day, hour, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def english(client):
    """The new texts are not translated yet when these tests are written: read the pages in English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def reviewer_en(english, reviewer):
    english.force_login(reviewer)
    return english


@pytest.fixture
def admin_en(english, plan_admin):
    english.force_login(plan_admin)
    return english


@pytest.fixture
def status_changed_on_12_march_2025(subactivity, leader):
    with at(2025, 3, 12):
        subactivity_update_status(
            subactivity=subactivity,
            user=leader,
            status="klar",
            text="Klart i mars",
            answer="ja",
            comment="Beslut",
            expected_version=subactivity.version,
        )
    return subactivity


@pytest.fixture
def revision_2027(plan, plan_admin):
    """The 2027 revision: drafted on 1 October 2026 with a renamed first strategy, in force from 22 November
    2026 at noon; the tests then run on 15 December 2026."""
    with at(2026, 10, 1):
        draft = start_revision(plan, label="2027", in_force_from=datetime.date(2026, 12, 1), user=plan_admin)
        strategy = draft.strategies.get(number=1)
        strategy.name = "Delaktighet, ny lydelse"
        strategy.save()
    with at(2026, 11, 22):
        activate_revision(draft, user=plan_admin)
    with at(2026, 12, 15):
        yield draft


# Statuses as of a date


def test_a_day_before_a_status_change_shows_the_old_status_and_the_day_of_it_the_new(
    reviewer_en, status_changed_on_12_march_2025
):
    url = f"/aktiviteter/{status_changed_on_12_march_2025.activity_id}/"
    before = page_text(reviewer_en.get(url + "?datum=2025-03-11"))
    after = page_text(reviewer_en.get(url + "?datum=2025-03-12"))

    assert BANNER.format("11 March 2025") in before
    assert "Handlingsplan fasta kontakter etc. In progress Arbete pågår" in before
    assert "Klart i mars" not in before
    assert "Handlingsplan fasta kontakter etc. Done Klart i mars" in after
    # The history on the page ends with the day.
    assert "Beslut" in after and "Beslut" not in before


def test_the_overview_counts_statuses_as_of_the_day(reviewer_en, status_changed_on_12_march_2025):
    before = page_text(reviewer_en.get("/?datum=2025-03-11"))
    after = page_text(reviewer_en.get("/?datum=2025-03-12"))

    # Total row: activities, then per status (not started … not stated), then sub-activities.
    assert "Total 16 10 3 2 10 4 0 6 35" in before
    assert "Total 16 10 3 2 9 4 1 6 35" in after
    assert BANNER.format("12 March 2025") in after


def test_the_strategy_page_shows_statuses_as_of_the_day(reviewer_en, status_changed_on_12_march_2025):
    url = f"/strategier/{status_changed_on_12_march_2025.activity.strategy_id}/"
    assert "Klart i mars" not in page_text(reviewer_en.get(url + "?datum=2025-03-11"))
    assert "Klart i mars" in page_text(reviewer_en.get(url + "?datum=2025-03-12"))


def test_before_any_revision_was_in_force_there_was_no_plan(reviewer_en, plan):
    text = page_text(reviewer_en.get("/?datum=2023-01-01"))
    assert "There was no plan in force on 1 January 2023." in text
    assert BANNER.format("1 January 2023") in text

    response = reviewer_en.get(f"/strategier/{first_strategy().pk}/?datum=2023-11-30")
    assert response.status_code == 404
    assert "There was no plan in force on 30 November 2023." in page_text(response)


def test_the_plan_is_in_force_from_the_end_of_its_first_day(reviewer_en, plan):
    text = page_text(reviewer_en.get("/?datum=2023-12-01"))
    assert "Revision 2023, in force from 1 December 2023." in text
    assert "5 strategies with 16 activities and 35 sub-activities." in text


# Across an activation


def test_a_day_before_the_activation_shows_the_old_revision_and_the_day_of_it_the_new(plan, revision_2027, reviewer_en):
    before = page_text(reviewer_en.get("/?datum=2026-11-21"))
    after = page_text(reviewer_en.get("/?datum=2026-11-22"))

    assert "Revision 2023, in force from 1 December 2023." in before
    assert "1. Ökad delaktighet" in before and "Delaktighet, ny lydelse" not in before
    assert "Revision 2027, in force from 22 November 2026." in after  # put in force by hand before its date
    assert "1. Delaktighet, ny lydelse" in after


def test_a_strategy_asked_for_on_a_day_of_another_revision_is_followed_to_the_same_strategy(
    plan, revision_2027, reviewer_en
):
    old = plan.strategies.get(number=1)
    new = revision_2027.strategies.get(number=1)

    assert "Strategy: Ökad delaktighet" in page_text(reviewer_en.get(f"/strategier/{new.pk}/?datum=2026-11-21"))
    assert "Strategy: Delaktighet, ny lydelse" in page_text(reviewer_en.get(f"/strategier/{old.pk}/?datum=2026-11-22"))


def test_an_item_added_in_the_new_revision_did_not_exist_before_it(plan, revision_2027, reviewer_en):
    strategy = revision_2027.strategies.get(number=1)
    added = Activity.objects.create(
        strategy=strategy, number=99, name="Helt ny aktivitet", priority_start_year=2027, priority_end_year=2028
    )

    response = reviewer_en.get(f"/aktiviteter/{added.pk}/?datum=2026-11-21")
    assert response.status_code == 404
    assert "This activity did not exist on 21 November 2026" in page_text(response)


def test_revision_in_force_on_tells_apart_revisions_activated_in_the_same_instant(plan, plan_admin):
    with at(2026, 11, 22):
        first = start_revision(plan, label="2027", in_force_from=datetime.date(2026, 12, 1), user=plan_admin)
        activate_revision(first, user=plan_admin)
        second = start_revision(first, label="2030", in_force_from=datetime.date(2029, 12, 1), user=plan_admin)
        activate_revision(second, user=plan_admin)

    assert revision_in_force_on(plan.plan_id, datetime.date(2026, 11, 21)).label == "2023"
    assert revision_in_force_on(plan.plan_id, datetime.date(2026, 11, 22)).label == "2030"
    assert revision_in_force_on(plan.plan_id, datetime.date(2023, 11, 30)) is None


# Superseded and draft revisions


def test_a_superseded_revision_says_so_and_links_to_the_revision_in_force(plan, revision_2027, reviewer_en):
    for url in [
        f"/strategier/{plan.strategies.get(number=1).pk}/",
        f"/aktiviteter/{Activity.objects.filter(strategy__revision=plan).first().pk}/",
    ]:
        response = reviewer_en.get(url)
        text = page_text(response)
        assert (
            "This is revision 2023, superseded on 22 November 2026. It is kept as it was and cannot be changed." in text
        )
        assert "Go to the revision in force" in text and 'href="/"' in response.content.decode()


def test_a_draft_is_marked_as_one_for_plan_administrators(admin_en, draft):
    strategy = draft.strategies.get(number=1)
    activity = Activity.objects.filter(strategy__revision=draft).first()
    for url in [f"/strategier/{strategy.pk}/", f"/aktiviteter/{activity.pk}/"]:
        assert "Draft of revision 2027, not yet in force" in page_text(admin_en.get(url))


def test_a_draft_is_refused_to_everyone_but_plan_administrators(client, draft, reviewer, leader):
    strategy = draft.strategies.get(number=1)
    activity = Activity.objects.filter(strategy__revision=draft).first()
    subactivity = SubActivity.objects.filter(activity=activity).first()
    for user in [reviewer, leader]:
        client.force_login(user)
        for url in [
            f"/strategier/{strategy.pk}/",
            f"/aktiviteter/{activity.pk}/",
            f"/delaktiviteter/{subactivity.pk}/historik/",
        ]:
            assert client.get(url).status_code == 403, (user, url)
            assert client.get(url + "?datum=2025-01-01").status_code == 403, (user, url)


# Read-only, links, the date form


def test_a_past_view_offers_no_edit_links_even_to_a_plan_administrator(admin_en, plan, subactivity):
    strategy_url = f"/strategier/{subactivity.activity.strategy_id}/"
    activity_url = f"/aktiviteter/{subactivity.activity_id}/"
    assert "/uppdatera/" in admin_en.get(strategy_url).content.decode()  # the present view has them
    assert "/uppdatera/" in admin_en.get(activity_url).content.decode()

    for url in [strategy_url, activity_url, "/"]:
        html = admin_en.get(url + "?datum=2025-03-12").content.decode()
        assert "/uppdatera/" not in html and "/aterstall/" not in html, url
        assert "Update" not in page_text(admin_en.get(url + "?datum=2025-03-12")), url


def test_links_inside_a_past_view_keep_the_date(reviewer_en, plan):
    strategy = first_strategy()
    activity = strategy.activities.first()
    overview = reviewer_en.get("/?datum=2025-03-12").content.decode()
    strategy_page = reviewer_en.get(f"/strategier/{strategy.pk}/?datum=2025-03-12").content.decode()
    activity_page = reviewer_en.get(f"/aktiviteter/{activity.pk}/?datum=2025-03-12").content.decode()

    assert f'href="/strategier/{strategy.pk}/?datum=2025-03-12"' in overview
    assert f'href="/aktiviteter/{activity.pk}/?datum=2025-03-12"' in strategy_page
    assert f'href="/strategier/{strategy.pk}/?datum=2025-03-12"' in activity_page
    assert 'href="/?datum=2025-03-12"' in activity_page
    assert "Back to today's plan" in page_text(reviewer_en.get("/?datum=2025-03-12"))


def test_the_overview_has_a_labelled_date_form(reviewer_en, plan):
    html = reviewer_en.get("/?datum=2025-03-12").content.decode()
    assert '<label class="form-label fw-semibold mb-1" for="id_datum">Date</label>' in html
    assert 'type="date" name="datum" value="2025-03-12"' in html
    assert "Show the plan as of</button>" in html


def test_an_invalid_date_gets_a_message_and_the_present_plan(reviewer_en, plan):
    for value in ["2025-13-45", "igår", "12/03/2025"]:
        response = reviewer_en.get(f"/?datum={value}")
        assert response.status_code == 200
        text = page_text(response)
        assert "Enter a date as year-month-day, for example 2025-03-12. Showing today's plan." in text
        assert "This is a past view" not in text
        assert "Revision 2023, in force from 1 December 2023." in text
    response = reviewer_en.get(f"/strategier/{first_strategy().pk}/?datum=nej")
    assert response.status_code == 200 and "Enter a date as year-month-day" in page_text(response)


def test_a_date_to_come_shows_the_present_plan(reviewer_en, plan, subactivity):
    response = reviewer_en.get(f"/aktiviteter/{subactivity.activity_id}/?datum=2999-01-01")
    text = page_text(response)
    assert response.status_code == 200 and "This is a past view" not in text


# Next revision due


@pytest.mark.parametrize(
    ("today", "expected", "warning"),
    [
        (datetime.date(2025, 5, 31), "Next revision of the plan is due 1 December 2026, in 549 days.", False),
        (datetime.date(2026, 6, 1), "Less than six months left: time to start the revision.", True),
        (datetime.date(2026, 12, 2), "The plan's revision is overdue: it was due 1 December 2026.", True),
    ],
)
def test_the_overview_says_when_the_next_revision_is_due(english, reviewer, plan, today, expected, warning):
    with at(today.year, today.month, today.day):
        english.force_login(reviewer)
        response = english.get("/")
        past = page_text(english.get("/?datum=2025-03-12"))
    assert expected in page_text(response)
    assert ('class="alert alert-warning" role="status"' in response.content.decode()) == warning
    assert "Next revision of the plan is due" not in past and "Less than six months left" not in past


# Query budgets


def test_the_past_views_queries_do_not_grow_with_the_plan(reviewer_en, plan, django_assert_num_queries):
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    generate_demo_data(2)
    strategy = first_strategy()
    activity = Activity.objects.filter(strategy=strategy, name__endswith="(exempel 1)").first()
    # each count holds the data version the page cache reads (plan/caching.py)
    pages = {
        # session, user, roles (menu), the plan, the revision in force on the day (with its plan), guiding
        # principles, strategies, effect measures, recommended local activities, activities, sub-activities
        # per activity and status
        "/": 12,
        # session, user, roles (menu), the strategy with revision and plan, the revision in force on the day,
        # the strategy as of the day, quotes, effect measures, their forums, activities with leaders, their
        # responsible organisations, their sub-activities, recommended local activities
        f"/strategier/{strategy.pk}/": 14,
        # session, user, the activity with strategy, revision, plan and leader, its responsible organisations,
        # roles (edit check), the revision in force on the day, the activity as of the day with its leader,
        # its organisations then, its sub-activities then, its strategy then; the history up to the day: the
        # activity's records, their organisations, the sub-activities' records
        f"/aktiviteter/{activity.pk}/": 14,
    }
    for url, queries in pages.items():
        with django_assert_num_queries(queries):
            reviewer_en.get(f"{url}?datum={yesterday}")
    generate_demo_data(10)
    texts = {}
    for url, queries in pages.items():
        with django_assert_num_queries(queries):
            texts[url] = page_text(reviewer_en.get(f"{url}?datum={yesterday}"))
    assert f"{Activity.objects.count()} activities" in texts["/"]
    assert "(exempel 9)" in texts[f"/strategier/{strategy.pk}/"]
    assert "Genererad demodata" in texts[f"/aktiviteter/{activity.pk}/"]

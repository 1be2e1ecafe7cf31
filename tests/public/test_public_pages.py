"""The public pages (PUBLIC_PAGES): readable without logging in when published, 404 every one when not,
showing only published data and nothing about the people who work on the plan."""

import csv
import datetime
import io
import json

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from activities.models import SubActivity
from activities.services import subactivity_update_status
from followup import services as followup_services
from followup.models import EffectMeasureValue, FollowUp
from plan.models import Forum, Organisation
from plandata.demo import generate_demo_data
from revisions.services import start_revision
from strategies.models import EffectMeasure, LocalActivity, LocalAdoption, Strategy
from tests.conftest import SUBACTIVITY
from tests.factories import UserFactory
from tests.pages import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def published(settings):
    settings.PUBLIC_PAGES = True
    cache.clear()  # the data version starts again with each test's database
    return settings


def public_urls():
    locked = FollowUp.objects.filter(state="locked").first()
    urls = [
        reverse("public:overview"),
        *[reverse("public:strategy", args=[n]) for n in range(1, 5)],
        reverse("public:measures"),
        reverse("public:local_arenas"),
        reverse("public:reports"),
        reverse("public:open_data"),
        reverse("public:plan_json"),
        reverse("public:subactivities_csv"),
        reverse("public:measures_csv"),
    ]
    if locked:
        urls.append(reverse("public:report_pdf", args=[locked.pk]))
    return urls


def text_of(response):
    if response["Content-Type"] == "application/pdf":
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    if response["Content-Type"].startswith("text/html"):
        return page_text(response)
    return response.content.decode()


@pytest.fixture
def locked_followup(plan, plan_admin):
    with time_machine.travel(datetime.datetime(2026, 2, 1, 12, tzinfo=datetime.UTC), tick=False):
        followup = followup_services.followup_open(
            revision=plan, year=2025, half=0, cut_off=datetime.date(2025, 12, 31), user=plan_admin
        )
        followup_services.followup_comment(followup=followup, user=plan_admin, text="Granskarens hemliga synpunkt")
        return followup_services.followup_lock(followup=followup, user=plan_admin)


@pytest.fixture
def people_at_work(plan, region_activity, leader, plan_admin):
    """Names everywhere the logged-in app shows them: a leader, a status change with a comment, a contact
    person of an arena, an effect value's note, an open follow-up and a draft revision."""
    region_activity.leader = leader
    region_activity.save()
    sub = region_activity.subactivities.get(name=SUBACTIVITY)
    subactivity_update_status(
        subactivity=sub,
        user=leader,
        status="klar",
        text="Rutinen är beslutad",
        answer="ja",
        comment="Kommentar som bara personalen ser",
        expected_version=sub.version,
    )
    contact = UserFactory(username="kontakten", first_name="Kajsa", last_name="Kontaktsson", email="kajsa@exempel.se")
    LocalAdoption.objects.create(
        arena=Forum.objects.get(slug="lokal-ostersund"),
        local_activity=LocalActivity.objects.filter(strategy__revision=plan).first(),
        state="antagen",
        contact=f"{contact.first_name} {contact.last_name}",
        updated_by=contact,
    )
    EffectMeasureValue.objects.create(
        measure=EffectMeasure.objects.get(name__startswith="Läkarbesök"),
        year=2024,
        value=42,
        note="Inmatad av Kajsa Kontaktsson",
        entered_by=plan_admin,
    )
    FollowUp.objects.create(revision=plan, year=2026, cut_off=datetime.date(2026, 12, 31), summary="Öppet utkast")
    draft = start_revision(
        plan, label="2099", in_force_from=timezone.localdate() + datetime.timedelta(days=400), user=plan_admin
    )
    Strategy.objects.filter(revision=draft, number=1).update(name="Utkastets nya strategi")
    return sub


def test_every_public_page_is_readable_without_logging_in(client, locked_followup):
    for url in public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
    assert len(public_urls()) == 13


def test_turning_publishing_off_makes_every_public_url_404(client, locked_followup, published):
    published.PUBLIC_PAGES = False
    for url in [*public_urls(), reverse("public:language", args=["en"])]:
        assert client.get(url).status_code == 404, url


def test_the_rest_of_the_app_still_asks_for_a_login(client):
    for url in ["/", "/lagesbild/", "/effektmatt/", "/lokala-arenor/", "/uppfoljningar/", "/api/plan.json"]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url


def test_no_public_page_names_a_person_or_shows_what_is_internal(client, people_at_work, locked_followup):
    from plan.models import User

    words = set()
    for user in User.objects.all():
        words |= {user.username, user.email, user.get_full_name()}
        words |= {name for name in (user.first_name, user.last_name) if len(name) > 3}
    words.discard("")
    internal = [
        "Kommentar som bara personalen ser",
        "Granskarens hemliga synpunkt",
        "Inmatad av",
        "Öppet utkast",
        "Utkastets nya strategi",
        "2099",
    ]
    assert "Lena" in words and "Kajsa Kontaktsson" in words
    for url in public_urls():
        text = text_of(client.get(url))
        found = [word for word in [*words, *internal] if word in text]
        assert not found, (url, found)


def test_the_strategy_page_shows_statuses_texts_and_answers(client, people_at_work):
    text = page_text(client.get(reverse("public:strategy", args=[people_at_work.activity.strategy.number])))
    assert SUBACTIVITY in text
    assert "Klar Rutinen är beslutad" in text
    assert "Ja" in text


def test_the_overview_shows_the_dashboards_figures(client, plan):
    response = client.get(reverse("public:overview"))
    text = page_text(response)
    assert plan.vision in text
    total = SubActivity.objects.filter(activity__strategy__revision=plan).count()
    assert response.context["plan_row"]["total"] == total
    assert response.content.decode().count('<svg class="chart" role="img"') == 2
    assert "/tabell/" not in response.content.decode()  # nothing links into the logged-in app


def test_example_figures_are_marked(client, plan):
    measure = EffectMeasure.objects.get(name__startswith="Läkarbesök")
    EffectMeasureValue.objects.create(measure=measure, year=2023, value=5, is_example=True)
    assert "Exempelsiffror, inte verkliga data" in page_text(client.get(reverse("public:measures")))
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("public:measures_csv")).content.decode())))
    example = [row for row in rows if row["effektmatt"] == measure.name and row["period"] == "2023"]
    assert example and example[0]["exempelsiffra"] == "ja"
    data = client.get(reverse("public:plan_json")).json()
    values = [
        v for s in data["strategies"] for m in s["effect_measures"] for series in m["series"] for v in series["values"]
    ]
    assert any(v["example"] for v in values)


def test_open_data_states_its_licence_and_when_it_was_generated(client, plan):
    with time_machine.travel(datetime.datetime(2026, 11, 30, 9, tzinfo=datetime.UTC), tick=False):
        data = json.loads(client.get(reverse("public:plan_json")).content)
        rows = list(csv.DictReader(io.StringIO(client.get(reverse("public:subactivities_csv")).content.decode())))
    assert data["licence"] == {"name": "CC0 1.0", "url": "https://creativecommons.org/publicdomain/zero/1.0/"}
    assert data["generated_at"].startswith("2026-11-30T")
    assert len(data["local_arenas"]) == Forum.objects.filter(kind="local").count()
    assert all("leader" not in a for s in data["strategies"] for a in s["activities"])
    assert len(rows) == SubActivity.objects.filter(activity__strategy__revision=plan).count()
    assert rows[0]["licens"].startswith("CC0 1.0") and rows[0]["genererad"].startswith("2026-11-30T")


def test_the_subactivities_csv_says_what_the_pages_say(client, people_at_work, region_activity):
    region_activity.responsible_organisations.add(Organisation.objects.get(slug="berg"))
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("public:subactivities_csv")).content.decode())))
    sub = SubActivity.objects.with_last_change().get(pk=people_at_work.pk)
    row = next(row for row in rows if row["delaktivitet_id"] == str(sub.pk))
    strategy = region_activity.strategy
    assert [row[column] for column in list(row)[:15]] == [
        str(strategy.number),
        strategy.name,
        str(region_activity.pk),
        region_activity.name,
        "2023",
        "2024",
        "Bergs kommun; Region Jämtland Härjedalen",
        str(sub.pk),
        sub.name,
        "Klar",
        "Rutinen är beslutad",
        sub.measure,
        sub.target,
        "Ja",
        sub.last_changed_at.date().isoformat(),
    ]
    assert [row["delaktivitet"] for row in rows] == list(
        SubActivity.objects.filter(activity__strategy__revision=region_activity.strategy.revision)
        .order_by("activity__strategy__number", "activity__number", "number")
        .values_list("name", flat=True)
    )


def test_only_locked_reports_are_listed_and_served(client, locked_followup, plan):
    open_followup = FollowUp.objects.create(revision=plan, year=2026, cut_off=datetime.date(2026, 12, 31))
    text = page_text(client.get(reverse("public:reports")))
    assert "Uppföljning 2025 (PDF)" in text and "Uppföljning 2026" not in text
    response = client.get(reverse("public:report_pdf", args=[locked_followup.pk]))
    assert response.content == bytes(FollowUp.objects.get(pk=locked_followup.pk).report_pdf)
    assert client.get(reverse("public:report_pdf", args=[open_followup.pk])).status_code == 404


def test_a_strategy_not_in_the_plan_in_force_is_not_found(client, plan):
    assert client.get(reverse("public:strategy", args=[99])).status_code == 404


def test_a_cached_page_changes_when_its_data_changes(client, people_at_work, leader, django_assert_num_queries):
    url = reverse("public:strategy", args=[people_at_work.activity.strategy.number])
    client.get(url)
    with django_assert_num_queries(1):  # only the data version
        assert "Rutinen är beslutad" in page_text(client.get(url))
    sub = SubActivity.objects.get(pk=people_at_work.pk)
    subactivity_update_status(
        subactivity=sub,
        user=leader,
        status="pagar",
        text="Omtag efter remiss",
        answer="ja",
        comment="",
        expected_version=sub.version,
    )
    assert "Omtag efter remiss" in page_text(client.get(url))


def test_english_is_a_link_away(client, plan):
    response = client.get(reverse("public:language", args=["en"]), {"next": reverse("public:measures")})
    assert response.status_code == 302 and response.url == reverse("public:measures")
    assert "Effect measures" in page_text(client.get(reverse("public:measures")))
    response = client.get(reverse("public:language", args=["sv"]), {"next": "https://example.com/"})
    assert response.url == reverse("public:overview")


def test_the_login_page_links_to_the_public_pages(client, published):
    assert reverse("public:overview") in client.get(reverse("login")).content.decode()
    published.PUBLIC_PAGES = False
    assert reverse("public:overview") not in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize(
    "name, args, queries",
    [
        # data version, revision, principles, strategies, status counts, answer counts, progress
        ("public:overview", [], 7),
        # data version, revision, strategy, quotes, activities, their organisations, sub-activities, measures,
        # their forums, their values, organisations, local activities
        ("public:strategy", [1], 12),
        # data version, revision, measures, forums, values, organisations
        ("public:measures", [], 6),
        # data version, revision, arenas, local activities, adoptions, own activities
        ("public:local_arenas", [], 6),
        # data version, revision, strategies, quotes, measures, forums, values, activities, organisations,
        # sub-activities, local activities, arenas, local activities, adoptions
        ("public:plan_json", [], 14),
        ("public:subactivities_csv", [], 4),
        ("public:measures_csv", [], 4),
    ],
)
def test_the_queries_do_not_grow_with_the_plan(client, plan, django_assert_num_queries, name, args, queries):
    url = reverse(name, args=args)
    with django_assert_num_queries(queries):
        client.get(url)
    generate_demo_data(20)
    cache.clear()
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200

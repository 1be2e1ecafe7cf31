"""Fetching effect-measure values (followup/fetching.py) from a replay of each source's documented answers."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.management import CommandError, call_command

from followup.fetching import fetch_measure_values
from followup.models import EffectMeasureValue, FollowUp
from plan.models import Organisation
from strategies.models import EffectMeasure
from tests.sources.replay_server import ReplayServer

TODAY = datetime.date(2025, 6, 1)


@pytest.fixture
def sources(settings):
    with ReplayServer("kolada_n15428_fetch", "pxweb_hlv1allmxreg_fetch") as server:
        settings.KOLADA_BASE_URL = f"{server.url}/v3"
        settings.FOLKHALSODATA_BASE_URL = f"{server.url}/Folkhalsodata/api/v1/sv"
        settings.SOURCE_TIMEOUT = 1
        yield server


@pytest.fixture
def school(plan):
    return EffectMeasure.objects.get(strategy__revision=plan, fetch_source="kolada")


@pytest.fixture
def health(plan):
    return EffectMeasure.objects.get(strategy__revision=plan, fetch_source="folkhalsodata")


def value_of(measure, slug, year):
    organisation = Organisation.objects.get(slug=slug) if slug else None
    return EffectMeasureValue.objects.get(measure=measure, organisation=organisation, year=year)


def test_kolada_values_are_stored_per_municipality_with_their_provenance(sources, school, plan_admin):
    report = fetch_measure_values(school, today=TODAY, user=plan_admin)
    assert not report.error
    assert len(report.added) == 8 * 3 - 1 + 3  # Ragunda 2025 is missing; the county's own three years
    ostersund = value_of(school, "ostersund", 2024)
    assert ostersund.value == Decimal("89.9")  # the replacement on page 2, not the deleted row of page 1
    assert (ostersund.origin, ostersund.source, ostersund.source_reference) == ("kolada", "Källa: Kolada", "N15428")
    assert ostersund.fetched_at is not None and ostersund.history.get().history_user == plan_admin
    assert value_of(school, None, 2025).value == Decimal("89.8")  # 0023: the county as a whole
    again = fetch_measure_values(school, today=TODAY)
    assert (again.added, again.updated, again.unchanged) == ([], [], len(report.added))


def test_a_value_entered_by_hand_or_in_a_locked_period_is_never_replaced(sources, school, plan_admin):
    ostersund = Organisation.objects.get(slug="ostersund")
    EffectMeasureValue.objects.create(measure=school, organisation=ostersund, year=2025, value=50)
    FollowUp.objects.create(
        revision=school.strategy.revision,
        year=2023,
        cut_off=datetime.date(2023, 12, 31),
        state="locked",
        content={"strategies": []},
        report_pdf=b"%PDF-1.7 stored",
    )
    report = fetch_measure_values(school, today=TODAY)
    assert [label for label, _current, _fetched in report.conflicts] == ["Östersunds kommun 2025"]
    assert value_of(school, "ostersund", 2025).value == 50
    assert len(report.locked) == 8 + 1  # every 2023 value
    assert not EffectMeasureValue.objects.filter(measure=school, year=2023).exists()


@pytest.mark.parametrize(
    "fault",
    [{"status": 500}, {"status": 500, "match": "page=2"}, {"body": "<html>"}, {"delay": 3}],
    ids=["server error", "second page fails", "not json", "too slow"],
)
def test_a_failing_source_stores_nothing_and_the_next_run_tries_again(sources, school, fault):
    sources.fail(**fault)
    report = fetch_measure_values(school, today=TODAY)
    assert report.error
    assert not EffectMeasureValue.objects.filter(measure=school).exists()
    sources.faults.clear()
    assert len(fetch_measure_values(school, today=TODAY).added) == 26


def test_folkhalsodata_periods_are_stored_for_the_county_and_compared_without_overlap(sources, health, reviewer_client):
    report = fetch_measure_values(health, today=TODAY)
    assert not report.error and len(report.added) == 4
    latest = value_of(health, None, 2024)
    assert (latest.value, latest.source_period, latest.source) == (
        Decimal("71.2"),
        "2021-2024",
        "Källa: Folkhälsomyndigheten, Folkhälsodata",
    )
    page = " ".join(reviewer_client.get("/effektmatt/").content.decode().split())
    assert "jämförs den senaste perioden med den senaste som inte överlappar" in page
    assert "Källa: Folkhälsomyndigheten, Folkhälsodata" in page


def test_the_page_gives_each_municipalitys_verdict_and_the_countys_summary(sources, school, reviewer_client):
    fetch_measure_values(school, today=TODAY)
    page = " ".join(reviewer_client.get("/effektmatt/").content.decode().split())
    assert "6 av 8 organisationer nådde målet" in page
    assert 'Östersunds kommun</th> <td class="text-end">88,1 % (2025)</td> <td>✗' in page
    assert "Källa: Kolada" in page


@time_machine.travel(datetime.datetime(2025, 6, 1, 12, tzinfo=datetime.UTC), tick=False)
def test_the_command_and_the_button(sources, plan, client, plan_admin, reviewer):
    out = io.StringIO()
    call_command("fetch_measure_values", stdout=out)
    assert "26 added" in out.getvalue() and "4 added" in out.getvalue()
    client.force_login(reviewer)
    assert client.post("/effektmatt/hamta/").status_code == 403
    client.force_login(plan_admin)
    response = client.post("/effektmatt/hamta/")
    assert response.status_code == 200 and "0 tillagda" in response.content.decode()
    sources.fail(status=500)
    with pytest.raises(CommandError, match="2 of 2 measures could not be fetched"):
        call_command("fetch_measure_values", stdout=io.StringIO(), stderr=io.StringIO())


def test_the_yearly_report_sums_the_municipalities_up(sources, school, plan_admin):
    from followup import services
    from followup.content import build_content

    fetch_measure_values(school, today=TODAY)
    followup = services.followup_open(
        revision=school.strategy.revision, year=2025, half=0, cut_off=datetime.date(2025, 12, 31), user=plan_admin
    )
    measures = [m for s in build_content(followup)["strategies"] for m in s["measures"]]
    school_content = next(m for m in measures if m["id"] == school.pk)
    assert school_content["organisation_summary"] == [{"breakdown": "", "met": 6, "judged": 8}]
    county = school_content["series"][0]
    assert (county["current"]["text"], county["previous"]["text"], county["met"]) == ("89,8 %", "90,2 %", False)

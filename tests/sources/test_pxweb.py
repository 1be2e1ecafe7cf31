"""The PX-Web client against a real HTTP server replaying recorded (made-up) answers of Folkhälsodata."""

import time
from decimal import Decimal

import pytest

from followup.sources import SourceError
from followup.sources.pxweb import CREDIT, HEALTH_TABLE, PxValue, county_code, fetch_metadata, fetch_table, period_years
from tests.sources.replay_server import ReplayServer

BASE = "/Folkhalsodata/api/v1/sv"
SELECTIONS = {
    "Region": ["23", "00"],
    "Hälsotillstånd": ["01"],
    "Andel och konfidensintervall": ["01"],
    "Kön": ["00"],
    "År": ["2015-2018", "2017-2020", "2019-2022"],
}


@pytest.fixture
def server():
    with ReplayServer("pxweb_hlv1allmxreg") as server:
        yield server


def fetch(server, selections=SELECTIONS, **kwargs):
    return fetch_table(server.url + BASE, HEALTH_TABLE, selections, **{"timeout": 5} | kwargs)


def test_metadata(server):
    table = fetch_metadata(server.url + BASE, HEALTH_TABLE, timeout=5)
    assert table.title.startswith("Självskattat allmänt hälsotillstånd")
    assert [v.code for v in table.variables] == [
        "Region",
        "Hälsotillstånd",
        "Andel och konfidensintervall",
        "Kön",
        "År",
    ]
    region = table.variable("Region")
    assert dict(zip(region.values, region.value_texts, strict=True))["23"] == "Jämtlands län"
    periods = table.variable("År")
    assert periods.time and {"2015-2018", "2017-2020", "2019-2022"} <= set(periods.values)


def test_values_in_the_documented_query_and_answer(server):
    values = fetch(server)
    ((method, target, posted),) = server.requests
    assert (method, target) == ("POST", f"{BASE}/{HEALTH_TABLE}")
    assert posted["response"] == {"format": "json"}
    assert posted["query"][0] == {"code": "Region", "selection": {"filter": "item", "values": ["23", "00"]}}
    assert len(values) == 6
    key = {"Region": "23", "Hälsotillstånd": "01", "Andel och konfidensintervall": "01", "Kön": "00"}
    assert values[2] == PxValue(key | {"År": "2019-2022"}, Decimal("70.4"), "2019-2022")
    assert values[0] == PxValue(key | {"År": "2015-2018"}, None, "2015-2018", "..")  # no number
    assert {(v.key["Region"], v.period): v.value for v in values}["00", "2017-2020"] == Decimal("73.1")
    assert CREDIT == "Källa: Folkhälsomyndigheten, Folkhälsodata"


def test_period_years_and_county_code():
    assert period_years("2019-2022") == (2019, 2022)
    assert period_years("2024") == (2024, 2024)
    for wrong in ("2022-2019", "2019–2022", "år 2019"):
        with pytest.raises(ValueError):
            period_years(wrong)
    assert county_code("0023") == county_code("23") == county_code(23) == "23"
    assert county_code("0000") == "00"
    with pytest.raises(ValueError):
        county_code("2380")


def test_unknown_table_is_404(server):
    with pytest.raises(SourceError, match=r"Folkhälsodata: HTTP 404 from .*finnsinte.px"):
        fetch_metadata(server.url + BASE, "A_Folkhalsodata/B_HLV/finnsinte.px", timeout=5)


def test_unknown_region_is_400(server):
    with pytest.raises(SourceError, match="Folkhälsodata: HTTP 400 .*Parameter error"):
        fetch(server, SELECTIONS | {"Region": ["99"]})


def test_server_down():
    server = ReplayServer("pxweb_hlv1allmxreg")
    with server:
        pass
    with pytest.raises(SourceError, match="Folkhälsodata: no connection to http://127.0.0.1"):
        fetch(server)


def test_slow_answer_times_out(server):
    server.fail(delay=2)
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"Folkhälsodata: no answer within 0.5 s"):
        fetch(server, timeout=0.5)
    assert time.monotonic() - started < 1.5


def test_server_error(server):
    server.fail(status=500)
    with pytest.raises(SourceError, match="Folkhälsodata: HTTP 500"):
        fetch_metadata(server.url + BASE, HEALTH_TABLE, timeout=5)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"columns": [{"code": "Region", "type": "d"}], "data": [{"key": ["23"', "is not JSON"),
        ('{"columns": [{"code": "År", "type": "t"}], "data": []}', "one time column and a content column"),
        (
            '{"columns": [{"code": "År", "type": "t"}, {"code": "c", "type": "c"}], '
            '"data": [{"key": ["2019-2022", "x"], "values": ["1"]}]}',
            "unexpected answer",
        ),
        (
            '{"columns": [{"code": "År", "type": "t"}, {"code": "c", "type": "c"}], "data": [{"key": ["2019-2022"], '
            '"values": [70.4]}]}',
            "unexpected answer",
        ),
        ('{"title": "x"}', "unexpected answer"),
    ],
)
def test_malformed_answer(server, body, message):
    server.fail(body=body)
    with pytest.raises(SourceError, match=f"Folkhälsodata: .*{message}"):
        fetch(server)


def test_malformed_metadata(server):
    server.fail(body='{"title": "x", "variables": [{"code": "Region", "text": "region", "values": ["23"]}]}')
    with pytest.raises(SourceError, match="Folkhälsodata: unexpected metadata"):
        fetch_metadata(server.url + BASE, HEALTH_TABLE, timeout=5)


def test_empty_selection_is_refused():
    with pytest.raises(ValueError):
        fetch_table("http://127.0.0.1:9", HEALTH_TABLE, {"Region": []})

"""The Kolada client against a real HTTP server replaying recorded (made-up) answers of Kolada API v3."""

import time
from decimal import Decimal

import pytest

from followup.sources import SourceError
from followup.sources.kolada import CREDIT, KoladaValue, fetch_kpi_values
from tests.sources.replay_server import ReplayServer

JAMTLAND = ["2303", "2305", "2309", "2313", "2321", "2326", "2361", "2380", "0023"]
YEARS = [2023, 2024, 2025]
PAGE_2 = "page=2"


@pytest.fixture
def server():
    with ReplayServer("kolada_n15428_jamtland", "kolada_n15428_30_ids", "kolada_unknown_and_empty") as server:
        yield server


def fetch(server, **kwargs):
    kwargs = {"gender": "T", "per_page": 15, "timeout": 5} | kwargs
    return fetch_kpi_values(f"{server.url}/v3", "N15428", JAMTLAND, YEARS, **kwargs)


def test_reads_both_pages_skips_the_deleted_row_and_keeps_the_total():
    with ReplayServer("kolada_n15428_jamtland") as server:
        values = fetch(server)
    assert [target for _, target, _ in server.requests] == [
        f"/v3/data/kpi/N15428/municipality/{','.join(JAMTLAND)}/year/2023,2024,2025?per_page=15",
        f"/v3/data/kpi/N15428/municipality/{','.join(JAMTLAND)}/year/2023,2024,2025?page=2&per_page=15",
    ]
    assert len(values) == 27  # 9 × 3; the deleted row is not among them
    assert {(v.municipality, v.year) for v in values} == {(m, y) for m in JAMTLAND for y in YEARS}
    assert {v.gender for v in values} == {"T"}
    by_key = {(v.municipality, v.year): v for v in values}
    assert by_key["2380", 2024] == KoladaValue("N15428", "2380", 2024, Decimal("89.9"), "", "T")  # not 99.9
    assert by_key["0023", 2023].value == Decimal("79.7")
    assert by_key["2303", 2025] == KoladaValue("N15428", "2303", 2025, None, "Missing", "T")
    assert CREDIT == "Källa: Kolada"


def test_women_and_men_on_request(server):
    women = {(v.municipality, v.year): v.value for v in fetch(server, gender="K")}
    men = {(v.municipality, v.year): v.value for v in fetch(server, gender="M")}
    assert women["2380", 2024] == Decimal("92.6")
    assert men["2380", 2024] == Decimal("87.2")


def test_more_than_25_ids_are_asked_in_several_calls(server):
    ids = [*JAMTLAND, "2260", "2262", "2280", "2281", "2282", "2283", "2284", "0022"]
    ids += ["2401", "2403", "2404", "2409", "2417", "2418", "2421", "2422", "2425", "2460", "2462", "2463", "2480"]
    values = fetch_kpi_values(f"{server.url}/v3", "N15428", ids, [2024], timeout=5)
    asked = [target.split("/municipality/")[1].split("/")[0].split(",") for _, target, _ in server.requests]
    assert [len(part) for part in asked] == [25, 5]
    assert sum(asked, []) == ids
    assert sorted(v.municipality for v in values) == sorted(ids)
    assert not server.unmatched


def test_empty_answer_is_an_empty_list(server):
    assert fetch_kpi_values(f"{server.url}/v3", "N15428", ["2380"], [2010], timeout=5) == []


def test_unknown_kpi_is_a_source_error_naming_it(server):
    with pytest.raises(SourceError, match=r"Kolada N99999: HTTP 404 .*not found"):
        fetch_kpi_values(f"{server.url}/v3", "N99999", ["2380"], [2024], timeout=5)


def test_server_down():
    server = ReplayServer("kolada_n15428_jamtland")
    with server:
        pass
    with pytest.raises(SourceError, match="Kolada N15428: no connection to http://127.0.0.1"):
        fetch(server)


def test_slow_answer_times_out(server):
    server.fail(delay=2)
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"Kolada N15428: no answer within 0.5 s"):
        fetch(server, timeout=0.5)
    assert time.monotonic() - started < 1.5


def test_server_error(server):
    server.fail(status=500)
    with pytest.raises(SourceError, match="Kolada N15428: HTTP 500"):
        fetch(server)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"count": 15, "values": [{"kpi": "N15428", ', "is not JSON"),
        ("<html><body>Kolada är nere för underhåll</body></html>", "is not JSON"),
        ('{"count": 1, "values": {"kpi": "N15428"}}', "unexpected answer, no list of values"),
        ('{"count": 1, "values": [{"kpi": "N15428", "municipality": "2380"}]}', "unexpected answer"),
        (
            '{"values": [{"kpi": "N15428", "municipality": "2380", "period": 2024, "values": [{"gender": "T", '
            '"value": "hög"}]}]}',
            "unexpected answer",
        ),
        ('{"values": [], "next_url": 2}', "unexpected next_url"),
        ('{"values": [], "next_url": "{base}/loop"}', "the pages loop back"),
    ],
)
def test_malformed_answer(server, body, message):
    server.fail(body=body)
    with pytest.raises(SourceError, match=f"Kolada N15428: .*{message}"):
        fetch(server)


@pytest.mark.parametrize("fault", [{"status": 500}, {"body": '{"count": 13, "values": ['}, {"delay": 2}])
def test_a_failing_second_page_fails_the_whole_fetch(server, fault):
    server.fail(match=PAGE_2, **fault)
    with pytest.raises(SourceError, match="Kolada N15428: "):
        fetch(server, timeout=0.5)
    assert len(server.requests) == 2
    assert PAGE_2 in server.requests[1][1]


@pytest.mark.parametrize(
    ("kpi", "ids", "kwargs"),
    [
        ("N154", ["2380"], {}),
        ("N15428/../x", ["2380"], {}),
        ("N15428", ["23"], {}),
        ("N15428", ["2380"], {"gender": "X"}),
    ],
)
def test_arguments_kolada_could_not_understand(kpi, ids, kwargs):
    with pytest.raises(ValueError):
        fetch_kpi_values("http://127.0.0.1:9", kpi, ids, [2024], **kwargs)

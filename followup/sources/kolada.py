"""Kolada API v3 (RKA): one KPI's values for municipalities and regions, year by year.

`GET {base_url}/data/kpi/{kpi}/municipality/{ids}/year/{years}?per_page=N`, at most 25 ids and 25 years a
call (more are split over several calls), following each answer's `next_url` until it is absent or null.
An answer is `{"count", "values": [{"kpi", "municipality", "period", "values": [{"gender", "count", "status",
"value"}]}], "next_url"}`; a row (or value) with `isdeleted` true is skipped.

Unknown KPI or municipality: Kolada's answer is not documented. An HTTP error (404, 400 …) is a SourceError
naming the KPI and the status; an empty `values` is an empty list, as for a known KPI without values for
those years, so the caller cannot tell the two apart and shows "no values" for both.
Any failure, also of a later page, fails the whole fetch: nothing is returned."""

import re
from dataclasses import dataclass
from decimal import Decimal
from itertools import product
from urllib.parse import urljoin

import requests

from followup.sources import SourceError, request_json

BASE_URL = "https://api.kolada.se/v3"
CREDIT = "Källa: Kolada"
MAX_IN_CALL = 25  # municipality ids, and years, in one call
MAX_PER_PAGE = 5000
GENDERS = ("T", "K", "M")  # total, women (kvinnor), men
KPI_ID = re.compile(r"[A-Z]\d{5}")  # N15428
MUNICIPALITY_ID = re.compile(r"\d{4}")  # SCB code: 2380 Östersund; a region is 00 + county: 0023


@dataclass(frozen=True)
class KoladaValue:
    kpi: str
    municipality: str
    year: int
    value: Decimal | None  # None: Kolada has no value (its status may say why)
    status: str  # Kolada's flag as given, "" when none (e.g. "Missing")
    gender: str


def fetch_kpi_values(
    base_url, kpi, municipality_ids, years, *, gender="T", per_page=MAX_PER_PAGE, timeout=10, session=None
) -> list[KoladaValue]:
    """The values of `kpi` for the municipalities (SCB codes as strings) and years, for one gender.

    Raises SourceError when Kolada fails, ValueError for arguments Kolada could not understand."""
    ids = list(dict.fromkeys(str(id_) for id_ in municipality_ids))
    years = sorted({int(year) for year in years})
    if not KPI_ID.fullmatch(kpi):
        raise ValueError(f"Not a Kolada KPI id: {kpi!r}")
    if bad := [id_ for id_ in ids if not MUNICIPALITY_ID.fullmatch(id_)]:
        raise ValueError(f"Not municipality ids (four digits): {bad}")
    if gender not in GENDERS or not 1 <= per_page <= MAX_PER_PAGE:
        raise ValueError(f"gender must be one of {GENDERS}, per_page 1–{MAX_PER_PAGE}")
    own_session = session is None
    session = session or requests.Session()
    try:
        values = []
        for id_part, year_part in product(_parts(ids), _parts(years)):
            url = f"{base_url.rstrip('/')}/data/kpi/{kpi}/municipality/{','.join(id_part)}/year/"
            values += _read_pages(session, url + ",".join(map(str, year_part)), kpi, gender, per_page, timeout)
        return values
    finally:
        if own_session:
            session.close()


def _parts(items):
    return [items[start : start + MAX_IN_CALL] for start in range(0, len(items), MAX_IN_CALL)]


def _read_pages(session, url, kpi, gender, per_page, timeout):
    values, seen, params = [], set(), {"per_page": per_page}
    while url:
        if url in seen:
            raise SourceError(f"Kolada {kpi}: the pages loop back to {url}")
        seen.add(url)
        answer = request_json(session, "GET", url, source=f"Kolada {kpi}", timeout=timeout, params=params)
        values += _parse(answer, kpi, gender)
        next_url = answer.get("next_url")
        if next_url is not None and not isinstance(next_url, str):
            raise SourceError(f"Kolada {kpi}: unexpected next_url {next_url!r}")
        url, params = (urljoin(url, next_url) if next_url else None), None  # next_url carries its own query
    return values


def _parse(answer, kpi, gender):
    rows = answer.get("values") if isinstance(answer, dict) else None
    if not isinstance(rows, list):
        raise SourceError(f"Kolada {kpi}: unexpected answer, no list of values")
    values = []
    try:
        for row in rows:
            if row.get("isdeleted"):
                continue
            for point in row["values"]:
                if point["gender"] == gender and not point.get("isdeleted"):
                    values.append(
                        KoladaValue(
                            kpi=str(row["kpi"]),
                            municipality=str(row["municipality"]),
                            year=int(row["period"]),
                            value=_decimal(point.get("value")),
                            status=str(point.get("status") or ""),
                            gender=gender,
                        )
                    )
    except (AttributeError, KeyError, TypeError, ValueError, ArithmeticError) as exc:
        raise SourceError(f"Kolada {kpi}: unexpected answer ({exc!r})") from exc
    return values


def _decimal(value):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise TypeError(f"value {value!r} is not a number")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"value {value!r} is not a number")
    return number

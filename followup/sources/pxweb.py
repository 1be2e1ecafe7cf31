"""Folkhälsodata (Folkhälsomyndigheten), PX-Web API v1: a table's metadata by GET of its URL, its values by
POST of a JSON query to the same URL, answered in PX-Web's "json" format.

The self-rated health table `HEALTH_TABLE` has the variables "Region" ("00" Riket, "23" Jämtlands län …),
"Hälsotillstånd", "Andel och konfidensintervall" ("01" share, "02"/"03" interval bounds, "04" answers),
"Kön" ("00" Totalt, "01" Kvinnor, "02" Män) and "År", overlapping four-year periods ("2019-2022"). Take
the codes from `fetch_metadata`, never assume them. The answer has `columns` of type "d" (dimension), "t"
(time) and "c" (content); each row of `data` has the codes of the d and t columns as `key` and one string
a c column in `values`. ".." and other markers ("-", ".", "...") are no number: value None, the marker in
`status`. An unknown table answers 404, an unknown code 400: both a SourceError with the status."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import requests

from followup.sources import SourceError, request_json

BASE_URL = "https://fohm-app.folkhalsomyndigheten.se/Folkhalsodata/api/v1/sv"
HEALTH_TABLE = "A_Folkhalsodata/B_HLV/bFyshals/bbaFyshalsallman/hlv1allmxreg.px"
CREDIT = "Källa: Folkhälsomyndigheten, Folkhälsodata"
PERIOD = re.compile(r"(\d{4})(?:-(\d{4}))?")


@dataclass(frozen=True)
class PxVariable:
    code: str
    text: str
    values: tuple[str, ...]
    value_texts: tuple[str, ...]
    time: bool = False


@dataclass(frozen=True)
class PxTable:
    title: str
    variables: tuple[PxVariable, ...]

    def variable(self, code):
        return next(variable for variable in self.variables if variable.code == code)


@dataclass(frozen=True)
class PxValue:
    key: dict[str, str]  # variable code → value code, for every d and t column of the answer
    value: Decimal | None
    period: str  # the time column's value: "2019-2022"
    status: str = ""  # the source's marker when there is no number: "..", "-"


def fetch_metadata(base_url, table_path, *, timeout=10, session=None) -> PxTable:
    """The table's title and variables with their value codes and texts."""
    url = _url(base_url, table_path)
    answer = request_json(session or requests, "GET", url, source="Folkhälsodata", timeout=timeout)
    try:
        variables = tuple(
            PxVariable(v["code"], v["text"], tuple(v["values"]), tuple(v["valueTexts"]), bool(v.get("time")))
            for v in answer["variables"]
        )
        if any(len(v.values) != len(v.value_texts) for v in variables):
            raise ValueError("values and valueTexts differ in length")
        return PxTable(str(answer["title"]), variables)
    except (KeyError, TypeError, ValueError) as exc:
        raise SourceError(f"Folkhälsodata: unexpected metadata from {url} ({exc!r})") from exc


def fetch_table(base_url, table_path, query_selections, *, timeout=10, session=None) -> list[PxValue]:
    """The cells for `query_selections` ({variable code: [value codes]}, e.g. {"Region": ["23", "00"]})."""
    if not query_selections or not all(
        codes and all(isinstance(c, str) for c in codes) for codes in query_selections.values()
    ):
        raise ValueError("Select at least one value code (a string) for each variable")
    query = {
        "query": [
            {"code": code, "selection": {"filter": "item", "values": list(codes)}}
            for code, codes in query_selections.items()
        ],
        "response": {"format": "json"},
    }
    url = _url(base_url, table_path)
    answer = request_json(session or requests, "POST", url, source="Folkhälsodata", timeout=timeout, json=query)
    try:
        columns = answer["columns"]
        keys = [column["code"] for column in columns if column["type"] in ("d", "t")]
        times = [column["code"] for column in columns if column["type"] == "t"]
        contents = [column["code"] for column in columns if column["type"] == "c"]
        if len(times) != 1 or not contents:
            raise ValueError("expected one time column and a content column")
        values = []
        for row in answer["data"]:
            key = dict(zip(keys, row["key"], strict=True))
            if not all(isinstance(code, str) for code in key.values()):
                raise TypeError(f"key {row['key']!r}")
            for content, text in zip(contents, row["values"], strict=True):
                content_key = {"ContentsCode": content} if len(contents) > 1 else {}
                number, status = _number(text)
                values.append(PxValue(key | content_key, number, key[times[0]], status))
        return values
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SourceError(f"Folkhälsodata: unexpected answer from {url} ({exc!r})") from exc


def period_years(period) -> tuple[int, int]:
    """(2019, 2022) for "2019-2022"; (2024, 2024) for "2024"."""
    if not (match := PERIOD.fullmatch(str(period).strip())):
        raise ValueError(f"Not a period: {period!r}")
    first, last = int(match[1]), int(match[2] or match[1])
    if last < first:
        raise ValueError(f"Not a period: {period!r}")
    return first, last


def county_code(region) -> str:
    """Folkhälsodata's region code for a county: "23" for "23", 23 or Kolada's region id "0023"."""
    text = str(region).zfill(2)
    if not re.fullmatch(r"(00)?\d\d", text):
        raise ValueError(f"Not a county: {region!r}")
    return text[-2:]


def _url(base_url, table_path):
    return f"{base_url.rstrip('/')}/{table_path.lstrip('/')}"


def _number(text):
    if not isinstance(text, str):
        raise TypeError(f"value {text!r} is not a string")
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return None, text
    return (number, "") if number.is_finite() else (None, text)

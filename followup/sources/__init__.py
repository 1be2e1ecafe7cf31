"""Clients for the external statistics sources: Kolada (`kolada.py`) and Folkhälsodata's PX-Web (`pxweb.py`).

Each is a function over `requests` returning plain dataclasses; neither touches the database, so a caller
fetches everything first and stores only when the whole fetch succeeded. Every failure of a source (down,
slow, an HTTP error, an answer that is not JSON or not of the documented shape) is one `SourceError`."""

import json
from decimal import Decimal

import requests


class SourceError(Exception):
    """A source failed; the message names the source and what failed (for an HTTP error, its status)."""


def _no_constant(name):
    raise ValueError(f"{name} is not a number in JSON")


def request_json(session, method, url, *, source, timeout, **kwargs):
    """The JSON of the answer to one request, decimals as `Decimal`; `SourceError` for any failure."""
    try:
        response = session.request(method, url, timeout=timeout, headers={"Accept": "application/json"}, **kwargs)
    except requests.Timeout as exc:
        raise SourceError(f"{source}: no answer within {timeout} s from {url}") from exc
    except requests.ConnectionError as exc:  # refused, reset, or the body cut off
        raise SourceError(f"{source}: no connection to {url} ({type(exc).__name__})") from exc
    except requests.RequestException as exc:
        raise SourceError(f"{source}: the request to {url} failed ({exc})") from exc
    if response.status_code >= 400:
        detail = " ".join(response.content[:200].decode("utf-8", "replace").split())
        raise SourceError(f"{source}: HTTP {response.status_code} from {url}" + (f": {detail}" if detail else ""))
    try:  # PX-Web answers may start with a byte order mark
        return json.loads(response.content.decode("utf-8-sig"), parse_float=Decimal, parse_constant=_no_constant)
    except ValueError as exc:  # not UTF-8, not JSON
        raise SourceError(f"{source}: the answer from {url} is not JSON ({exc})") from exc

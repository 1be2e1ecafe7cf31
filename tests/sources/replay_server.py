"""A real HTTP server on loopback that replays recorded answers of the sources (tests/sources/recordings/*.json)
and can be told to fail as a source may: an HTTP error, a slow answer, a body that is not JSON.

A recording is `{"_comment", "exchanges": [{"method", "path", "query"?, "request_json"?, "status", "body" |
"text", "bom"?}]}`. A request matches an exchange by method, path, query (as a dict) and, when the exchange
has `request_json`, the posted JSON. "{base}" in an answer becomes the server's URL (Kolada's next_url)."""

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

RECORDINGS = Path(__file__).resolve().parent / "recordings"


@dataclass
class Fault:
    status: int | None = None  # answer this status instead of the recording
    delay: float = 0.0  # seconds before answering
    body: str | None = None  # answer this text instead of the recording (status 200 unless given)
    match: str | None = None  # only for requests whose path and query contain this; None: every request


class ReplayServer:
    """`with ReplayServer("kolada_n15428_jamtland") as server:` serves that recording at `server.url`.

    `requests` lists what was asked (method, path with query, posted JSON); a request without a recording
    gets 404 and is also kept in `unmatched`."""

    def __init__(self, *names):
        self.exchanges = [
            exchange
            for name in names
            for exchange in json.loads((RECORDINGS / f"{name}.json").read_text(encoding="utf-8"))["exchanges"]
        ]
        self.requests, self.unmatched, self.faults = [], [], []
        self.stopping = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.replay = self
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def stop(self):
        if not self.stopping.is_set():
            self.stopping.set()  # wakes a slow answer
            self.httpd.shutdown()
            self.httpd.server_close()
            self.thread.join()

    def fail(self, *, status=None, delay=0.0, body=None, match=None):
        self.faults.append(Fault(status, delay, body, match))

    def answer(self, method, target, posted):
        """(status, content type, body) for a request."""
        self.requests.append((method, target, posted))
        fault = next((f for f in self.faults if f.match is None or f.match in target), None)
        if fault and fault.delay:
            self.stopping.wait(fault.delay)
        if fault and (fault.status or fault.body is not None):
            body = fault.body if fault.body is not None else json.dumps({"error": "made-up test failure"})
            return fault.status or 200, "application/json; charset=utf-8", body.replace("{base}", self.url)
        parts = urlsplit(target)
        for exchange in self.exchanges:
            if (
                exchange["method"] == method
                and exchange["path"] == unquote(parts.path)
                and exchange.get("query", {}) == dict(parse_qsl(parts.query))
                and exchange.get("request_json", posted) == posted
            ):
                text = exchange["text"] if "text" in exchange else json.dumps(exchange["body"], ensure_ascii=False)
                body = ("\ufeff" if exchange.get("bom") else "") + text.replace("{base}", self.url)
                return exchange["status"], exchange.get("content_type", "application/json; charset=utf-8"), body
        self.unmatched.append((method, target, posted))
        return 404, "application/json; charset=utf-8", json.dumps({"error": f"no recording for {method} {target}"})


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self._reply(None)

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            posted = json.loads(raw) if raw else None
        except ValueError:
            posted = raw.decode("utf-8", "replace")
        self._reply(posted)

    def _reply(self, posted):
        status, content_type, body = self.server.replay.answer(self.command, self.path, posted)
        data = body.encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:  # the client gave up (a timeout test)
            self.close_connection = True

    def log_message(self, format, *args):
        pass

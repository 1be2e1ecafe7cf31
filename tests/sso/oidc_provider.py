"""A real OpenID Connect provider on loopback for the tests (oidc-provider-mock, Authlib on Flask), behind a
proxy that can make it misbehave as a faulty or hostile provider would: a changed nonce, state or audience,
keys that do not match the signature, a slow answer."""

import base64
import http.client
import json
import threading
import time
from contextlib import ExitStack
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
from joserfc.jwk import RSAKey
from oidc_provider_mock import run_server_in_thread

CLIENT_ID, CLIENT_SECRET = "planuppfoljning", "test-only-secret"


class Faults:
    def __init__(self):
        self.nonce = None  # the nonce the provider is asked to put in the ID token
        self.state = None  # the state sent back to the application
        self.audience = None  # the client the provider issues the token to
        self.wrong_keys = False  # published keys that do not match the signature
        self.delay = 0  # seconds before each answer


def _replace_query(url, **values):
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update({k: v for k, v in values.items() if k in query})
    return urlunsplit(parts._replace(query=urlencode(query)))


class Provider:
    """`url` is where the application finds the provider (its discovery document at
    `{url}/.well-known/openid-configuration`)."""

    def __init__(self, **options):
        self.options = options
        self.faults = Faults()
        self._stack = ExitStack()

    def __enter__(self):
        mock = self._stack.enter_context(run_server_in_thread(**self.options))
        self.mock_port = mock.server_port
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self._forward()

            def do_POST(self):
                self._forward()

            def log_message(self, *args):
                pass

            def _forward(self):
                faults = provider.faults
                time.sleep(faults.delay)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                path, headers = self.path, dict(self.headers.items())
                if path.startswith("/oauth2/authorize"):
                    if faults.nonce:
                        path = _replace_query(path, nonce=faults.nonce)
                    if faults.audience:
                        path = _replace_query(path, client_id=faults.audience)
                if path.startswith("/oauth2/token") and faults.audience:
                    credentials = base64.b64encode(f"{faults.audience}:{CLIENT_SECRET}".encode()).decode()
                    headers["Authorization"] = f"Basic {credentials}"
                    form = dict(parse_qsl(body.decode()))
                    form.pop("client_id", None)
                    body = urlencode(form).encode()
                    headers["Content-Length"] = str(len(body))
                connection = http.client.HTTPConnection("localhost", provider.mock_port, timeout=30)
                connection.request(self.command, path, body=body or None, headers=headers)
                response = connection.getresponse()
                content = response.read()
                out_headers = [
                    (k, v) for k, v in response.getheaders() if k.lower() not in ("content-length", "connection")
                ]
                if path.startswith("/jwks") and faults.wrong_keys:
                    content = provider._other_keys(content)
                if faults.state:
                    out_headers = [
                        (k, _replace_query(v, state=faults.state) if k.lower() == "location" else v)
                        for k, v in out_headers
                    ]
                self.send_response(response.status)
                for name, value in out_headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

        self.proxy = ThreadingHTTPServer(("localhost", 0), Handler)
        self.proxy.daemon_threads = True
        self._thread = threading.Thread(target=self.proxy.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://localhost:{self.proxy.server_address[1]}"
        return self

    def _other_keys(self, content):
        keys = json.loads(content)
        for key in keys["keys"]:
            other = RSAKey.generate_key(2048).as_dict(private=False)
            key["n"], key["e"] = other["n"], other["e"]
        return json.dumps(keys).encode()

    def stop_answering(self):
        """The provider goes down: nothing listens at its address any more."""
        if self.proxy is not None:
            self.proxy.shutdown()
            self.proxy.server_close()
            self.proxy = None

    def __exit__(self, *exc):
        self.stop_answering()
        self._stack.close()

    def set_user(self, sub, **claims):
        response = requests.put(f"http://localhost:{self.mock_port}/users/{sub}", json=claims, timeout=10)
        response.raise_for_status()

    def settings(self, provider_id="region", **overrides):
        """The application's OIDC_PROVIDERS entry for this provider."""
        return {
            "id": provider_id,
            "name": "Regionens inloggning",
            "discovery_url": f"{self.url}/.well-known/openid-configuration",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "scopes": "openid profile email",
            "organisation_claim": "hsa_org",
            "role_claim": "",
            "role_map": {},
            "logout": True,
            **overrides,
        }

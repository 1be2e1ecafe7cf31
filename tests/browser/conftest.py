import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import weakref
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-results"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}
# The W3C Nu HTML checker, pinned and fetched into the git-ignored .cache/ by scripts/vnu.sh (run by scripts/test.sh).
VNU_JAR = Path(os.environ.get("VNU_JAR") or ROOT / ".cache" / "vnu-26.9.27" / "vnu.jar")
VNU_STARTUP_TIMEOUT = 90  # seconds; it starts in about 3 s
WARM_UP = '<!DOCTYPE html><html lang="sv"><title>Uppvärmning</title><main><h1>Uppvärmning</h1><p>Hej</main>'
# Errors in markup the project does not write, and why each stays: (message, extract), regular expressions.
NOT_OURS = [
    # Django admin's inlines.js sets autocomplete="off" on an inline formset's hidden form counts, so that Firefox
    # does not restore them on going back to the page (and break the formset); HTML allows no on or off there.
    (r"“hidden” must not have an “autocomplete” attribute", r'name="[\w-]+-(TOTAL|MIN_NUM|MAX_NUM)_FORMS"'),
]
_vnu = {}  # "url": the running checker's address, set by the vnu fixture for the whole session
# The HTML the server sent for each page's current document, by URL: see remember_served_html.
_served = weakref.WeakKeyDictionary()
_recording = weakref.WeakSet()
# What the browser refused under the Content-Security-Policy, by page: see remember_served_html.
_csp_refusals = weakref.WeakKeyDictionary()


def assert_accessible(page):
    """Axe finds no WCAG 2.1 AA or best-practice violation, and the W3C Nu HTML checker no error; and the browser
    has refused nothing on the page under the Content-Security-Policy (no inline script or style slipped in)."""
    __tracebackhide__ = True
    assert not _csp_refusals.get(page), "\n".join(_csp_refusals[page])
    results = Axe().run(page, options=AXE_OPTIONS)
    # Axe itself, a script injected by the test, sets inline styles while it measures (on the add-user page of
    # the admin, for one): the page's own refusals are those seen before it ran.
    _csp_refusals.pop(page, None)
    assert results.violations_count == 0, results.generate_report()
    assert_valid_html(page)


def assert_valid_html(page):
    """The Nu HTML checker finds no error, neither in the HTML the server sent nor in the page's DOM now.

    The served HTML shows what the templates wrote, with line numbers of the response: the browser's parser
    silently repairs stray or missing end tags, misnested elements and repeated attributes, so they no longer
    show in the DOM. The DOM, serialised by page.content(), shows what scripts added or changed since (error
    messages, rows, dialogs). Axe adds no element to the DOM (it is evaluated as a script), nor does Playwright,
    so the DOM is the page's own. Pages of a browser context the tests made themselves without logging in have
    no recorded response, nor has a page restored from the back-forward cache: only their DOM is checked.
    """
    __tracebackhide__ = True
    url = urldefrag(page.url).url
    response = _served.get(page, {}).get(url)
    documents = [("the DOM (page.content())", page.content())]
    if response is not None:
        try:
            documents.insert(0, (f"the HTML served for {response.request.method} {url}", response.text()))
        except PlaywrightError:  # the browser no longer keeps the body (a page restored from its back-forward cache)
            pass
    reports, seen = [], set()
    for what, html in documents:
        errors = [(message, line) for message, line in vnu_errors(html) if message not in seen]
        seen.update(message for message, _ in errors)
        if errors:
            reports.append(f"{what}:\n" + "\n".join(line for _, line in errors))
    assert not reports, f"The Nu HTML checker finds errors on {page.url} in " + "\nand in ".join(reports)


def vnu_errors(html):
    """The checker's errors in an HTML document: (message, a readable line with line number and extract)."""
    if "url" not in _vnu:
        pytest.fail("the Nu HTML checker is not running: assert_accessible needs the vnu fixture (tests/browser)")
    request = urllib.request.Request(
        f"{_vnu['url']}/?out=json",
        data=html.encode(),
        headers={"Content-Type": "text/html; charset=utf-8"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        messages = json.load(response)["messages"]
    return [
        (
            message["message"],
            f"  {message['type']} on line {message.get('lastLine', '?')}: {message['message']}\n"
            f"      {message.get('extract', '').strip()!r}",
        )
        for message in messages
        if message["type"] in ("error", "non-document-error")
        and not any(
            re.search(text, message["message"]) and re.search(extract, message.get("extract", ""))
            for text, extract in NOT_OURS
        )
    ]


def remember_served_html(context):
    """Records, per page, the last HTML response that became a document, so that its source can be checked, and
    what the browser refused under the Content-Security-Policy (it says so on the console)."""
    if context in _recording:
        return
    _recording.add(context)

    def on_response(response):
        request = response.request
        if (
            request.is_navigation_request()
            and request.resource_type == "document"
            and response.frame.parent_frame is None
            and not 300 <= response.status < 400
            and response.headers.get("content-type", "").startswith("text/html")
        ):
            _served.setdefault(response.frame.page, {})[urldefrag(response.url).url] = response

    def on_console(message):
        if "Content Security Policy" in message.text and message.page is not None:
            _csp_refusals.setdefault(message.page, []).append(f"{message.page.url}: {message.text}")

    context.on("response", on_response)
    context.on("console", on_console)


@pytest.fixture(scope="session", autouse=True)
def vnu():
    """The Nu HTML checker as an HTTP service on loopback, started once for all the browser tests."""
    java = shutil.which("java")
    if java is None:
        pytest.fail(
            "the browser tests check HTML with the Nu HTML checker, which needs Java 17+: install Debian's "
            "default-jre-headless (scripts/test.sh does)"
        )
    if not VNU_JAR.is_file():
        pytest.fail(
            f"the browser tests check HTML with the Nu HTML checker, but there is no {VNU_JAR}: run "
            "`bash scripts/vnu.sh` to fetch it (scripts/test.sh does), or point VNU_JAR at a vnu.jar"
        )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    log = tempfile.TemporaryFile()
    command = [java, "-Dnu.validator.servlet.bind-address=127.0.0.1", "-cp", str(VNU_JAR)]
    process = subprocess.Popen([*command, "nu.validator.servlet.Main", str(port)], stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + VNU_STARTUP_TIMEOUT
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                output = log.read().decode(errors="replace")[-3000:]
                pytest.fail(f"the Nu HTML checker ({VNU_JAR}) did not start at {url}:\n{output}")
            time.sleep(0.1)
        _vnu["url"] = url
        vnu_errors(WARM_UP)  # the checker's first check takes a second, the next ones a tenth
        yield url
    finally:
        _vnu.clear()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def screenshot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def log_in(page, live_server, user, next_url="/"):
    remember_served_html(page.context)
    page.goto(f"{live_server.url}{next_url}")
    page.get_by_label("Användarnamn").fill(user.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.wait_for_load_state()


@pytest.fixture
def context(context):
    remember_served_html(context)
    return context


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "sv-SE", "viewport": {"width": 1280, "height": 900}}

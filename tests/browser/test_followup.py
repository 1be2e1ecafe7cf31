"""The plan administrator produces the 2025 follow-up report in Chromium, from opening it to the PDF."""

import subprocess

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, assert_accessible, log_in, screenshot
from tests.browser.test_status_update import field

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_administrator_opens_fills_locks_and_downloads_the_2025_follow_up(
    page, live_server, plan, plan_admin, tmp_path
):
    log_in(page, live_server, plan_admin, next_url="/uppfoljningar/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Uppföljningar")
    field(page, "År").fill("2025")
    field(page, "Brytdatum").fill("2025-12-31")
    page.get_by_role("button", name="Öppna").click()
    expect(page.get_by_role("status")).to_contain_text("Uppföljning 2025 är öppnad.")
    assert_accessible(page)

    page.get_by_role("link", name="Mata in ett värde: Läkarbesök i hemmet (inkl. SÄBO)").click()
    field(page, "År").fill("2025")
    field(page, "Värde").fill("1960")
    field(page, "Källa").fill("Cosmic, utdrag januari 2026")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Sparat: Läkarbesök i hemmet (inkl. SÄBO), 2025.")

    page.goto(f"{live_server.url}/uppfoljningar/")
    page.get_by_role("link", name="Uppföljning 2025").click()
    field(page, "Övergripande sammanfattning").fill("Ett år då de fasta kontakterna kom på plats.")
    page.get_by_role("group", name="Strategi 2: Ökad kontinuitet").get_by_label("Vad gick bra").fill(
        "Handlingsplanen följdes upp."
    )
    page.get_by_role("button", name="Spara texterna").click()
    expect(page.get_by_role("status")).to_contain_text("Texterna är sparade.")
    page.get_by_role("button", name="Godkänn och lås").click()
    expect(page.get_by_role("status")).to_contain_text("Godkänd och låst.")
    assert_accessible(page)
    screenshot(page, "followup-locked")

    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner rapporten (PDF)").evaluate("a => a.setAttribute('download', '')")
        page.get_by_role("link", name="Ladda ner rapporten (PDF)").click()
    pdf = tmp_path / "rapport.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Ett år då de fasta kontakterna kom på plats." in text
    assert "1 960 (2025)" in " ".join(text.split())  # a count: grouped thousands, no decimals
    # Page 5 (strategy 1) as a PNG to look at, and as grey pixels to check that something is printed on it.
    SCREENSHOTS.mkdir(exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "50",
            "-f",
            "5",
            "-l",
            "5",
            "-singlefile",
            str(pdf),
            str(SCREENSHOTS / "report-page-5"),
        ],
        check=True,
    )
    assert (SCREENSHOTS / "report-page-5.png").read_bytes()[:4] == b"\x89PNG"
    pgm = subprocess.run(
        ["pdftoppm", "-gray", "-r", "30", "-f", "5", "-l", "5", str(pdf)], capture_output=True, check=True
    ).stdout
    pixels = pgm.split(b"\n", 3)[3]
    inked = sum(1 for value in pixels if value < 250)
    assert inked > len(pixels) * 0.02, "page 5 of the report is blank"

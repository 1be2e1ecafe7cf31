"""The plan administrator runs the 2027 revision in Chromium: start it, change it, print the comparison for
the politicians, put it in force; the 2023 revision stays one click away."""

import datetime
import subprocess

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in, screenshot
from tests.browser.test_status_update import field
from tests.conftest import ACTIVITY

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_administrator_starts_changes_compares_and_activates_the_2027_revision(
    page, live_server, plan, plan_admin, tmp_path
):
    log_in(page, live_server, plan_admin, next_url="/revisioner/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Planversioner")
    field(page, "Beteckning").fill("2027")
    field(page, "Gäller från").fill((datetime.date.today() + datetime.timedelta(days=9)).isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Starta revideringen").click()
    expect(page.get_by_role("status")).to_contain_text("Utkastet till version 2027 är påbörjat")
    assert_accessible(page)

    page.get_by_role("link", name=f"Ändra: {ACTIVITY}").click()
    field(page, r"Prioritet till \(år\)").fill("2028")
    field(page, "Aktivitet").fill("Utveckla rutiner för fasta vårdkontakter")
    assert_accessible(page)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Sparat i utkastet: Utveckla rutiner för fasta vårdkontakter")

    page.get_by_role("link", name="Jämför med gällande plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jämförelse av planversionerna 2023 och 2027")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Utveckla rutiner för fasta vårdkontakter")
    expect(main.get_by_role("listitem").filter(has_text="Prioriteringsperiod")).to_contain_text(
        "2023–2024 → till 2023–2028"
    )
    assert_accessible(page)
    screenshot(page, "revision-compare")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Jämför")).to_be_hidden()
    page.emulate_media(media="screen")

    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner som PDF").evaluate("a => a.setAttribute('download', '')")
        page.get_by_role("link", name="Ladda ner som PDF").click()
    pdf = tmp_path / "jamforelse.pdf"
    download.value.save_as(pdf)
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert "Sida 2 av 2" in text, text
    assert "Utveckla rutiner för fasta vårdkontakter" in text and "2023–2028" in text, text

    page.goto(f"{live_server.url}/revisioner/")
    page.get_by_role("link", name="Fortsätt med utkastet till version 2027").click()
    page.get_by_role("link", name="Sätt i kraft…").click()
    assert_accessible(page)
    page.get_by_role("button", name="Sätt version 2027 i kraft").click()
    expect(page.get_by_role("status").first).to_contain_text("Version 2027 är nu i kraft")
    expect(page.get_by_role("main")).to_contain_text("Version 2027")

    page.goto(f"{live_server.url}/revisioner/")
    page.get_by_role("link", name="Version 2023", exact=True).click()
    expect(page.get_by_role("main")).to_contain_text("Den här versionen är ersatt")
    expect(page.get_by_role("main")).to_contain_text(ACTIVITY)
    assert_accessible(page)
    screenshot(page, "revision-superseded")

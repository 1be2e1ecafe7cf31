"""Fredagsgruppen's meeting in Chromium: the dashboard, the table filtered to one strategy's late
activities, and its XLSX."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from followup.models import EffectMeasureValue
from strategies.models import EffectMeasure
from tests.browser.conftest import assert_accessible, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reviewer_follows_a_number_from_the_dashboard_to_the_rows_and_downloads_them(
    page, live_server, plan, reviewer, time_in_2026, tmp_path
):
    log_in(page, live_server, reviewer, next_url="/lagesbild/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lägesbild")
    expect(page.get_by_role("img", name="Delaktiviteter per status, hela planen och varje strategi")).to_have_count(2)
    assert_accessible(page)
    screenshot(page, "dashboard")

    page.get_by_role("link", name="Alla delaktiviteter som tabell, med export").click()
    page.get_by_label("Strategi").select_option(label="5. Ökad samordning och samverkan")
    page.get_by_label("Endast försenade aktiviteter").check()
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_text("4 delaktiviteter.")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "table")

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    assert download.value.suggested_filename == "delaktiviteter.xlsx"
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    rows = list(load_workbook(saved).active.iter_rows(values_only=True))
    assert len(rows) == 5
    assert {row[0] for row in rows[1:]} == {"5. Ökad samordning och samverkan"}
    assert {row[8] for row in rows[1:]} == {"Ja"}


def test_the_effect_measures_page_is_accessible(page, live_server, plan, reviewer):
    sip = EffectMeasure.objects.get(name__startswith="Antal SIP")
    for half, children, adults in [(1, 120, 300), (2, 131, 290)]:
        EffectMeasureValue.objects.create(measure=sip, year=2025, half=half, breakdown="barn och unga", value=children)
        EffectMeasureValue.objects.create(measure=sip, year=2025, half=half, breakdown="vuxna", value=adults)
    log_in(page, live_server, reviewer, next_url="/effektmatt/")
    expect(page.get_by_text("barn och unga: ✓ Uppfyllt: högre än föregående period")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "effect-measures")

"""Project leaders keep their statuses up to date in Chromium; a reviewer can change nothing."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in, screenshot
from tests.conftest import SUBACTIVITY

pytestmark = pytest.mark.django_db(transaction=True)


def field(page, label):
    """A form field by its label, which says "(obligatoriskt)" after the name of a required field."""
    return page.get_by_label(re.compile(rf"^{label}( \(obligatoriskt\))?$"))


def open_update_form(page):
    page.get_by_role("link", name=f"Uppdatera: {SUBACTIVITY}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uppdatera delaktivitet")


def test_a_project_leader_updates_a_status_in_two_clicks_and_finds_it_in_the_history(
    page, live_server, plan, region_activity, leader
):
    log_in(page, live_server, leader, next_url="/mina-aktiviteter/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina aktiviteter")
    expect(page.get_by_text("Försenad", exact=True)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "my-activities")

    open_update_form(page)  # click 1
    assert_accessible(page)
    field(page, "Status").select_option(label="Klar")
    page.get_by_label("Statustext").fill("Handlingsplanen är antagen")
    page.get_by_label("Ja", exact=True).check()
    field(page, "Kommentar").fill("Beslut i Fredagsgruppen 14 november")
    page.get_by_role("button", name="Spara").click()  # click 2

    expect(page.get_by_role("status")).to_have_text(
        "Sparat: ”Handlingsplan fasta kontakter etc.” har nu status ”Klar”."
    )
    row = page.locator("tr", has_text=SUBACTIVITY)
    expect(row).to_contain_text("Klar")
    expect(row).to_contain_text("Lena Ledare")
    screenshot(page, "saved")

    page.get_by_role("link", name=f"Historik: {SUBACTIVITY}").click()
    expect(page.get_by_text("Status: Pågår → Klar")).to_be_visible()
    expect(page.get_by_text("Beslut i Fredagsgruppen 14 november")).to_be_visible()
    assert_accessible(page)


def test_bad_input_is_explained_and_kept(page, live_server, plan, region_activity, leader):
    log_in(page, live_server, leader, next_url="/mina-aktiviteter/")
    open_update_form(page)
    page.get_by_label("Statustext").fill("Mitt utkast")
    page.get_by_role("button", name="Spara").click()

    expect(page.get_by_role("alert")).to_contain_text("Inget sparades.")
    expect(page.locator("#id_comment_error")).to_have_text(
        "Skriv en kort kommentar: den sparas som orsak till ändringen."
    )
    expect(page.get_by_label("Statustext")).to_have_value("Mitt utkast")
    assert_accessible(page)


def test_two_people_editing_at_once_never_lose_a_change(
    browser, live_server, plan, region_activity, leader, plan_admin
):
    first, second = browser.new_context(locale="sv-SE"), browser.new_context(locale="sv-SE")
    page_a, page_b = first.new_page(), second.new_page()
    log_in(page_a, live_server, leader, next_url="/mina-aktiviteter/")
    log_in(page_b, live_server, plan_admin, next_url=f"/aktiviteter/{region_activity.pk}/")
    open_update_form(page_a)
    open_update_form(page_b)

    field(page_a, "Status").select_option(label="Klar")
    field(page_a, "Kommentar").fill("A: klar")
    page_a.get_by_role("button", name="Spara").click()
    expect(page_a.get_by_role("status")).to_contain_text("Sparat")

    field(page_b, "Status").select_option(label="Avvaktar")
    page_b.get_by_label("Statustext").fill("B:s text")
    field(page_b, "Kommentar").fill("B: avvaktar")
    page_b.get_by_role("button", name="Spara").click()

    conflict = page_b.locator("#conflict")
    expect(conflict).to_contain_text("Någon annan ändrade delaktiviteten medan du redigerade")
    expect(conflict).to_contain_text("Status: Pågår → Klar")
    expect(conflict).to_contain_text("A: klar")
    expect(page_b.get_by_label("Statustext")).to_have_value("B:s text")
    expect(field(page_b, "Status")).to_have_value("avvaktar")
    assert_accessible(page_b)
    screenshot(page_b, "conflict")

    page_b.get_by_role("button", name="Spara").click()
    expect(page_b.get_by_role("status")).to_contain_text("har nu status ”Avvaktar”")
    first.close()
    second.close()


def test_a_reviewer_sees_no_edit_control_anywhere(page, live_server, plan, region_activity, reviewer):
    log_in(page, live_server, reviewer)
    sub = region_activity.subactivities.get()
    for path in [
        "/",
        f"/strategier/{region_activity.strategy_id}/",
        f"/aktiviteter/{region_activity.pk}/",
        f"/delaktiviteter/{sub.pk}/historik/",
        "/mina-aktiviteter/",
        "/senaste-andringar/",
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("link", name="Uppdatera")).to_have_count(0)
        expect(page.get_by_role("button", name="Spara")).to_have_count(0)
        expect(page.get_by_role("link", name="Återställ")).to_have_count(0)
        assert_accessible(page)
    page.goto(f"{live_server.url}/delaktiviteter/{sub.pk}/uppdatera/")
    expect(page.get_by_role("button", name="Spara")).to_have_count(0)


def test_a_plan_administrator_restores_an_earlier_version(page, live_server, plan, region_activity, leader, plan_admin):
    from activities.services import subactivity_update_status

    sub = region_activity.subactivities.get()
    subactivity_update_status(
        subactivity=sub, user=leader, status="klar", text="Fel", answer="ja", comment="Misstag", expected_version=1
    )
    log_in(page, live_server, plan_admin, next_url=f"/delaktiviteter/{sub.pk}/historik/")
    page.get_by_role("link", name=re.compile(r"^Återställ 2023-")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Återställ en tidigare version")
    assert_accessible(page)
    field(page, "Kommentar").fill("Uppdateringen gällde fel delaktivitet")
    page.get_by_role("button", name="Återställ den här versionen").click()

    expect(page.get_by_role("status")).to_contain_text("Den tidigare versionen är återställd.")
    expect(page.get_by_text("Status: Klar → Pågår")).to_be_visible()
    expect(page.get_by_text("Uppdateringen gällde fel delaktivitet")).to_be_visible()

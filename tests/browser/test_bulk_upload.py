"""A project leader downloads the table as Excel, changes a status in it and uploads it back, in Chromium."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from activities.models import SubActivity
from tests.browser.conftest import SCREENSHOTS, assert_accessible, log_in, screenshot
from tests.conftest import SUBACTIVITY

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_project_leader_updates_a_status_from_the_edited_export(
    page, live_server, plan, subactivity, leader, tmp_path
):
    log_in(page, live_server, leader, next_url="/tabell/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alla delaktiviteter")

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    sheet_file = tmp_path / download.value.suggested_filename
    download.value.save_as(sheet_file)
    assert sheet_file.name == "delaktiviteter.xlsx"

    book = load_workbook(sheet_file)
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    rows = [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, headers.index("Id") + 1).value == subactivity.pk]
    assert len(rows) == 1
    sheet.cell(rows[0], headers.index("Status") + 1).value = "Klar"
    sheet.cell(rows[0], headers.index("Kommentar") + 1).value = "Beslut i Fredagsgruppen 14 november"
    book.save(sheet_file)

    page.get_by_role("link", name="Uppdatera från ett redigerat kalkylark").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uppdatera delaktiviteter från ett kalkylark")
    assert_accessible(page)

    # The wrong file first: refused beside the field, and the page is still accessible.
    notes = tmp_path / "anteckningar.txt"
    notes.write_text("Status: klar", encoding="utf-8")
    page.get_by_label("Kalkylark (.xlsx eller .csv)").set_input_files(notes)
    page.get_by_role("button", name="Visa förhandsgranskningen").click()
    expect(page.locator("#id_sheet_error")).to_have_text(
        "Ladda upp exporten som .xlsx eller .csv; andra sorters filer läses inte."
    )
    expect(page.get_by_role("alert")).to_contain_text("Inget sparades.")
    assert_accessible(page)

    page.get_by_label("Kalkylark (.xlsx eller .csv)").set_input_files(sheet_file)
    page.get_by_role("button", name="Visa förhandsgranskningen").click()

    expect(page.get_by_text("Förhandsgranskning av delaktiviteter.xlsx. Inget är sparat än.")).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=SUBACTIVITY, exact=True))
    expect(row).to_contain_text("Kommer att ändras")
    expect(row).to_contain_text("Status: Pågår → Klar")
    expect(page.get_by_role("row").filter(has_text="Kommer att ändras")).to_have_count(1)
    assert SubActivity.objects.get(pk=subactivity.pk).status == "pagar"  # nothing saved before the button
    assert_accessible(page)
    screenshot(page, "bulk-upload-preview")
    assert (SCREENSHOTS / "bulk-upload-preview.png").exists()

    page.get_by_role("button", name="Spara 1 rad som ändras").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Alla delaktiviteter")
    expect(page.get_by_role("status")).to_contain_text("Sparat från delaktiviteter.xlsx")
    sub = SubActivity.objects.get(pk=subactivity.pk)
    assert (sub.status, sub.version) == ("klar", subactivity.version + 1)
    record = sub.history.first()
    assert record.history_user == leader
    assert (
        record.history_change_reason == "Beslut i Fredagsgruppen 14 november (Uppladdad från arket delaktiviteter.xlsx)"
    )

"""The table's export, edited in a spreadsheet and uploaded back: preview, then apply."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import SubActivity
from activities.services import subactivity_update_status
from plandata.demo import generate_demo_data

URL = "/delaktiviteter/ladda-upp/"


def export(client, fmt="xlsx"):
    response = client.get(f"/tabell/?_export={fmt}")
    assert response.status_code == 200
    return response.content


def workbook(content):
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    headers = [c.value for c in sheet[1]]
    return book, sheet, headers


def set_cell(sheet, headers, sub_pk, column, value):
    id_col = headers.index("Id") + 1
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, id_col).value in (sub_pk, str(sub_pk)):
            sheet.cell(row, headers.index(column) + 1).value = value
            return row
    raise AssertionError(f"no row for {sub_pk}")


def as_upload(book, name="delaktiviteter.xlsx"):
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def preview(client, upload):
    return client.post(URL, {"sheet": upload})


def apply(client, response):
    context = response.context
    return client.post(URL, {"apply": "1", "upload": context["upload"].pk, "fingerprint": context["fingerprint"]})


def test_an_edited_export_previews_and_applies_with_one_history_record_per_row(leader_client, subactivity, leader):
    book, sheet, headers = workbook(export(leader_client))
    row = set_cell(sheet, headers, subactivity.pk, "Status", "klar ")
    sheet.cell(row, headers.index("Statustext") + 1).value = "Handlingsplanen är antagen"
    sheet.cell(row, headers.index("Kommentar") + 1).value = "Beslut i SVOM"
    response = preview(leader_client, as_upload(book))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kommer att ändras" in html and "Pågår" in html and "Klar" in html
    assert response.context["counts"]["change"] == 1
    assert SubActivity.objects.get(pk=subactivity.pk).status == "pagar"  # nothing saved yet

    applied = apply(leader_client, response)
    assert applied.status_code == 302
    sub = SubActivity.objects.get(pk=subactivity.pk)
    assert (sub.status, sub.status_text, sub.version) == ("klar", "Handlingsplanen är antagen", subactivity.version + 1)
    record = sub.history.first()
    assert record.history_user == leader
    assert record.history_change_reason == "Beslut i SVOM (Uppladdad från arket delaktiviteter.xlsx)"
    assert sub.history.count() == subactivity.history.count()


def test_rows_not_yours_are_refused_and_the_others_unchanged(leader_client, subactivity):
    other = (
        SubActivity.objects.filter(activity__strategy__revision__state="in_force")
        .exclude(activity=subactivity.activity)
        .first()
    )
    book, sheet, headers = workbook(export(leader_client))
    set_cell(sheet, headers, other.pk, "Status", "Klar")
    response = preview(leader_client, as_upload(book))
    counts = response.context["counts"]
    assert counts["refused"] == 1 and counts["change"] == 0
    assert "Du får inte ändra den här delaktiviteten." in response.content.decode()


def test_a_row_changed_since_the_export_is_refused(leader_client, subactivity, leader):
    book, sheet, headers = workbook(export(leader_client))
    set_cell(sheet, headers, subactivity.pk, "Status", "Klar")
    subactivity_update_status(
        subactivity=subactivity,
        user=leader,
        status="avvaktar",
        text="",
        answer="ej_bedomt",
        comment="",
        expected_version=subactivity.version,
    )
    response = preview(leader_client, as_upload(book))
    assert "Ändrad av någon annan sedan exporten" in response.content.decode()
    assert response.context["counts"]["change"] == 0


def test_a_change_between_preview_and_apply_saves_nothing(leader_client, subactivity, leader):
    book, sheet, headers = workbook(export(leader_client))
    set_cell(sheet, headers, subactivity.pk, "Status", "Klar")
    response = preview(leader_client, as_upload(book))
    subactivity_update_status(
        subactivity=subactivity,
        user=leader,
        status="avvaktar",
        text="",
        answer="ej_bedomt",
        comment="",
        expected_version=subactivity.version,
    )
    again = apply(leader_client, response)
    assert again.status_code == 409
    assert "inget sparades" in again.content.decode()
    assert SubActivity.objects.get(pk=subactivity.pk).status == "avvaktar"


@pytest.mark.parametrize("encoding, delimiter", [("utf-8-sig", ";"), ("cp1252", ";"), ("utf-8", ",")])
def test_swedish_excels_csv_is_read(leader_client, subactivity, encoding, delimiter):
    text = export(leader_client, "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    headers = rows[0]
    for row in rows[1:]:
        if row[headers.index("Id")] == str(subactivity.pk):
            row[headers.index("Status")] = "KLAR"
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    upload = SimpleUploadedFile("delaktiviteter.csv", out.getvalue().encode(encoding, errors="replace"))
    response = preview(leader_client, upload)
    assert response.status_code == 200, response.content.decode()[-2000:]
    assert response.context["counts"]["change"] == 1


def preview_queries(client):
    upload = SimpleUploadedFile("delaktiviteter.xlsx", export(client))
    with CaptureQueriesContext(connection) as captured:
        response = preview(client, upload)
    assert response.status_code == 200
    return len(response.context["results"]), len(captured)


def test_the_previews_queries_do_not_grow_with_the_rows(leader_client, subactivity):
    rows, queries = preview_queries(leader_client)
    generate_demo_data(3)
    more_rows, more_queries = preview_queries(leader_client)
    assert more_rows == 3 * rows
    assert more_queries == queries

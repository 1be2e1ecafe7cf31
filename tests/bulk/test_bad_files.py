"""Files that cannot be used are refused with a message beside the file field, and nothing is saved: no
sub-activity, no history record, no stored upload (plan/spreadsheets.py read_sheet, plan/bulk.py)."""

import csv
import datetime
import html
import io
import re
import struct
import time
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from activities.models import SubActivity
from plan.models import SheetUpload
from revisions.services import activate_revision, start_revision
from tests.bulk.test_subactivity_sheet import URL, export, set_cell, workbook

SHEET_PART = "xl/worksheets/sheet1.xml"


def saved_state():
    return (
        list(SubActivity.objects.order_by("pk").values_list("pk", "status", "status_text", "answer", "version")),
        SubActivity.history.count(),
        SheetUpload.objects.count(),
    )


def refusal(client, name, content):
    """The error shown beside the file field for an upload of `content` as `name`, having checked that the
    upload was refused and saved nothing."""
    before = saved_state()
    response = client.post(URL, {"sheet": SimpleUploadedFile(name, content)})
    assert response.status_code == 400, response.status_code
    assert saved_state() == before
    page = response.content.decode()
    beside_field = re.search(r'<div id="id_sheet_error" class="invalid-feedback d-block">(.*?)</div>', page, re.S)
    assert beside_field, "no error beside the file field"
    file_input = re.search(r'<input type="file"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in file_input and "id_sheet_error" in file_input  # tied to the field
    assert "Inget sparades." in page  # the summary at the top of the form
    return html.unescape(beside_field.group(1)).strip()


def saved(book):
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewritten(xlsx, change=lambda name, content: content, add=()):
    """The workbook `xlsx` with each part passed through `change(name, content)` and the parts `add` added."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, change(info.filename, source.read(info.filename)))
        for name, content in add:
            archive.writestr(name, content)
    return out.getvalue()


def in_sheet(change):
    return lambda name, content: change(content) if name == SHEET_PART else content


def sheet_of(*rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    return saved(book)


def edited(xlsx, sub_pk, column, value):
    """(the export with `column` of the sub-activity's row set to `value`, that row's number)"""
    book, sheet, headers = workbook(xlsx)
    row = set_cell(sheet, headers, sub_pk, column, value)
    return saved(book), row


def csv_edited(csv_text, sub_pk, column, value):
    rows = list(csv.reader(io.StringIO(csv_text)))
    headers = rows[0]
    for number, row in enumerate(rows[1:], start=2):
        if row[headers.index("Id")] == str(sub_pk):
            row[headers.index(column)] = value
            out = io.StringIO()
            csv.writer(out, delimiter=";").writerows(rows)
            return out.getvalue().encode("utf-8-sig"), number
    raise AssertionError(f"no row for {sub_pk}")


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
NOT_A_WORKBOOK = "Filen är inte en Excel-arbetsbok (.xlsx). Ladda upp exporten som .xlsx eller .csv."
UNREADABLE = "Filen kunde inte läsas som en Excel-arbetsbok (.xlsx)."
WRONG_KIND = "Ladda upp exporten som .xlsx eller .csv; andra sorters filer läses inte."
MACROS = "Arbetsböcker med makron tas inte emot. Spara den som en vanlig arbetsbok (.xlsx)."


def _formula(xlsx, csv_text, pk):
    content, row = edited(xlsx, pk, "Status", "=1+1")
    return "delaktiviteter.xlsx", content, f"Rad {row} har en formel där ett värde ska stå. Skriv in själva värdet."


def _long_cell(xlsx, csv_text, pk):
    content, row = edited(xlsx, pk, "Statustext", "x" * 100_000)
    return "delaktiviteter.xlsx", content, f"Rad {row} har en cell med mer än 5000 tecken."


def _long_csv_cell(xlsx, csv_text, pk):
    content, row = csv_edited(csv_text, pk, "Statustext", "x" * 100_000)
    return "delaktiviteter.csv", content, f"Rad {row} har en cell med mer än 5000 tecken."


def _longer_than_the_csv_modules_limit(xlsx, csv_text, pk):
    content, row = csv_edited(csv_text, pk, "Statustext", "x" * 200_000)  # the csv module's own limit is 131,072
    return "delaktiviteter.csv", content, f"Rad {row} har en cell med mer än 5000 tecken."


def _duplicate_rows(xlsx, csv_text, pk):
    book, sheet, headers = workbook(xlsx)
    row = set_cell(sheet, headers, pk, "Status", "Klar")
    sheet.append([cell.value for cell in sheet[row]])
    return "delaktiviteter.xlsx", saved(book), f"Raderna {row}, {sheet.max_row} gäller samma delaktivitet"


def _missing_status_column(xlsx, csv_text, pk):
    book, sheet, headers = workbook(xlsx)
    sheet.delete_cols(headers.index("Status") + 1)
    return "delaktiviteter.xlsx", saved(book), "Kolumnen ”Status” saknas på första raden."


def _million_rows(declared):
    """The export with a value in A1000000, and the size the sheet declares (<dimension>) either saying so, as
    Excel writes it, or still saying A1:M36."""

    def build(xlsx, csv_text, pk):
        def change(sheet):
            far_down = b'<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
            sheet = sheet.replace(b"</sheetData>", far_down)
            return (
                re.sub(rb'<dimension ref="A1:([A-Z]+)\d+"', rb'<dimension ref="A1:\g<1>1000000"', sheet)
                if declared
                else sheet
            )

        return "delaktiviteter.xlsx", rewritten(xlsx, in_sheet(change)), "Filen har fler än 10000 rader."

    return build


def _macro_workbook(name):
    def build(xlsx, csv_text, pk):
        content = rewritten(xlsx, add=[("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macros")])
        return name, content, MACROS if name.endswith(".xlsx") else WRONG_KIND

    return build


def _damaged(xlsx, csv_text, pk):
    """A workbook whose sheet is cut off half-way: only reading its rows shows it."""
    return "delaktiviteter.xlsx", rewritten(xlsx, in_sheet(lambda sheet: sheet[: len(sheet) // 2])), UNREADABLE


def _zip_of(*parts):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts:
            archive.writestr(name, content)
    return out.getvalue()


def _simple(name, content, message):
    return lambda xlsx, csv_text, pk: (name, content, message)


CASES = {
    "an empty file": _simple("delaktiviteter.xlsx", b"", "Den skickade filen är tom."),
    "an empty csv": _simple("delaktiviteter.csv", "\ufeff".encode(), "Filen är tom."),
    "headers and no rows": lambda xlsx, csv_text, pk: (
        "delaktiviteter.xlsx",
        sheet_of(["Id", "Version", "Status", "Statustext", "Svar"]),
        "Filen har inga rader under rubrikerna.",
    ),
    "a PDF renamed .xlsx": _simple("delaktiviteter.xlsx", PDF, NOT_A_WORKBOOK),
    "a text renamed .xlsx": lambda xlsx, csv_text, pk: ("delaktiviteter.xlsx", csv_text.encode(), NOT_A_WORKBOOK),
    "a zip that is no workbook": lambda xlsx, csv_text, pk: (
        "delaktiviteter.xlsx",
        _zip_of(("a.txt", b"hej")),
        UNREADABLE,
    ),
    "a damaged workbook": _damaged,
    "a macro workbook named .xlsx": _macro_workbook("delaktiviteter.xlsx"),
    "a macro workbook named .xlsm": _macro_workbook("delaktiviteter.xlsm"),
    "wrong headers": lambda xlsx, csv_text, pk: (
        "delaktiviteter.xlsx",
        sheet_of(["Namn", "Ålder"], ["Anna", 42]),
        "Kolumnen ”Id” saknas på första raden. Utgå från exporten, som har den.",
    ),
    "a missing header": _missing_status_column,
    "a formula where a value belongs": _formula,
    "a million rows": _million_rows(declared=True),
    "a million rows beyond the size the sheet declares": _million_rows(declared=False),
    "a cell of 100,000 characters": _long_cell,
    "a csv cell of 100,000 characters": _long_csv_cell,
    "a csv cell of 200,000 characters": _longer_than_the_csv_modules_limit,
    "duplicate rows for one item": _duplicate_rows,
    "a text file": lambda xlsx, csv_text, pk: ("delaktiviteter.txt", csv_text.encode(), WRONG_KIND),
    "a file without an extension": lambda xlsx, csv_text, pk: ("delaktiviteter", xlsx, WRONG_KIND),
}


@pytest.mark.parametrize("case", CASES.keys())
def test_a_bad_file_is_refused_beside_the_file_field_and_saves_nothing(leader_client, subactivity, case):
    xlsx, csv_text = export(leader_client), export(leader_client, "csv").decode("utf-8-sig")
    name, content, message = CASES[case](xlsx, csv_text, subactivity.pk)
    start = time.perf_counter()
    assert message in refusal(leader_client, name, content)
    assert time.perf_counter() - start < 3


def test_a_zip_bomb_is_refused_before_it_is_unpacked(leader_client, subactivity, monkeypatch):
    monkeypatch.setattr("plan.spreadsheets.MAX_UNPACKED_BYTES", 1_000_000)
    spaces = b"<sheetData>" + b" " * 2_000_000  # 2 MB unpacked, a few kB packed
    bomb = rewritten(export(leader_client), in_sheet(lambda sheet: sheet.replace(b"<sheetData>", spaces)))
    assert len(bomb) < 50_000
    message = refusal(leader_client, "delaktiviteter.xlsx", bomb)
    assert message == "Arbetsboken packas upp till mer än vad som är tillåtet; den kan inte läsas."


def test_a_zip_bomb_that_understates_its_size_is_not_unpacked_beyond_it(leader_client, subactivity, monkeypatch):
    """The sizes a zip declares are the file's say-so: one that claims 1,000 bytes for a 3 MB sheet is read no
    further than the 1,000 bytes, and refused as unreadable (the checksum no longer matches)."""
    monkeypatch.setattr("plan.spreadsheets.MAX_UNPACKED_BYTES", 1_000_000)
    spaces = b"<sheetData>" + b" " * 3_000_000
    bomb = bytearray(rewritten(export(leader_client), in_sheet(lambda sheet: sheet.replace(b"<sheetData>", spaces))))
    entry = bomb.find(b"PK\x01\x02")
    while entry >= 0:  # each central directory entry: uncompressed size at +24, name length at +28, name at +46
        name_length = struct.unpack_from("<H", bomb, entry + 28)[0]
        if bomb[entry + 46 : entry + 46 + name_length] == SHEET_PART.encode():
            struct.pack_into("<I", bomb, entry + 24, 1000)
        entry = bomb.find(b"PK\x01\x02", entry + 4)
    assert sum(part.file_size for part in zipfile.ZipFile(io.BytesIO(bomb)).infolist()) < 1_000_000
    assert refusal(leader_client, "delaktiviteter.xlsx", bytes(bomb)) == UNREADABLE


def test_rows_beyond_a_smaller_limit_are_refused_in_a_csv_too(leader_client, subactivity, settings):
    settings.SPREADSHEET_MAX_ROWS = 3
    csv_bytes = export(leader_client, "csv")
    message = refusal(leader_client, "delaktiviteter.csv", csv_bytes)
    assert message == "Filen har fler än 3 rader. Dela upp den, eller fråga en planadministratör."


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(leader_client, subactivity, settings, monkeypatch):
    settings.SPREADSHEET_MAX_BYTES = 1024 * 1024

    def never(data):
        raise AssertionError("a file over the limit was parsed")

    monkeypatch.setattr("plan.spreadsheets._read_xlsx", never)
    monkeypatch.setattr("plan.spreadsheets._read_csv", never)
    padded = export(leader_client) + b"\0" * (1024 * 1024)  # the export with junk after it: still a zip
    too_large = re.compile(r"^(Filen är större än|The file is larger than) 1([.,]0)? MB\.$")  # (not yet translated)
    assert too_large.match(refusal(leader_client, "delaktiviteter.xlsx", padded))
    assert too_large.match(refusal(leader_client, "delaktiviteter.csv", b"Id;Status\n" * 110_000))


def test_a_sheet_declaring_16384_columns_is_read_as_quickly_as_its_own(leader_client, subactivity):
    """A sheet's declared size, or a single cell far to the right, once made every row 16,384 cells wide:
    seconds per hundred rows, gigabytes for 10,000, from a file of a few kilobytes."""
    book, sheet, headers = workbook(export(leader_client))
    set_cell(sheet, headers, subactivity.pk, "Status", "Klar")
    for row in range(sheet.max_row + 1, 2001):
        sheet.cell(row, 1).value = ""  # rows that are there, and empty
    wide = rewritten(
        saved(book),
        in_sheet(
            lambda part: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD2000"', part).replace(
                b"</row>", b'<c r="XFD1" t="inlineStr"><is><t></t></is></c></row>', 1
            )
        ),
    )
    start = time.perf_counter()
    response = leader_client.post(URL, {"sheet": SimpleUploadedFile("delaktiviteter.xlsx", wide)})
    took = time.perf_counter() - start
    assert response.status_code == 200, response.content.decode()[-1000:]
    assert response.context["counts"]["change"] == 1
    assert took < 3, f"took {took:.1f} s"


def test_a_csv_header_row_of_100000_columns_is_read_in_a_moment(leader_client, subactivity):
    """Each header was once compared with each column's names worked out again: ten seconds for 100 kB."""
    content, _row = csv_edited(export(leader_client, "csv").decode("utf-8-sig"), subactivity.pk, "Status", "Klar")
    header, rest = content.decode("utf-8-sig").split("\r\n", 1)
    wide = f"{header}{';' * 100_000}\r\n{rest}".encode("utf-8-sig")
    start = time.perf_counter()
    response = leader_client.post(URL, {"sheet": SimpleUploadedFile("delaktiviteter.csv", wide)})
    took = time.perf_counter() - start
    assert response.status_code == 200, response.content.decode()[-1000:]
    assert response.context["counts"]["change"] == 1
    assert took < 2, f"took {took:.1f} s"


@pytest.mark.parametrize("revision", ["draft", "superseded"])
def test_a_row_of_another_revision_is_refused_in_the_preview_and_nothing_is_saved(
    leader_client, subactivity, plan_admin, revision
):
    plan = subactivity.activity.strategy.revision
    draft = start_revision(plan, label="2027", in_force_from=datetime.date(2026, 12, 1), user=plan_admin)
    book, sheet, headers = workbook(export(leader_client))
    row = set_cell(sheet, headers, subactivity.pk, "Status", "Klar")
    if revision == "draft":  # the Id of the draft's copy of the leader's own sub-activity
        copy = SubActivity.objects.get(activity__strategy__revision=draft, predecessor=subactivity)
        sheet.cell(row, headers.index("Id") + 1).value = copy.pk
    else:  # the export's Ids are of the revision the draft has since superseded
        activate_revision(draft, user=plan_admin)
    content = saved(book)
    before = saved_state()

    response = leader_client.post(URL, {"sheet": SimpleUploadedFile("delaktiviteter.xlsx", content)})
    assert response.status_code == 200
    refused = {r.number: r.reason for r in response.context["results"] if r.outcome == "refused"}
    assert refused[row] == "Delaktiviteten hör till en annan planversion än den gällande. Exportera på nytt."
    assert response.context["counts"]["change"] == 0
    page = response.content.decode()
    assert "Ingen rad ändrar något, så det finns inget att spara." in page and 'name="apply"' not in page

    # Applying anyway, with the preview's own upload and fingerprint, saves nothing either.
    leader_client.post(
        URL, {"apply": "1", "upload": response.context["upload"].pk, "fingerprint": response.context["fingerprint"]}
    )
    subactivities, history, _uploads = saved_state()
    assert (subactivities, history) == before[:2]


def test_a_csv_with_the_line_endings_of_older_excel_for_mac_is_read(leader_client, subactivity):
    """A lone carriage return ends a line ("CSV (Macintosh)"); it once stopped the reading with a server error."""
    content, _row = csv_edited(export(leader_client, "csv").decode("utf-8-sig"), subactivity.pk, "Status", "Klar")
    mac = content.decode("utf-8-sig").replace("\r\n", "\r").encode("utf-8-sig")
    response = leader_client.post(URL, {"sheet": SimpleUploadedFile("delaktiviteter.csv", mac)})
    assert response.status_code == 200, response.content.decode()[-1000:]
    assert response.context["counts"]["change"] == 1


def test_the_file_fields_description_names_only_ids_on_the_page(leader_client):
    page = leader_client.get(URL).content.decode()
    described_by = re.search(r'<input type="file"[^>]*aria-describedby="([^"]*)"', page).group(1)
    for id_ in described_by.split():
        assert f'id="{id_}"' in page, id_

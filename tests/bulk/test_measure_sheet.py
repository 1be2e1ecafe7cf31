"""The effect-measures page's export, edited in a spreadsheet and uploaded back: preview, then apply."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from followup.bulk import COLUMNS
from followup.models import EffectMeasureValue, FollowUp
from plan.history import save_with_history
from revisions.services import start_revision
from strategies.models import EffectMeasure

URL = "/effektmatt/ladda-upp/"
COLUMN = {c.key: i + 1 for i, c in enumerate(COLUMNS)}  # the sheet's column numbers, whatever the language


@pytest.fixture(autouse=True)
def spring_2026():
    """The latest ended periods are 2025 (yearly measures) and the second half of 2025 (half-yearly ones)."""
    with time_machine.travel(datetime.datetime(2026, 3, 16, 12, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def admin_client(client, plan_admin):
    client.force_login(plan_admin)
    return client


def measure(plan, prefix):
    return EffectMeasure.objects.filter(strategy__revision=plan).get(name__startswith=prefix)


def add_value(m, year, number=None, *, half=0, breakdown="", yes_no=None):
    value = EffectMeasureValue(measure=m, year=year, half=half, breakdown=breakdown, value=number, yes_no=yes_no)
    return save_with_history(value, user=None, reason="Inläst")


def export(client, fmt="xlsx"):
    response = client.get(f"/effektmatt/?_export={fmt}")
    assert response.status_code == 200
    return response.content


def workbook(client):
    book = openpyxl.load_workbook(io.BytesIO(export(client)))
    return book, book.active


def find_row(sheet, m, *, value=None, year=None, breakdown=""):
    """The row of an existing value, or the empty row of `m` for `year` and `breakdown`."""
    for row in range(2, sheet.max_row + 1):
        cells = {key: sheet.cell(row, column).value for key, column in COLUMN.items()}
        if cells["measure"] != m.pk:
            continue
        if value is not None and cells["value_id"] == value.pk:
            return row
        if value is None and not cells["value_id"] and (cells["year"], cells["breakdown"] or "") == (year, breakdown):
            return row
    raise AssertionError(f"no row for {m} {value or year}")


def set_cells(sheet, row, **cells):
    for key, text in cells.items():
        sheet.cell(row, COLUMN[key]).value = text


def as_upload(book, name="effektmatt.xlsx"):
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def preview(client, upload):
    return client.post(URL, {"sheet": upload})


def apply(client, response):
    context = response.context
    return client.post(URL, {"apply": "1", "upload": context["upload"].pk, "fingerprint": context["fingerprint"]})


def outcome_of(response, row):
    return next(r for r in response.context["results"] if r.number == row).outcome


def test_the_export_has_each_value_and_an_empty_row_per_latest_period(admin_client, plan):
    home = measure(plan, "Läkarbesök i hemmet")
    sip = measure(plan, "Antal SIP")
    existing = add_value(sip, 2025, 300, half=1, breakdown="vuxna")
    book, sheet = workbook(admin_client)
    row = find_row(sheet, sip, value=existing)
    assert sheet.cell(row, COLUMN["version"]).value == existing.history.get().history_id
    assert sheet.cell(row, COLUMN["period"]).value == "Första halvåret"
    for m, year, breakdown, period in [
        (home, 2025, "", "Helår"),
        (sip, 2025, "vuxna", "Andra halvåret"),
        (sip, 2025, "barn och unga", "Andra halvåret"),
    ]:
        assert sheet.cell(find_row(sheet, m, year=year, breakdown=breakdown), COLUMN["period"]).value == period
    measures = EffectMeasure.objects.filter(strategy__revision=plan)
    assert sheet.max_row == 1 + 1 + sum(len(m.breakdowns) or 1 for m in measures)
    csv_text = export(admin_client, "csv").decode("utf-8-sig")
    assert csv_text.count("\n") == sheet.max_row


def test_an_edited_export_previews_and_applies_with_one_history_record_per_row(admin_client, plan, plan_admin):
    home = measure(plan, "Läkarbesök i hemmet")
    old = add_value(home, 2024, 10)
    book, sheet = workbook(admin_client)
    set_cells(sheet, find_row(sheet, home, value=old), value=12)
    set_cells(sheet, find_row(sheet, home, year=2025), value=14, source="Kolada", note="Preliminärt")
    response = preview(admin_client, as_upload(book))
    assert response.status_code == 200
    counts = response.context["counts"]
    assert (counts["change"], counts["refused"], counts["unchanged"]) == (2, 0, sheet.max_row - 3)
    assert home.values.get().value == 10  # nothing saved yet

    applied = apply(admin_client, response)
    assert applied.status_code == 302
    assert [(v.year, v.half, v.breakdown, v.value, v.source, v.note) for v in home.values.order_by("year")] == [
        (2024, 0, "", Decimal("12.00"), "", ""),
        (2025, 0, "", Decimal("14.00"), "Kolada", "Preliminärt"),
    ]
    assert EffectMeasureValue.objects.count() == 2
    changed, added = home.values.order_by("year")
    for value, kinds in [(changed, ["~", "+"]), (added, ["+"])]:
        records = list(value.history.order_by("-history_id"))
        assert [r.history_type for r in records] == kinds
        assert records[0].history_user == plan_admin and value.entered_by == plan_admin
        assert "effektmatt.xlsx" in records[0].history_change_reason


def test_a_value_in_a_locked_follow_up_is_refused(admin_client, plan):
    FollowUp.objects.create(
        revision=plan,
        year=2025,
        cut_off=datetime.date(2025, 12, 31),
        state=FollowUp.State.LOCKED,
        content={"strategies": []},
        report_pdf=b"%PDF-1.7 stored",
    )
    home = measure(plan, "Läkarbesök i hemmet")
    in_2024 = add_value(home, 2024, 10)
    book, sheet = workbook(admin_client)
    locked_row = find_row(sheet, home, year=2025)
    set_cells(sheet, locked_row, value=14)
    open_row = find_row(sheet, home, value=in_2024)
    set_cells(sheet, open_row, value=11)
    response = preview(admin_client, as_upload(book))
    assert (outcome_of(response, locked_row), outcome_of(response, open_row)) == ("refused", "change")

    # Moving a value into the locked year is refused as well.
    set_cells(sheet, open_row, year=2025)
    set_cells(sheet, locked_row, value=None)
    response = preview(admin_client, as_upload(book))
    assert outcome_of(response, open_row) == "refused"
    assert response.context["counts"]["change"] == 0


def test_a_value_changed_since_the_export_is_refused(admin_client, plan, plan_admin):
    home = measure(plan, "Läkarbesök i hemmet")
    value = add_value(home, 2024, 10)
    book, sheet = workbook(admin_client)
    row = find_row(sheet, home, value=value)
    set_cells(sheet, row, value=12)
    value.value = 11
    save_with_history(value, user=plan_admin, reason="Rättad")
    response = preview(admin_client, as_upload(book))
    assert outcome_of(response, row) == "refused"
    assert response.context["counts"]["change"] == 0


def test_a_new_row_for_a_period_that_has_a_value_since_the_export_is_refused(admin_client, plan):
    home = measure(plan, "Läkarbesök i hemmet")
    book, sheet = workbook(admin_client)
    row = find_row(sheet, home, year=2025)
    set_cells(sheet, row, value=14)
    add_value(home, 2025, 13)
    response = preview(admin_client, as_upload(book))
    assert outcome_of(response, row) == "refused"
    assert home.values.get().value == 13


def test_a_measure_of_another_revision_or_a_value_of_another_measure_is_refused(admin_client, plan):
    home = measure(plan, "Läkarbesök i hemmet")
    other = add_value(measure(plan, "Påverkbar slutenvård"), 2024, 5)
    draft = start_revision(plan, label="2027", in_force_from=datetime.date(2026, 12, 1), user=None)
    book, sheet = workbook(admin_client)
    draft_row = find_row(sheet, home, year=2025)
    set_cells(sheet, draft_row, measure=measure(draft, "Läkarbesök i hemmet").pk, value=14)
    wrong_row = find_row(sheet, other.measure, value=other)
    set_cells(sheet, wrong_row, measure=home.pk, value=6)
    response = preview(admin_client, as_upload(book))
    assert (outcome_of(response, draft_row), outcome_of(response, wrong_row)) == ("refused", "refused")
    assert response.context["counts"]["change"] == 0


@pytest.mark.parametrize(
    "prefix, cells, outcome",
    [
        ("Läkarbesök i hemmet", {"value": 5, "period": "Tredje halvåret"}, "refused"),
        ("Läkarbesök i hemmet", {"value": 5, "period": "Första halvåret"}, "refused"),  # a yearly measure
        ("Läkarbesök i hemmet", {"value": "fem"}, "refused"),
        ("Läkarbesök i hemmet", {"value": "5,123"}, "refused"),
        ("Läkarbesök i hemmet", {"value": 5, "yes_no": "ja"}, "refused"),
        ("Läkarbesök i hemmet", {"value": 5, "breakdown": "vuxna"}, "refused"),
        ("Läkarbesök i hemmet", {"value": 5, "year": 1999}, "refused"),
        ("Läkarbesök i hemmet", {"value": 5, "source": "x" * 301}, "refused"),
        ("Läkarbesök i hemmet", {"value": 5, "period": "1"}, "refused"),
        ("Läkarbesök i hemmet", {"value": 5, "period": "0"}, "change"),
        ("Läkarbesök i hemmet", {"source": "Kolada"}, "unchanged"),  # no value: nothing to add
        ("Finns fungerande samverkansarenor", {"value": 1}, "refused"),  # a number for a yes/no measure
        ("Finns fungerande samverkansarenor", {"value": 1, "yes_no": "ja"}, "refused"),
        ("Finns fungerande samverkansarenor", {"yes_no": "kanske"}, "refused"),
        ("Finns fungerande samverkansarenor", {"yes_no": " NEJ"}, "change"),
    ],
)
def test_values_the_form_would_refuse_are_refused(admin_client, plan, prefix, cells, outcome):
    m = measure(plan, prefix)
    book, sheet = workbook(admin_client)
    row = find_row(sheet, m, year=2025)
    set_cells(sheet, row, **cells)
    response = preview(admin_client, as_upload(book))
    assert response.status_code == 200
    assert outcome_of(response, row) == outcome
    assert response.context["counts"]["change"] == (outcome == "change")


def test_a_yes_no_measure_is_saved_from_nej(admin_client, plan):
    m = measure(plan, "Finns fungerande samverkansarenor")
    book, sheet = workbook(admin_client)
    set_cells(sheet, find_row(sheet, m, year=2025), yes_no="Nej")
    assert apply(admin_client, preview(admin_client, as_upload(book))).status_code == 302
    saved = m.values.get()
    assert (saved.year, saved.value, saved.yes_no) == (2025, None, False)


@pytest.mark.parametrize("text", ["0,45", "0.45", " 0,45 "])
def test_a_decimal_comma_is_read(admin_client, plan, text):
    sip = measure(plan, "Antal SIP")
    book, sheet = workbook(admin_client)
    set_cells(sheet, find_row(sheet, sip, year=2025, breakdown="vuxna"), value=text)
    response = preview(admin_client, as_upload(book))
    assert response.context["counts"]["change"] == 1
    apply(admin_client, response)
    saved = sip.values.get()
    assert (saved.year, saved.half, saved.breakdown, saved.value) == (2025, 2, "vuxna", Decimal("0.45"))


@pytest.mark.parametrize("note, outcome", [("Första raden\nandra", "change"), ("a\x07b", "refused")])
def test_swedish_excels_csv_is_read_and_control_characters_refused(admin_client, plan, note, outcome):
    home = measure(plan, "Läkarbesök i hemmet")
    rows = list(csv.reader(io.StringIO(export(admin_client, "csv").decode("utf-8-sig"))))
    row = next(
        i for i, r in enumerate(rows) if r[COLUMN["measure"] - 1] == str(home.pk) and r[COLUMN["year"] - 1] == "2025"
    )
    rows[row][COLUMN["value"] - 1], rows[row][COLUMN["note"] - 1] = "1 234,5", note
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    response = preview(admin_client, SimpleUploadedFile("effektmatt.csv", out.getvalue().encode("utf-8-sig")))
    assert outcome_of(response, row + 1) == outcome
    if outcome == "change":
        apply(admin_client, response)
        assert (home.values.get().value, home.values.get().note) == (Decimal("1234.50"), note)


def test_the_same_period_twice_refuses_the_whole_file(admin_client, plan):
    home = measure(plan, "Läkarbesök i hemmet")
    book, sheet = workbook(admin_client)
    row = find_row(sheet, home, year=2025)
    set_cells(sheet, row, value=14)
    copy = sheet.max_row + 1
    for column in COLUMN.values():
        sheet.cell(copy, column).value = sheet.cell(row, column).value
    response = preview(admin_client, as_upload(book))
    assert response.status_code == 400
    assert f"{row}, {copy}" in response.content.decode()
    assert not home.values.exists()


def test_only_plan_administrators_upload(client, leader, reviewer, plan_admin):
    for user in (leader, reviewer):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"sheet": SimpleUploadedFile("effektmatt.csv", b"x")}).status_code == 403
        assert URL not in client.get("/effektmatt/").content.decode()
    client.force_login(plan_admin)
    assert client.get(URL).status_code == 200
    assert URL in client.get("/effektmatt/").content.decode()


def test_a_reader_may_export(reviewer_client):
    assert export(reviewer_client, "csv")


def test_the_preview_queries_do_not_grow_with_the_rows(admin_client, plan):
    for m in EffectMeasure.objects.filter(strategy__revision=plan):
        for year in range(2015, 2025):
            for breakdown in m.breakdowns or [""]:
                if m.direction == EffectMeasure.Direction.YES_NO:
                    add_value(m, year, yes_no=year % 2 == 0)
                else:
                    add_value(m, year, year - 2000, breakdown=breakdown)
    queries = []
    for keep in (2, None):
        book, sheet = workbook(admin_client)
        if keep:
            sheet.delete_rows(2 + keep, sheet.max_row)
        for row in range(2, sheet.max_row + 1):
            if sheet.cell(row, COLUMN["value_id"]).value:
                set_cells(sheet, row, source="Ny källa")
        with CaptureQueriesContext(connection) as captured:
            response = preview(admin_client, as_upload(book))
        assert response.context["counts"]["change"] == (keep or sheet.max_row - 1 - 9)
        queries.append(len(captured))
    assert queries[0] == queries[1]

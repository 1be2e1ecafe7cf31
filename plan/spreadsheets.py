"""Sheets: cells written safely into an export, and an uploaded sheet read back (the export, edited)."""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text):
    """Text typed by a person, as a spreadsheet cell: one that would start a formula is kept as text."""
    text = "" if text is None else str(text)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


# An .xlsx is a zip; one whose parts unpack to more than this is refused before it is read (a zip bomb).
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# Cells further right are not read: the exports have far fewer columns, and a sheet may say it has 16,384.
MAX_COLUMNS = 100


class SheetError(Exception):
    """The file as a whole cannot be read; `message` says why, for the person who uploaded it."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class Column:
    key: str
    label: object  # a gettext_lazy label: the export writes it, the import accepts it in any language
    required: bool = True

    def names(self):
        names = set()
        for language, _name in settings.LANGUAGES:
            with override(language):
                names.add(normalise(self.label))
        return names


def normalise(text):
    return " ".join(str(text).split()).casefold()


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def _check_cell(text, row_number):
    if len(text) > settings.SPREADSHEET_MAX_CELL_CHARACTERS:
        raise SheetError(
            _("Row %(row)d has a cell of more than %(max)d characters.")
            % {"row": row_number, "max": settings.SPREADSHEET_MAX_CELL_CHARACTERS}
        )
    # The export keeps text that would start a formula as text with a leading apostrophe (spreadsheet_safe).
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def _too_many_rows():
    return SheetError(
        _("The file has more than %(max)d rows. Split it, or ask a plan administrator.")
        % {"max": settings.SPREADSHEET_MAX_ROWS}
    )


def _read_xlsx(data):
    import openpyxl  # imported here: most requests never read a workbook

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SheetError(_("The file is not an Excel workbook (.xlsx). Upload the export as .xlsx or .csv."))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
        if any(part.filename.lower().endswith("vbaproject.bin") for part in parts):
            raise SheetError(_("Workbooks with macros are not accepted. Save it as an ordinary workbook (.xlsx)."))
        if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
            raise SheetError(_("The workbook unpacks to more than is allowed; it cannot be read."))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise SheetError(_("The file could not be read as an Excel workbook (.xlsx).")) from None
    try:
        return _xlsx_rows(workbook.worksheets[0])
    except SheetError:
        raise
    except Exception:  # a damaged sheet shows only once its rows are read
        raise SheetError(_("The file could not be read as an Excel workbook (.xlsx).")) from None
    finally:
        workbook.close()


def _xlsx_rows(sheet):
    # The size a sheet declares is the file's say-so: rows past a size too small would go unread, and a width of
    # 16,384 columns (or one cell that far right) would make every row that wide: minutes and gigabytes.
    sheet.reset_dimensions()
    rows, width = [], 0
    for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1):
        if number > settings.SPREADSHEET_MAX_ROWS + 1:
            raise _too_many_rows()
        if number == 1:  # cells right of the last header are not read
            width = max((i + 1 for i, cell in enumerate(cells) if cell.value is not None), default=0)
        values = []
        for cell in cells[:width]:
            if getattr(cell, "data_type", None) == "f":
                raise SheetError(
                    _("Row %(row)d has a formula where a value belongs. Type the value itself.") % {"row": number}
                )
            values.append(_check_cell(_cell_text(cell.value), number))
        rows.append(values)
    return rows


def _read_csv(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Swedish Excel's "CSV (semikolonavgränsad)"
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows, number = [], 0
    try:  # newline="": a line may end in \r\n, \n or \r (older Excel for Mac), as the csv module expects
        for number, values in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            if number > settings.SPREADSHEET_MAX_ROWS + 1:
                raise _too_many_rows()
            rows.append([_check_cell(value, number) for value in values[:MAX_COLUMNS]])
    except csv.Error:  # in practice a field longer than the csv module's own limit (131,072 characters)
        raise SheetError(
            _("Row %(row)d has a cell of more than %(max)d characters.")
            % {"row": number + 1, "max": settings.SPREADSHEET_MAX_CELL_CHARACTERS}
        ) from None
    return rows


def too_large():
    return _("The file is larger than %(max)s MB.") % {"max": round(settings.SPREADSHEET_MAX_BYTES / (1024 * 1024), 1)}


def read_sheet(upload_name, data, columns):
    """The rows of an uploaded .xlsx or .csv as [(row number, {column key: text})], matched to `columns` by
    their headers in the first row; empty rows left out. Raises SheetError for a file that cannot be used."""
    if not data:
        raise SheetError(_("The file is empty."))
    if len(data) > settings.SPREADSHEET_MAX_BYTES:
        raise SheetError(too_large())
    name = upload_name.lower()
    if name.endswith(".xlsx"):
        rows = _read_xlsx(data)
    elif name.endswith(".csv"):
        rows = _read_csv(data)
    else:
        raise SheetError(_("Upload the export as .xlsx or .csv; other kinds of file are not read."))
    if not rows:
        raise SheetError(_("The file is empty."))
    headers = [normalise(h) for h in rows[0]]
    positions = {}
    for column in columns:
        names = column.names()  # once per column, not once per header: a row may have thousands of cells
        found = [i for i, header in enumerate(headers) if header in names]
        if found:
            positions[column.key] = found[0]
        elif column.required:
            raise SheetError(
                _("The column “%(column)s” is missing from the first row. Start from the export, which has it.")
                % {"column": column.label}
            )
    result = []
    for number, values in enumerate(rows[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        result.append((number, {key: (values[i].strip() if i < len(values) else "") for key, i in positions.items()}))
    if not result:
        raise SheetError(_("The file has no rows below its headers."))
    return result

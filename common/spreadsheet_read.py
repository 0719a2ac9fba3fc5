"""Reading uploaded spreadsheets (CSV or XLSX) into rows of text, with errors people can act on."""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
# Rows (the header included) one file may have. The whole directory is a few thousand actors
# and an event a few hundred participants; a compressed XLSX of hundreds of thousands of rows
# fits under MAX_BYTES and held a worker over a minute.
MAX_ROWS = 20_001
# Columns read per row: far more than any import format has.
MAX_COLUMNS = 100


def _too_many_rows() -> TableError:
    return TableError(
        _("The file has more than %(rows)s rows under its header; split it into smaller files.")
        % {"rows": number_format(MAX_ROWS - 1, force_grouping=True)}
    )


class TableError(ValueError):
    """The file as a whole cannot be read (wrong format, encoding, no header)."""


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet shows it: the header is row 1
    values: dict[str, str]
    # Non-empty cells under no column name (right of the header, or under a blank header
    # cell): a sign of an unquoted separator or a forgotten column name.
    extra: tuple[str, ...] = field(default=())

    def get(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass(frozen=True)
class Table:
    header: list[str]  # lower-case column names as written, blanks and repeats included
    rows: list[Row]
    header_number: int = 1  # the header's row: blank rows above it are skipped


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # A date typed into a spreadsheet comes back as a datetime at midnight.
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


def _korean_windows_text(data: bytes) -> bool:
    """Whether `data` reads as CP949 (EUC-KR and its Windows extension) holding Hangul."""
    try:
        text = data.decode("cp949")
    except UnicodeDecodeError:
        return False
    return re.search("[\uac00-\ud7a3]", text) is not None


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if _korean_windows_text(data):
            # What Excel's plain "CSV" writes on a Korean Windows: say so, so that the person
            # knows which of Excel's CSV choices to take, rather than guess the encoding.
            raise TableError(
                _(
                    "The file is Korean text in the Windows Korean encoding (CP949, EUC-KR), "
                    "which Excel's plain 'CSV' writes, not UTF-8. Save it as 'CSV UTF-8' "
                    "or as XLSX."
                )
            ) from None
        raise TableError(
            _(
                "The file is not UTF-8 text (byte %(byte)s cannot be read). "
                "Save it as 'CSV UTF-8' or as XLSX."
            )
            % {"byte": exc.start + 1}
        ) from None
    if "\x00" in text:
        raise TableError(_("The file contains NUL bytes: it is not a CSV text file."))
    first = next((line for line in text.split("\n") if line.strip()), "")
    # Spreadsheets set to European locales write semicolons.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = []
    try:
        # strict: a quote opened and never closed is an error, not a cell running to the end.
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            if len(rows) >= MAX_ROWS:
                raise _too_many_rows()
            rows.append(row[:MAX_COLUMNS])
    except csv.Error as exc:
        # The reader's own words (English) name the spot: "unexpected end of data".
        raise TableError(_("The CSV cannot be read: %(error)s.") % {"error": exc}) from None
    return rows


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    # A damaged workbook can fail anywhere inside openpyxl (zip, XML, styles, cell types),
    # while opening or while reading rows; whatever it raises, the answer is the same.
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise TableError(
            _("The file is not a readable XLSX workbook (%(error)s).") % {"error": exc}
        ) from None
    rows: list[list[str]] = []
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            if len(rows) >= MAX_ROWS:
                raise _too_many_rows()
            rows.append([_text(v) for v in row])
        return rows
    except TableError:
        raise
    except Exception as exc:
        raise TableError(
            _("The XLSX workbook cannot be read (%(error)s).") % {"error": exc}
        ) from None
    finally:
        workbook.close()


def read_sheet(*, data: bytes, filename: str) -> Table:
    """The header and the non-blank rows of a CSV or XLSX file. Raises TableError."""
    if len(data) > MAX_BYTES:
        raise TableError(
            _("The file is larger than %(megabytes)s MB.") % {"megabytes": MAX_BYTES // 1024**2}
        )
    name = filename.lower()
    if name.endswith(".xlsx"):
        raw = _xlsx_rows(data)
    elif name.endswith((".csv", ".txt")):
        raw = _csv_rows(data)
    else:
        raise TableError(
            _("'%(filename)s' is neither a .csv nor an .xlsx file.") % {"filename": filename}
        )
    # Blank rows above the header (a spreadsheet's empty first row, a paste that starts with
    # Enter) are skipped; rows keep the numbers the spreadsheet shows.
    start = next((i for i, cells in enumerate(raw) if any(cell.strip() for cell in cells)), None)
    if start is None:
        raise TableError(_("The file is empty: the first row must name the columns."))
    header = [cell.strip().lower() for cell in raw[start]]
    rows = []
    for number, cells in enumerate(raw[start + 1 :], start=start + 2):
        values = {
            column: cell.strip() for column, cell in zip(header, cells, strict=False) if column
        }
        extra = tuple(
            cell.strip()
            for index, cell in enumerate(cells)
            if cell.strip() and (index >= len(header) or not header[index])
        )
        if any(values.values()) or extra:
            rows.append(Row(number=number, values=values, extra=extra))
    return Table(header=header, rows=rows, header_number=start + 1)


def read_table(*, data: bytes, filename: str, required: tuple[str, ...] = ()) -> list[Row]:
    """Rows keyed by lower-case column name; blank rows skipped. Raises TableError."""
    return table_rows(table=read_sheet(data=data, filename=filename), required=required)


def table_rows(*, table: Table, required: tuple[str, ...] = ()) -> list[Row]:
    """The table's non-blank rows, once its header has the required columns."""
    missing = [column for column in required if column not in table.header]
    if missing:
        present = ", ".join(h for h in table.header if h)
        if not present:
            raise TableError(
                _("Missing column(s): %(missing)s. The first row has: nothing.")
                % {"missing": ", ".join(missing)}
            )
        raise TableError(
            _("Missing column(s): %(missing)s. The first row has: %(present)s.")
            % {"missing": ", ".join(missing), "present": present}
        )
    return [row for row in table.rows if any(row.values.values())]

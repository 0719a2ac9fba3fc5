"""Reading uploaded spreadsheets (CSV or XLSX) into rows of text, with errors people can act on."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

MAX_BYTES = 10 * 1024 * 1024


class TableError(ValueError):
    """The file as a whole cannot be read (wrong format, encoding, no header)."""


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet shows it: the header is row 1
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError(
            f"The file is not UTF-8 text (byte {exc.start + 1} cannot be read). "
            "Save it as 'CSV UTF-8' or as XLSX."
        ) from None
    if "\x00" in text:
        raise TableError("The file contains NUL bytes: it is not a CSV text file.")
    first = text.split("\n", 1)[0]
    # Spreadsheets set to European locales write semicolons.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise TableError(f"The CSV cannot be read: {exc}.") from None


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise TableError(f"The file is not a readable XLSX workbook ({exc}).") from None
    try:
        sheet = workbook.worksheets[0]
        return [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_table(*, data: bytes, filename: str, required: tuple[str, ...] = ()) -> list[Row]:
    """Rows keyed by lower-case column name; blank rows skipped. Raises TableError."""
    if len(data) > MAX_BYTES:
        raise TableError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    name = filename.lower()
    if name.endswith(".xlsx"):
        raw = _xlsx_rows(data)
    elif name.endswith((".csv", ".txt")):
        raw = _csv_rows(data)
    else:
        raise TableError(f"'{filename}' is neither a .csv nor an .xlsx file.")
    if not raw or not any(cell.strip() for cell in raw[0]):
        raise TableError("The file is empty: the first row must name the columns.")
    header = [cell.strip().lower() for cell in raw[0]]
    missing = [column for column in required if column not in header]
    if missing:
        raise TableError(
            f"Missing column(s): {', '.join(missing)}. The first row has: "
            f"{', '.join(h for h in header if h) or 'nothing'}."
        )
    rows = []
    for number, cells in enumerate(raw[1:], start=2):
        values = {
            column: cell.strip() for column, cell in zip(header, cells, strict=False) if column
        }
        if any(values.values()):
            rows.append(Row(number=number, values=values))
    return rows
